import { Anchor, Badge, Card, Group, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { actionColor, describeAction, formatActor, prependUnique } from '../audit/format.ts';
import { IconActivity } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { RecentActivity_EntryFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { Link } from '../router/Link.tsx';
import { tenantPath } from '../router/routes.ts';
import { countEntries, dayBefore } from './recent.ts';

graphql(`
  fragment RecentActivity_Entry on AuditEntry {
    id
    at
    action
    actor {
      kind
      id
      label
    }
    target {
      kind
      id
    }
  }
`);

const RecentActivity_List = graphql(`
  query RecentActivity_List($first: Int!, $from: DateTime!) {
    auditLog(first: $first, filter: { from: $from }) {
      edges {
        node {
          ...RecentActivity_Entry
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const RecentActivity_Events = graphql(`
  subscription RecentActivity_Events {
    auditEvents {
      ...RecentActivity_Entry
    }
  }
`);

const COUNT_LIMIT = 100;
const RECENT_SHOWN = 8;

/** The last entries of the audit log, with new ones arriving on top. */
export function RecentActivity() {
  // Fixed when the page opens, so re-renders do not turn into new queries.
  const [from] = useState(() => dayBefore(new Date()));
  const [result] = useQuery({
    query: RecentActivity_List,
    variables: { first: COUNT_LIMIT, from },
    requestPolicy: 'cache-and-network',
  });
  const [live] = useSubscription(
    { query: RecentActivity_Events },
    (previous: readonly RecentActivity_EntryFragment[] = [], data) =>
      prependUnique(previous, data.auditEvents, 50),
  );
  const log = result.data?.auditLog;
  const entries = useMemo(() => {
    let merged: readonly RecentActivity_EntryFragment[] = log?.edges.map((edge) => edge.node) ?? [];
    for (const entry of [...(live.data ?? [])].reverse())
      merged = prependUnique(merged, entry, COUNT_LIMIT + 50);
    return merged;
  }, [log, live.data]);
  const liveCount = entries.length - (log?.edges.length ?? 0);

  return (
    <Card h="100%" data-testid="recent-activity">
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <ThemeIcon variant="light" size={28}>
            <IconActivity size={16} />
          </ThemeIcon>
          <Title order={2} fz="md">
            Recent activity
          </Title>
        </Group>
        <Anchor component={Link} to="/audit" fz="sm">
          Open the audit log
        </Anchor>
      </Group>
      {log ? (
        <>
          <Text fz="sm" c="dimmed" mb="sm">
            {countEntries(entries.length, log.pageInfo.hasNextPage)} in the last 24 hours.
          </Text>
          {entries.length === 0 ? (
            <Text fz="sm" c="dimmed">
              Nothing has happened in the last day.
            </Text>
          ) : (
            <Stack gap={0}>
              {entries.slice(0, RECENT_SHOWN).map((entry, index) => (
                <Group
                  key={entry.id}
                  justify="space-between"
                  wrap="nowrap"
                  py={10}
                  className={index < liveCount ? 'cp-live-row' : undefined}
                  style={{
                    borderTop: index === 0 ? undefined : '1px solid var(--mantine-color-default-border)',
                  }}
                  data-action={entry.action}
                >
                  <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                    <Badge
                      color={actionColor(entry.action)}
                      variant="dot"
                      tt="none"
                      fw={500}
                      style={{ flex: 'none' }}
                    >
                      {describeAction(entry.action)}
                    </Badge>
                    {entry.target?.kind === 'tenant' ? (
                      <Anchor
                        component={Link}
                        to={tenantPath(entry.target.id)}
                        fz="sm"
                        className="cp-mono"
                        truncate
                      >
                        {entry.target.id}
                      </Anchor>
                    ) : entry.target ? (
                      <Text fz="sm" c="dimmed" truncate>
                        {entry.target.kind} {entry.target.id}
                      </Text>
                    ) : null}
                  </Group>
                  <Group gap="xs" wrap="nowrap" style={{ flex: 'none' }}>
                    <Text fz="xs" c="dimmed" visibleFrom="sm">
                      {formatActor(entry.actor)}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      <TimeAgo iso={entry.at} />
                    </Text>
                  </Group>
                </Group>
              ))}
            </Stack>
          )}
        </>
      ) : result.error ? (
        <Problem message={describeError(result.error)} />
      ) : (
        <Skeleton h={200} />
      )}
    </Card>
  );
}
