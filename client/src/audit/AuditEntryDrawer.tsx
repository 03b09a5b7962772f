import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  CopyButton,
  Drawer,
  Group,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useQuery } from 'urql';
import { IconCheck, IconCopy } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { AuditLogTable_EntryFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { Link } from '../router/Link.tsx';
import { type DetailField, type DetailValue, detailFields } from './details.ts';
import { actionColor, describeAction } from './format.ts';
import { type Described, describeActor, describeTarget } from './names.ts';

const AuditEntryDrawer_Entry = graphql(`
  query AuditEntryDrawer_Entry($id: ID!) {
    node(id: $id) {
      __typename
      ... on AuditEntry {
        ...AuditLogTable_Entry
      }
    }
  }
`);

type AuditEntryDrawerProps = {
  /** The entry shown (its global id); null when the drawer is closed. */
  entryId: string | null;
  /** The entry when the page has it already; otherwise it is fetched (a link to it, say). */
  known: AuditLogTable_EntryFragment | null;
  onClose: () => void;
  onFilterActor: (actorId: string) => void;
};

/** One audit entry in full: what, who, to what, when, the request that did it and every detail. */
export function AuditEntryDrawer({ entryId, known, onClose, onFilterActor }: AuditEntryDrawerProps) {
  const [result] = useQuery({
    query: AuditEntryDrawer_Entry,
    variables: { id: entryId ?? '' },
    pause: entryId === null || known !== null,
  });
  const node = result.data?.node;
  const fetched = node?.__typename === 'AuditEntry' ? node : null;
  const entry = known ?? fetched;
  return (
    <Drawer
      opened={entryId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Title order={3}>{entry ? describeAction(entry.action) : 'Audit entry'}</Title>}
      closeButtonProps={{ 'aria-label': 'Close entry details' }}
    >
      {entry ? (
        <EntryView entry={entry} onFilterActor={onFilterActor} />
      ) : result.error ? (
        <Problem title="This entry could not be loaded" message={describeError(result.error)} />
      ) : result.fetching ? (
        <Text c="dimmed">Loading…</Text>
      ) : (
        <Problem title="No such entry" message="The link names an audit entry that does not exist." />
      )}
    </Drawer>
  );
}

function EntryView({
  entry,
  onFilterActor,
}: {
  entry: AuditLogTable_EntryFragment;
  onFilterActor: (actorId: string) => void;
}) {
  const actor = describeActor(entry.actor);
  const target = entry.target ? describeTarget(entry.target) : null;
  const fields = detailFields(entry.details);
  const actorId = entry.actor.id;
  return (
    <Stack gap="lg" data-testid="audit-entry" data-entry={entry.id} data-action={entry.action}>
      <Group gap="xs">
        <Badge color={actionColor(entry.action)} variant="light" tt="none">
          {describeAction(entry.action)}
        </Badge>
        <Text fz="sm" c="dimmed" className="cp-mono">
          {entry.action}
        </Text>
      </Group>
      <Facts
        rows={[
          [
            'When',
            <Stack gap={0} key="when">
              <Text fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="entry-time">
                {formatTime(entry.at)}
              </Text>
              <Text fz="xs" c="dimmed">
                <TimeAgo iso={entry.at} />
              </Text>
            </Stack>,
          ],
          [
            'Actor',
            <Stack gap={2} key="actor" data-testid="entry-actor">
              <Two described={actor} />
              {actorId && (
                <Anchor
                  component="button"
                  type="button"
                  fz="xs"
                  ta="left"
                  style={{ alignSelf: 'flex-start' }}
                  onClick={() => onFilterActor(actorId)}
                >
                  Show only this actor's entries
                </Anchor>
              )}
            </Stack>,
          ],
          [
            'Target',
            target ? (
              <Two key="target" described={target} linked />
            ) : (
              <Text key="target" fz="sm" c="dimmed">
                None (the action was on no single object)
              </Text>
            ),
          ],
          [
            'Request id',
            entry.requestId ? (
              <Group key="request" gap={4} wrap="nowrap" data-testid="entry-request-id">
                <Text fz="sm" className="cp-mono" style={{ overflowWrap: 'anywhere' }}>
                  {entry.requestId}
                </Text>
                <CopyButton value={entry.requestId}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy the request id'}>
                      <ActionIcon
                        style={{ flex: 'none' }}
                        variant="subtle"
                        color={copied ? 'teal' : 'gray'}
                        onClick={copy}
                        aria-label="Copy the request id"
                      >
                        {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            ) : (
              <Text key="request" fz="sm" c="dimmed" data-testid="entry-request-id">
                None: the control plane did this on its own
              </Text>
            ),
          ],
        ]}
      />
      <Stack gap="xs">
        <Title order={4}>Details</Title>
        {fields.length === 0 ? (
          <Text fz="sm" c="dimmed">
            This action records no details.
          </Text>
        ) : (
          <FieldList fields={fields} testId="entry-details" />
        )}
        <Text fz="xs" c="dimmed">
          Secret values are never recorded: a reveal or rotation names the secret, not its value.
        </Text>
      </Stack>
    </Stack>
  );
}

/** A name and what tells it apart, linked to its page where it has one. */
function Two({ described, linked = false }: { described: Described; linked?: boolean }) {
  return (
    <Stack gap={0}>
      {linked && described.to ? (
        <Anchor component={Link} to={described.to} fz="sm" fw={500}>
          {described.primary}
        </Anchor>
      ) : (
        <Text fz="sm" fw={500}>
          {described.primary}
        </Text>
      )}
      {described.secondary && (
        <Text fz="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {described.secondary}
        </Text>
      )}
    </Stack>
  );
}

function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <Table verticalSpacing={8} withRowBorders={false} layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="30%" fw={500} c="dimmed" fz="sm" pl={0} style={{ verticalAlign: 'top' }}>
              {label}
            </Table.Th>
            <Table.Td fz="sm">{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Details as a definition list; nested objects indent under their field. */
function FieldList({ fields, testId }: { fields: readonly DetailField[]; testId?: string }) {
  return (
    <Stack component="dl" gap={6} m={0} data-testid={testId}>
      {fields.map((field) => (
        <Box
          key={field.key}
          data-field={field.key}
          style={{ display: 'grid', gridTemplateColumns: 'minmax(7rem, 35%) minmax(0, 1fr)', gap: 12 }}
        >
          <Text component="dt" fz="sm" c="dimmed">
            {field.label}
          </Text>
          <Box component="dd" m={0} miw={0}>
            <FieldValue value={field.value} />
          </Box>
        </Box>
      ))}
    </Stack>
  );
}

function FieldValue({ value }: { value: DetailValue }) {
  switch (value.kind) {
    case 'text':
      return (
        <Text
          span
          fz="sm"
          className={value.mono ? 'cp-mono' : undefined}
          style={{ overflowWrap: 'anywhere' }}
        >
          {value.text}
        </Text>
      );
    case 'list':
      return (
        <Group gap={4}>
          {keyedItems(value.items).map(({ key, item }) => (
            <Badge key={key} variant="default" tt="none" fw={400}>
              {item}
            </Badge>
          ))}
        </Group>
      );
    case 'fields':
      return <FieldList fields={value.fields} />;
    case 'none':
      return (
        <Text span fz="sm" c="dimmed">
          none
        </Text>
      );
  }
}

/** Plain values may repeat in a list: each keyed by the value and how often it came before. */
function keyedItems(items: readonly string[]): { key: string; item: string }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const n = seen.get(item) ?? 0;
    seen.set(item, n + 1);
    return { key: `${item}\u0000${n}`, item };
  });
}
