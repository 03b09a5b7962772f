import { useQuery, useSubscription } from 'urql';
import { graphql } from '../gql/index.ts';
import type { TenantStateName } from './live-list.ts';

graphql(`
  fragment TenantCounts_Counts on Dashboard {
    tenants {
      total
      provisioning
      active
      deleting
      deleted
    }
  }
`);

const TenantCounts_Query = graphql(`
  query TenantCounts_Query {
    dashboard {
      ...TenantCounts_Counts
    }
  }
`);

const TenantCounts_Changed = graphql(`
  subscription TenantCounts_Changed {
    dashboardChanged {
      ...TenantCounts_Counts
    }
  }
`);

/** Tenants by state, and `ALL` for every one not deleted (what the list shows by default). */
export type TenantCounts = Record<TenantStateName | 'ALL', number>;

/**
 * The tenants of each state, counted by the server over every tenant (the dashboard's aggregate,
 * never by paging through the list) and kept current by `dashboardChanged`. Null until known.
 */
export function useTenantCounts(): TenantCounts | null {
  const [result] = useQuery({ query: TenantCounts_Query, requestPolicy: 'cache-and-network' });
  const [changed] = useSubscription({ query: TenantCounts_Changed });
  const tenants = (changed.data?.dashboardChanged ?? result.data?.dashboard)?.tenants;
  if (!tenants) return null;
  return {
    ALL: tenants.total,
    PROVISIONING: tenants.provisioning,
    ACTIVE: tenants.active,
    DELETING: tenants.deleting,
    DELETED: tenants.deleted,
  };
}
