import { Anchor, Badge, Button, Code, Group, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { AuditLogTable_EntryFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { Link } from '../router/Link.tsx';
import { tenantPath } from '../router/routes.ts';
import { type AuditFilterForm, auditFilterInput, isFiltered, matchesAuditFilter } from './filters.ts';
import { actionColor, compactJson, describeAction, prependUnique, withoutIds } from './format.ts';

graphql(`
  fragment AuditLogTable_Entry on AuditEntry {
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
    details
    requestId
  }
`);

const AuditLogTable_List = graphql(`
  query AuditLogTable_List($first: Int!, $after: String, $filter: AuditFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          ...AuditLogTable_Entry
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AuditLogTable_Events = graphql(`
  subscription AuditLogTable_Events($action: String) {
    auditEvents(action: $action) {
      ...AuditLogTable_Entry
    }
  }
`);

const PAGE_SIZE = 50;

/** The filtered log, newest first: live entries on top, older pages on request. */
export function AuditLogTable({
  form,
  onFilter,
}: {
  form: AuditFilterForm;
  onFilter: (patch: Partial<AuditFilterForm>) => void;
}) {
  const filter = useMemo(() => auditFilterInput(form), [form]);
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({
    query: AuditLogTable_List,
    variables: { first: PAGE_SIZE, after, filter },
    // The first page must be current each time the page opens; older pages do not change.
    requestPolicy: after === null ? 'cache-and-network' : 'cache-first',
  });
  const [live] = useSubscription(
    { query: AuditLogTable_Events, variables: { action: filter.action ?? null } },
    (previous: readonly AuditLogTable_EntryFragment[] = [], data) =>
      matchesAuditFilter(data.auditEvents, filter) ? prependUnique(previous, data.auditEvents) : previous,
  );
  const liveEntries = live.data ?? [];
  const liveIds = useMemo(() => new Set(liveEntries.map((e) => e.id)), [liveEntries]);
  const connection = result.data?.auditLog;
  const fetched = connection
    ? withoutIds(
        connection.edges.map((edge) => edge.node),
        liveIds,
      )
    : [];
  const endCursor = connection?.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  const shown = liveEntries.length + fetched.length;

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text fz="sm" c="dimmed" role="status">
          {live.error
            ? `Live updates paused: ${describeError(live.error)}`
            : liveEntries.length > 0
              ? `${liveEntries.length} new since you opened this view.`
              : 'New entries appear at the top as they are recorded.'}
        </Text>
        {connection && (
          <Text fz="sm" c="dimmed" data-testid="audit-count">
            {shown.toLocaleString()} shown{endCursor ? ', more below' : ''}
          </Text>
        )}
      </Group>
      {result.error && !connection ? (
        <Problem title="The audit log could not be loaded" message={describeError(result.error)} />
      ) : (
        <div className="cp-table-frame">
          <Table
            verticalSpacing="sm"
            horizontalSpacing="md"
            layout="fixed"
            miw={1040}
            aria-label="Audit entries, newest first"
            data-testid="audit-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>Time</Table.Th>
                <Table.Th w={230}>Action</Table.Th>
                <Table.Th w={160}>Target</Table.Th>
                <Table.Th w={170}>Actor</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {liveEntries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} arrived onFilter={onFilter} />
              ))}
              {fetched.map((entry) => (
                <AuditRow key={entry.id} entry={entry} onFilter={onFilter} />
              ))}
              {connection && shown === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="xl">
                      {isFiltered(form)
                        ? 'No entries match these filters.'
                        : 'Nothing has been recorded yet.'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {!connection && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="xl">
                      Loading…
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {result.error && connection && <Problem message={describeError(result.error)} />}
      {endCursor && (
        <Group justify="center" mt="md">
          <Button variant="default" loading={result.fetching} onClick={() => setAfter(endCursor)}>
            Load older entries
          </Button>
        </Group>
      )}
    </>
  );
}

type AuditRowProps = {
  entry: AuditLogTable_EntryFragment;
  arrived?: boolean;
  onFilter: (patch: Partial<AuditFilterForm>) => void;
};

function AuditRow({ entry, arrived = false, onFilter }: AuditRowProps) {
  const details = compactJson(entry.details);
  const actorId = entry.actor.id;
  return (
    <Table.Tr
      className={arrived ? 'cp-live-row' : undefined}
      data-action={entry.action}
      data-target={entry.target?.id}
    >
      <Table.Td>
        <Text fz="sm" className="cp-nowrap" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatTime(entry.at)}
        </Text>
        <Text fz="xs" c="dimmed">
          <TimeAgo iso={entry.at} />
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={entry.action}>
          <Badge color={actionColor(entry.action)} variant="light" tt="none" fw={500}>
            {describeAction(entry.action)}
          </Badge>
        </Tooltip>
      </Table.Td>
      <Table.Td fz="sm">
        {entry.target?.kind === 'tenant' ? (
          <Anchor
            component={Link}
            to={tenantPath(entry.target.id)}
            className="cp-mono"
            truncate="end"
            display="block"
            title={entry.target.id}
          >
            {entry.target.id}
          </Anchor>
        ) : entry.target ? (
          <Text span fz="sm">
            {entry.target.kind} <span className="cp-mono">{entry.target.id}</span>
          </Text>
        ) : (
          <Text span c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {actorId ? (
          <Tooltip label="Show only this actor's entries">
            <UnstyledButton
              onClick={() => onFilter({ actor: actorId })}
              fz="sm"
              c="brand"
              className="cp-nowrap"
            >
              {entry.actor.label}
            </UnstyledButton>
          </Tooltip>
        ) : (
          <Text fz="sm" span>
            {entry.actor.label}
          </Text>
        )}
        {entry.actor.kind !== entry.actor.label && (
          <Text fz="xs" c="dimmed">
            {entry.actor.kind}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {details && (
          <Tooltip label={<Code block>{JSON.stringify(entry.details, null, 2)}</Code>} multiline maw={520}>
            <Text fz="xs" className="cp-mono cp-details" c="dimmed">
              {details}
            </Text>
          </Tooltip>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
