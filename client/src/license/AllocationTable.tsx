import { ActionIcon, Anchor, Button, Group, NumberInput, Stack, Table, Text, Tooltip } from '@mantine/core';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { IconPencil } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { AllocationTable_TenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { Link } from '../router/Link.tsx';
import { tenantPath } from '../router/routes.ts';
import { NO_ANSWER } from '../tenants/detail/use-reveal.ts';
import { SyncBadge } from './badges.tsx';
import { parseAllocation } from './inputs.ts';
import type { LinesPage } from './lines-page.ts';

graphql(`
  fragment AllocationTable_Tenant on LicenseTenant {
    slug
    name
    userCap
    effectiveCap
    users
    syncState
    attempts
    lastError
    nextAttemptAt
    syncedAt
  }
`);

const AllocationTable_SetAllocation = graphql(`
  mutation AllocationTable_SetAllocation($slug: String!, $userCap: Int, $first: Int!, $after: String) {
    setLicenseAllocation(slug: $slug, userCap: $userCap) {
      __typename
      ... on MutationSetLicenseAllocationSuccess {
        data {
          ...LicensePage_License
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const FIELDS = ['userCap'] as const;
type Field = (typeof FIELDS)[number];

type AllocationTableProps = {
  lines: readonly AllocationTable_TenantFragment[];
  /** Whether a license is in force: without one, allocations are kept but do not apply. */
  licensed: boolean;
  /** Whether the operator may change allocations (an admin). */
  mayManage: boolean;
  page: LinesPage;
};

/** Each tenant's allocation, the cap it gets, its users and whether its backend holds the license. */
export function AllocationTable({ lines, licensed, mayManage, page }: AllocationTableProps) {
  return (
    <Table.ScrollContainer minWidth={860} className="cp-cards">
      <Table verticalSpacing="sm" data-testid="allocation-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Tenant</Table.Th>
            <Table.Th w={300}>Allocation</Table.Th>
            <Table.Th>Effective cap</Table.Th>
            <Table.Th>Users</Table.Th>
            <Table.Th>Sync</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line) => (
            <Table.Tr key={line.slug} data-slug={line.slug} data-sync-state={line.syncState}>
              <Table.Td data-label="Tenant">
                <Stack gap={0}>
                  <Anchor component={Link} to={tenantPath(line.slug)} fz="sm" className="cp-mono">
                    {line.slug}
                  </Anchor>
                  <Text fz="xs" c="dimmed">
                    {line.name}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td data-label="Allocation">
                <AllocationCell
                  line={line}
                  licensed={licensed}
                  editable={mayManage && licensed}
                  page={page}
                />
              </Table.Td>
              <Table.Td
                fz="sm"
                data-label="Effective cap"
                data-testid="effective-cap"
                style={{ fontVariantNumeric: 'tabular-nums' }}
              >
                {line.effectiveCap.toLocaleString()}
              </Table.Td>
              <Table.Td fz="sm" data-label="Users" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {line.users === null || line.users === undefined ? (
                  <Text span fz="sm" c="dimmed">
                    —
                  </Text>
                ) : (
                  <Text span fz="sm" c={line.users > line.effectiveCap ? 'red' : undefined}>
                    {line.users.toLocaleString()}
                  </Text>
                )}
              </Table.Td>
              <Table.Td data-label="Sync">
                <SyncCell line={line} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SyncCell({ line }: { line: AllocationTable_TenantFragment }) {
  return (
    <Stack gap={2} align="flex-start">
      <SyncBadge state={line.syncState} />
      {line.syncState === 'SYNCED' && line.syncedAt && (
        <Text fz="xs" c="dimmed">
          <TimeAgo iso={line.syncedAt} />
        </Text>
      )}
      {line.syncState === 'FAILED' && (
        <>
          {line.lastError && (
            <Text fz="xs" c="red" maw={360} data-testid="sync-error">
              {line.lastError}
            </Text>
          )}
          <Text fz="xs" c="dimmed">
            {line.attempts.toLocaleString()} failed {line.attempts === 1 ? 'attempt' : 'attempts'}
            {line.nextAttemptAt ? ` · next ${formatTime(line.nextAttemptAt)}` : ''}
          </Text>
        </>
      )}
    </Stack>
  );
}

/** The allocation, and for admins an inline edit: a number saves it, an empty field removes it. */
function AllocationCell({
  line,
  licensed,
  editable,
  page,
}: {
  line: AllocationTable_TenantFragment;
  licensed: boolean;
  editable: boolean;
  page: LinesPage;
}) {
  const [editing, setEditing] = useState(false);
  if (editing) return <AllocationEditor line={line} page={page} onDone={() => setEditing(false)} />;
  return (
    <Group gap={6} wrap="nowrap">
      <Text span fz="sm" data-testid="user-cap" data-user-cap={line.userCap ?? ''}>
        {line.userCap === null || line.userCap === undefined ? (
          <Text span fz="sm" c="dimmed">
            {licensed ? 'shared' : '—'}
          </Text>
        ) : licensed ? (
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>{line.userCap.toLocaleString()}</span>
        ) : (
          <Text span fz="sm" c="dimmed">
            {line.userCap.toLocaleString()}, once a license is active
          </Text>
        )}
      </Text>
      {editable && (
        <Tooltip label="Edit allocation">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`Edit allocation of ${line.slug}`}
            onClick={() => setEditing(true)}
          >
            <IconPencil size={14} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

type AllocationEditorProps = {
  line: AllocationTable_TenantFragment;
  page: LinesPage;
  onDone: () => void;
};

function AllocationEditor({ line, page, onDone }: AllocationEditorProps) {
  const [draft, setDraft] = useState<string | number>(line.userCap ?? '');
  const [problem, setProblem] = useState<MutationProblem<Field> | null>(null);
  const [saving, save] = useMutation(AllocationTable_SetAllocation);
  const input = useRef<HTMLInputElement>(null);
  // The operator asked to edit: the field takes the focus, as a dialog's first field would.
  useEffect(() => input.current?.focus(), []);
  const parsed = parseAllocation(draft);
  const verb = parsed.userCap === null ? 'Remove' : 'Save';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (parsed.problem) return;
    const result = await save({ slug: line.slug, userCap: parsed.userCap, ...page });
    const payload = result.data?.setLicenseAllocation;
    if (payload?.__typename === 'MutationSetLicenseAllocationSuccess') {
      onDone();
      return;
    }
    setProblem(mutationProblem(payload, result.error, FIELDS) ?? NO_ANSWER);
  }

  const fieldError = problem?.fields.userCap ?? parsed.problem;
  return (
    <form onSubmit={submit} noValidate aria-busy={saving.fetching} data-testid="allocation-form">
      <Stack gap={6}>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <NumberInput
            ref={input}
            aria-label={`Allocation of ${line.slug}`}
            placeholder="shared"
            value={draft}
            onChange={(value) => {
              setDraft(value);
              setProblem(null);
            }}
            onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
              if (event.key === 'Escape') onDone();
            }}
            error={fieldError ? sentence(fieldError) : undefined}
            allowDecimal={false}
            allowNegative={false}
            hideControls
            size="xs"
            w={110}
          />
          <Button
            type="submit"
            size="xs"
            loading={saving.fetching}
            disabled={Boolean(parsed.problem)}
            aria-label={`${verb} allocation of ${line.slug}`}
          >
            {verb}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            onClick={onDone}
            aria-label={`Cancel editing the allocation of ${line.slug}`}
          >
            Cancel
          </Button>
        </Group>
        <Text fz="xs" c="dimmed">
          Empty removes the allocation: the tenant then shares what no allocation holds.
        </Text>
        {problem && !problem.fields.userCap && (
          <Problem title="Not saved" message={problem.message} issues={problem.other} />
        )}
      </Stack>
    </form>
  );
}
