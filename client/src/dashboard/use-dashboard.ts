import { useQuery, useSubscription } from 'urql';
import type { Dashboard_FiguresFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';

graphql(`
  fragment Dashboard_Figures on Dashboard {
    tenants {
      total
      provisioning
      active
      deleting
    }
    users {
      total
      active
      reportingTenants
    }
    health {
      ok
      degraded
      unreachable
      notYetChecked
    }
    failedOperations
    retryingOperations
    alertCount
    alerts(first: 8) {
      kind
      severity
      slug
      operationKind
      attempts
      detail
    }
  }
`);

const Dashboard_Summary = graphql(`
  query Dashboard_Summary {
    dashboard {
      ...Dashboard_Figures
    }
  }
`);

const Dashboard_Changed = graphql(`
  subscription Dashboard_Changed {
    dashboardChanged {
      ...Dashboard_Figures
    }
  }
`);

/**
 * The dashboard's figures, counted by the server over every tenant, kept current by
 * `dashboardChanged` (the normalized cache holds one Dashboard, which each update replaces).
 */
export function useDashboard(): { summary: Dashboard_FiguresFragment | null; error: string | null } {
  const [result] = useQuery({ query: Dashboard_Summary, requestPolicy: 'cache-and-network' });
  const [changed] = useSubscription({ query: Dashboard_Changed });
  const summary = (changed.data?.dashboardChanged ??
    result.data?.dashboard ??
    null) as Dashboard_FiguresFragment | null;
  return { summary, error: result.error ? describeError(result.error) : null };
}
