import { useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { AllTenants_FieldsFragment, AllTenants_OperationFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { liveTenantsReducer, mergeTenantRows, type TenantView } from '../tenants/live-list.ts';
import { liveOperationsReducer, newestOperation } from '../tenants/operations.ts';
import type { DashboardTenant } from './summary.ts';

type LiveOperation = AllTenants_OperationFragment & { tenant: { id: string } };

// Live events carry each object's own fields only: the API resolves nested objects of a
// subscription once per subscription, so a tenant's operation arrives through tenantOperation.
graphql(`
  fragment AllTenants_Fields on Tenant {
    id
    slug
    name
    state
    overview {
      status
      statusError
      users
      activeUsers
    }
  }
`);

graphql(`
  fragment AllTenants_Operation on TenantOperation {
    id
    kind
    state
    attempts
    lastError
    createdAt
  }
`);

graphql(`
  fragment AllTenants_Tenant on Tenant {
    ...AllTenants_Fields
    operation {
      ...AllTenants_Operation
    }
  }
`);

const AllTenants_List = graphql(`
  query AllTenants_List($first: Int!, $after: String) {
    tenants(first: $first, after: $after) {
      edges {
        node {
          ...AllTenants_Tenant
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AllTenants_Updates = graphql(`
  subscription AllTenants_Updates {
    tenantUpdated {
      ...AllTenants_Fields
    }
  }
`);

const AllTenants_OperationUpdates = graphql(`
  subscription AllTenants_OperationUpdates {
    tenantOperation {
      ...AllTenants_Operation
      tenant {
        id
      }
    }
  }
`);

/** The figures need every tenant; the API has no totals yet, so the dashboard reads up to this many. */
const TENANT_PAGE = 500;
const TENANT_LIMIT = 5000;
const ALL_TENANTS: TenantView = { search: '', states: [] };

/** Every tenant (up to the limit), page after page, with live changes merged in. */
export function useAllTenants(): {
  rows: DashboardTenant[] | null;
  truncated: boolean;
  error: string | null;
} {
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({
    query: AllTenants_List,
    variables: { first: TENANT_PAGE, after },
    requestPolicy: after === null ? 'cache-and-network' : 'cache-first',
  });
  const [updates] = useSubscription(
    { query: AllTenants_Updates },
    (previous: ReadonlyMap<string, AllTenants_FieldsFragment> | undefined, data) =>
      liveTenantsReducer(previous, data.tenantUpdated),
  );
  const [operations] = useSubscription(
    { query: AllTenants_OperationUpdates },
    (previous: ReadonlyMap<string, LiveOperation> | undefined, data) =>
      liveOperationsReducer(previous, data.tenantOperation),
  );
  const connection = result.data?.tenants;
  const fetched = connection?.edges.map((edge) => edge.node);
  const hasMore = connection?.pageInfo.hasNextPage ?? false;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  const loaded = fetched?.length ?? 0;

  useEffect(() => {
    if (hasMore && endCursor && !result.fetching && loaded < TENANT_LIMIT) setAfter(endCursor);
  }, [hasMore, endCursor, result.fetching, loaded]);

  const rows = useMemo(() => {
    if (!fetched) return null;
    const merged: DashboardTenant[] = mergeTenantRows<DashboardTenant>(
      fetched,
      updates.data ?? new Map(),
      ALL_TENANTS,
      hasMore,
    );
    const liveOps = operations.data;
    if (!liveOps) return merged;
    return merged.map((tenant) => {
      const operation = newestOperation(tenant.operation, liveOps.get(tenant.id));
      return operation === tenant.operation ? tenant : { ...tenant, operation };
    });
  }, [fetched, updates.data, operations.data, hasMore]);
  return {
    rows: hasMore && loaded < TENANT_LIMIT ? null : rows,
    truncated: hasMore,
    error: result.error ? describeError(result.error) : null,
  };
}
