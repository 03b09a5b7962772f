import { Badge, Table, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';

const AlertHistory_Alerts = graphql(`
  query AlertHistory_Alerts($first: Int!) {
    alertHistory(first: $first) {
      edges {
        node {
          id
          kind
          severity
          state
          tenantSlug
          subject
          detail
          openedAt
          resolvedAt
          sentAt
          sentTo
          resolvedSentAt
          sendError
        }
      }
    }
  }
`);

/** How often the list asks again: alerts open and resolve on the leader, not through this page. */
const REFRESH_MS = 15_000;

/** The alerts the leader opened, newest first: what, open or resolved, when and to whom it was mailed. */
export function AlertHistory({ first = 20 }: { first?: number }) {
  const [result, refetch] = useQuery({ query: AlertHistory_Alerts, variables: { first } });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  if (result.error) return <Problem message={describeError(result.error)} />;
  const alerts = result.data?.alertHistory.edges.map((e) => e.node);
  if (!alerts) {
    return (
      <Text c="dimmed" role="status">
        Loading…
      </Text>
    );
  }
  if (alerts.length === 0) {
    return (
      <Text c="dimmed" fz="sm">
        No alert has been raised yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640} className="cp-cards">
      <Table verticalSpacing="xs" aria-label="Alert history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Alert</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Opened</Table.Th>
            <Table.Th>Mailed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td data-label="Alert">
                <Text fz="sm" fw={500}>
                  {a.subject}
                </Text>
                <Text fz="xs" c="dimmed">
                  {a.detail}
                </Text>
              </Table.Td>
              <Table.Td data-label="State">
                {a.state === 'OPEN' ? (
                  <Badge color={a.severity === 'CRITICAL' ? 'red' : 'yellow'} variant="light">
                    {a.severity === 'CRITICAL' ? 'critical' : 'warning'}
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light">
                    resolved
                  </Badge>
                )}
                {a.resolvedAt && (
                  <Text fz="xs" c="dimmed">
                    <TimeAgo iso={a.resolvedAt} />
                  </Text>
                )}
              </Table.Td>
              <Table.Td fz="sm" data-label="Opened">
                <TimeAgo iso={a.openedAt} />
              </Table.Td>
              <Table.Td fz="sm" data-label="Mailed">
                {a.sentAt ? (
                  <>
                    <TimeAgo iso={a.sentAt} />
                    <Text fz="xs" c="dimmed">
                      to {a.sentTo}
                      {a.resolvedSentAt ? ', resolution mailed' : ''}
                    </Text>
                  </>
                ) : (
                  <Text fz="xs" c={a.sendError ? 'red' : 'dimmed'}>
                    {a.sendError ? `not sent: ${a.sendError}` : 'not mailed (no alert e-mail set)'}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
