import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type MouseEvent, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { AuditLogTable_EntryFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { Link } from '../router/Link.tsx';
import { AuditEntryDrawer } from './AuditEntryDrawer.tsx';
import { summarizeDetails } from './details.ts';
import { type AuditFilterForm, auditFilterInput, isFiltered, matchesAuditFilter } from './filters.ts';
import { actionColor, describeAction, prependUnique, withoutIds } from './format.ts';
import { describeActor, describeTarget } from './names.ts';

graphql(`
  fragment AuditLogTable_Entry on AuditEntry {
    id
    at
    action
    actor {
      ...AuditActorNames
    }
    target {
      kind
      id
      name
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

type AuditLogTableProps = {
  form: AuditFilterForm;
  onFilter: (patch: Partial<AuditFilterForm>) => void;
  /** The entry whose drawer is open (from the page URL), or null. */
  openEntry: string | null;
  onOpenEntry: (id: string | null) => void;
};

/** The filtered log, newest first: live entries on top, older pages on request; an entry opens in a drawer. */
export function AuditLogTable({ form, onFilter, openEntry, onOpenEntry }: AuditLogTableProps) {
  const filter = useMemo(() => auditFilterInput(form), [form]);
  const [after, setAfter] = useState<string | null>(null);
  // Below Mantine's sm breakpoint the table would scroll sideways: entries become cards.
  const narrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
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
  const entries = [
    ...liveEntries.map((entry) => ({ entry, arrived: true })),
    ...fetched.map((entry) => ({ entry, arrived: false })),
  ];
  const known = openEntry ? (entries.find(({ entry }) => entry.id === openEntry)?.entry ?? null) : null;
  const empty = isFiltered(form) ? 'No entries match these filters.' : 'Nothing has been recorded yet.';

  return (
    <>
      <Group justify="space-between" mb="xs" gap="xs">
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
      ) : narrow ? (
        <Stack gap="xs" data-testid="audit-cards" aria-label="Audit entries, newest first" role="list">
          {entries.map(({ entry, arrived }) => (
            <AuditCard key={entry.id} entry={entry} arrived={arrived} onOpen={() => onOpenEntry(entry.id)} />
          ))}
          {(!connection || shown === 0) && (
            <Text c="dimmed" ta="center" py="xl">
              {connection ? empty : 'Loading…'}
            </Text>
          )}
        </Stack>
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
                <Table.Th w={205}>Time</Table.Th>
                <Table.Th w={220}>Action</Table.Th>
                <Table.Th w={220}>Actor</Table.Th>
                <Table.Th w={200}>Target</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map(({ entry, arrived }) => (
                <AuditRow
                  key={entry.id}
                  entry={entry}
                  arrived={arrived}
                  onFilter={onFilter}
                  onOpen={() => onOpenEntry(entry.id)}
                />
              ))}
              {(!connection || shown === 0) && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="xl">
                      {connection ? empty : 'Loading…'}
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
      <AuditEntryDrawer
        entryId={openEntry}
        known={known}
        onClose={() => onOpenEntry(null)}
        onFilterActor={(actor) => onFilter({ actor })}
      />
    </>
  );
}

type EntryProps = {
  entry: AuditLogTable_EntryFragment;
  arrived: boolean;
  onOpen: () => void;
};

/** Clicks on the row open the entry, except on the links and buttons inside it. */
function fromInsideControl(event: MouseEvent): boolean {
  return event.target instanceof Element && event.target.closest('a, button') !== null;
}

function AuditRow({ entry, arrived, onFilter, onOpen }: EntryProps & Pick<AuditLogTableProps, 'onFilter'>) {
  const actor = describeActor(entry.actor);
  const target = entry.target ? describeTarget(entry.target) : null;
  const details = summarizeDetails(entry.details);
  const actorId = entry.actor.id;
  return (
    <Table.Tr
      className={arrived ? 'cp-live-row' : undefined}
      data-action={entry.action}
      data-target={entry.target?.id}
      onClick={(event) => {
        if (!fromInsideControl(event)) onOpen();
      }}
      style={{ cursor: 'pointer' }}
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
        <UnstyledButton
          onClick={onOpen}
          aria-label={`${describeAction(entry.action)}: show the entry`}
          data-testid="open-entry"
          maw="100%"
        >
          <Badge color={actionColor(entry.action)} variant="light" tt="none" fw={500} maw="100%">
            {describeAction(entry.action)}
          </Badge>
        </UnstyledButton>
      </Table.Td>
      <Table.Td data-testid="entry-actor-cell">
        {actorId ? (
          <Tooltip label="Show only this actor's entries">
            <UnstyledButton
              onClick={() => onFilter({ actor: actorId })}
              fz="sm"
              c="brand"
              display="block"
              maw="100%"
              className="cp-details"
            >
              {actor.primary}
            </UnstyledButton>
          </Tooltip>
        ) : (
          <Text fz="sm" truncate="end">
            {actor.primary}
          </Text>
        )}
        {actor.secondary && (
          <Text fz="xs" c="dimmed" truncate="end" title={actor.secondary}>
            {actor.secondary}
          </Text>
        )}
      </Table.Td>
      <Table.Td fz="sm" data-testid="entry-target-cell">
        {target ? (
          <>
            {target.to ? (
              <Anchor
                component={Link}
                to={target.to}
                fz="sm"
                truncate="end"
                display="block"
                title={target.primary}
              >
                {target.primary}
              </Anchor>
            ) : (
              <Text fz="sm" truncate="end" title={target.primary}>
                {target.primary}
              </Text>
            )}
            {target.secondary && (
              <Text
                fz="xs"
                c="dimmed"
                truncate="end"
                title={target.secondary}
                className={entry.target?.kind === 'tenant' ? 'cp-mono' : undefined}
              >
                {target.secondary}
              </Text>
            )}
          </>
        ) : (
          <Text span c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {details && (
          <Text fz="xs" c="dimmed" className="cp-details" title={details}>
            {details}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** An entry on a narrow screen: what, when, who and to what; the card opens it. */
function AuditCard({ entry, arrived, onOpen }: EntryProps) {
  const actor = describeActor(entry.actor);
  const target = entry.target ? describeTarget(entry.target) : null;
  return (
    <Paper
      withBorder
      p="sm"
      role="listitem"
      data-action={entry.action}
      data-target={entry.target?.id}
      data-testid="audit-card"
      className={arrived ? 'cp-live-row' : undefined}
      onClick={(event) => {
        if (!fromInsideControl(event)) onOpen();
      }}
      style={{ cursor: 'pointer' }}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" mb={4}>
        <UnstyledButton
          onClick={onOpen}
          aria-label={`${describeAction(entry.action)}: show the entry`}
          data-testid="open-entry"
          miw={0}
        >
          <Badge color={actionColor(entry.action)} variant="light" tt="none" fw={500} maw="100%">
            {describeAction(entry.action)}
          </Badge>
        </UnstyledButton>
        <Text fz="xs" c="dimmed" style={{ flex: 'none' }}>
          <TimeAgo iso={entry.at} />
        </Text>
      </Group>
      <Text fz="sm" truncate="end">
        {actor.primary}
        {actor.secondary && (
          <Text span fz="xs" c="dimmed">
            {` · ${actor.secondary}`}
          </Text>
        )}
      </Text>
      {target && (
        <Text fz="xs" c="dimmed" truncate="end">
          {`On ${target.primary}${target.secondary ? ` (${target.secondary})` : ''}`}
        </Text>
      )}
    </Paper>
  );
}
