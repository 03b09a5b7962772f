import { useState } from 'react';
import { useQuery } from 'urql';
import { countEntries, dayBefore } from '../dashboard/recent.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { Link } from '../router/Link.tsx';

const DashboardPage_RecentAudit = graphql(`
  query DashboardPage_RecentAudit($first: Int!, $from: DateTime!) {
    auditLog(first: $first, filter: { from: $from }) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const COUNT_LIMIT = 100;

/** The overview. For now: how busy the last day was, from the audit log. */
export function DashboardPage() {
  // Fixed when the page opens, so re-renders do not turn into new queries.
  const [from] = useState(() => dayBefore(new Date()));
  const [result] = useQuery({
    query: DashboardPage_RecentAudit,
    variables: { first: COUNT_LIMIT, from },
    requestPolicy: 'cache-and-network',
  });
  const log = result.data?.auditLog;

  return (
    <>
      <h1>Dashboard</h1>
      <section aria-labelledby="activity-heading" className="card">
        <h2 id="activity-heading">Recent activity</h2>
        {log ? (
          <p className="figure">
            {countEntries(log.edges.length, log.pageInfo.hasNextPage)} in the last 24 hours.
          </p>
        ) : result.error ? (
          <p role="alert" className="error">
            {describeError(result.error)}
          </p>
        ) : (
          <p role="status">Loading…</p>
        )}
        <p>
          <Link to="/audit">Open the audit log</Link>
        </p>
      </section>
    </>
  );
}
