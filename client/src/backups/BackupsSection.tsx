import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconCheck, IconDatabase, IconDownload, IconTrash } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { BackupsSection_BackupFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { type MutationProblem, mutationProblem } from '../graphql/mutation-errors.ts';
import { ConfirmAction } from '../tenants/detail/ConfirmAction.tsx';
import { SectionLoading } from '../tenants/detail/SectionLoading.tsx';
import { formatBytes } from '../tenants/detail/secret-status.ts';

graphql(`
  fragment BackupsSection_Backup on TenantBackup {
    id
    state
    trigger
    requestedBy
    phase
    progressBytes
    startedAt
    finishedAt
    sizeBytes
    sha256
    error
    verification
    verifiedAt
    verifyError
  }
`);

const BackupsSection_Backups = graphql(`
  query BackupsSection_Backups($slug: String!) {
    tenant(slug: $slug) {
      id
      backups(first: 50) {
        edges {
          node {
            ...BackupsSection_Backup
          }
        }
      }
      backupSettings {
        schedule
        keep
        custom
      }
    }
  }
`);

const BackupsSection_Changes = graphql(`
  subscription BackupsSection_Changes($slug: String!) {
    tenantBackupChanged(slug: $slug) {
      backupId
      change
      backup {
        ...BackupsSection_Backup
      }
    }
  }
`);

const BackupsSection_Create = graphql(`
  mutation BackupsSection_Create($slug: String!) {
    createTenantBackup(slug: $slug) {
      __typename
      ... on MutationCreateTenantBackupSuccess {
        data {
          ...BackupsSection_Backup
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const BackupsSection_Verify = graphql(`
  mutation BackupsSection_Verify($slug: String!, $id: ID!) {
    verifyTenantBackup(slug: $slug, id: $id) {
      __typename
      ... on MutationVerifyTenantBackupSuccess {
        data {
          ...BackupsSection_Backup
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const BackupsSection_Delete = graphql(`
  mutation BackupsSection_Delete($slug: String!, $id: ID!) {
    deleteTenantBackup(slug: $slug, id: $id) {
      __typename
      ... on MutationDeleteTenantBackupSuccess {
        data {
          id
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const BackupsSection_Settings = graphql(`
  mutation BackupsSection_Settings($slug: String!, $input: TenantBackupSettingsInput!) {
    setTenantBackupSettings(slug: $slug, input: $input) {
      __typename
      ... on MutationSetTenantBackupSettingsSuccess {
        data {
          schedule
          keep
          custom
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const STATE_COLOR = { RUNNING: 'blue', SUCCEEDED: 'teal', FAILED: 'red' } as const;
const VERIFY_LABEL = {
  NONE: ['Not verified', 'gray'],
  RUNNING: ['Verifying…', 'blue'],
  PASSED: ['Restorable', 'teal'],
  FAILED: ['Verification failed', 'red'],
} as const;

/** A tenant's backups: trigger one, follow it live, download, verify, delete; schedule and retention. */
export function BackupsSection({ slug }: { slug: string }) {
  const mayChange = useCan('tenant.backups');
  const [result, refetch] = useQuery({
    query: BackupsSection_Backups,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  // A backup's changes land in the cache by id; a new or deleted one changes the list itself.
  const [changes] = useSubscription({ query: BackupsSection_Changes, variables: { slug } });
  const latest = changes.data?.tenantBackupChanged;
  useEffect(() => {
    if (latest && (latest.change === 'CREATED' || latest.change === 'DELETED'))
      refetch({ requestPolicy: 'network-only' });
  }, [latest, refetch]);
  const [, create] = useMutation(BackupsSection_Create);
  const [, verify] = useMutation(BackupsSection_Verify);
  const [, remove] = useMutation(BackupsSection_Delete);
  const [problem, setProblem] = useState<MutationProblem<string> | null>(null);
  const [starting, setStarting] = useState(false);
  const tenant = result.data?.tenant;
  const backups = (tenant?.backups.edges ?? []).map((e) => e.node as BackupsSection_BackupFragment);
  const running = backups.some((b) => b.state === 'RUNNING');

  async function start() {
    setStarting(true);
    const outcome = await create({ slug });
    setStarting(false);
    setProblem(mutationProblem(outcome.data?.createTenantBackup, outcome.error, []));
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <Stack gap="lg" data-testid="backups-section">
      <Card>
        <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
          <div>
            <Title order={2} fz="md">
              Backups
            </Title>
            <Text fz="sm" c="dimmed">
              pg_dump of the tenant database (custom format: restore with pg_restore), newest first.
            </Text>
          </div>
          {mayChange && (
            <Button
              leftSection={<IconDatabase size={16} />}
              loading={starting}
              disabled={running}
              onClick={start}
              data-testid="create-backup"
            >
              Back up now
            </Button>
          )}
        </Group>
        {problem && <Problem message={problem.message} issues={problem.other} />}
        {backups.length > 0 ? (
          <Table verticalSpacing={6} data-testid="backups" className="cp-cards">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>Verification</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {backups.map((backup) => (
                <BackupRow
                  key={backup.id}
                  backup={backup}
                  slug={slug}
                  mayChange={mayChange}
                  onVerify={async () => {
                    const outcome = await verify({ slug, id: backup.id });
                    return mutationProblem(outcome.data?.verifyTenantBackup, outcome.error, []);
                  }}
                  onDelete={async () => {
                    const outcome = await remove({ slug, id: backup.id });
                    return mutationProblem(outcome.data?.deleteTenantBackup, outcome.error, []);
                  }}
                />
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          tenant && (
            <Text fz="sm" c="dimmed" data-testid="no-backups">
              No backups yet.
            </Text>
          )
        )}
        <SectionLoading loaded={tenant != null || !result.fetching} error={result.error ?? null} />
      </Card>
      {tenant && (
        <ScheduleCard
          slug={slug}
          settings={tenant.backupSettings}
          mayChange={mayChange}
          key={`${tenant.backupSettings.schedule}/${tenant.backupSettings.keep}`}
        />
      )}
    </Stack>
  );
}

type BackupRowProps = {
  backup: BackupsSection_BackupFragment;
  slug: string;
  mayChange: boolean;
  onVerify: () => Promise<MutationProblem<string> | null>;
  onDelete: () => Promise<MutationProblem<string> | null>;
};

function BackupRow({ backup, slug, mayChange, onVerify, onDelete }: BackupRowProps) {
  const [verifyLabel, verifyColor] = VERIFY_LABEL[backup.verification];
  const done = backup.state === 'SUCCEEDED';
  return (
    <Table.Tr
      data-backup-state={backup.state.toLowerCase()}
      data-verification={backup.verification.toLowerCase()}
      data-backup-id={backup.id}
    >
      <Table.Td fz="sm" data-label="Started">
        <TimeAgo iso={backup.startedAt} />
      </Table.Td>
      <Table.Td fz="sm" data-label="By">
        {backup.trigger === 'SCHEDULE' ? 'schedule' : backup.requestedBy}
      </Table.Td>
      <Table.Td data-label="State">
        <Badge color={STATE_COLOR[backup.state]} variant="light">
          {backup.state === 'RUNNING' ? (backup.phase ?? 'running') : backup.state.toLowerCase()}
        </Badge>
        {backup.error && (
          <Text fz="xs" c="red" mt={4} maw={360}>
            {backup.error}
          </Text>
        )}
      </Table.Td>
      <Table.Td fz="sm" className="cp-mono" data-label="Size">
        {formatBytes(done ? backup.sizeBytes : backup.progressBytes)}
      </Table.Td>
      <Table.Td data-label="Verification">
        {done && (
          <Badge color={verifyColor} variant="light" title={backup.verifyError ?? undefined}>
            {verifyLabel}
          </Badge>
        )}
        {backup.verifyError && (
          <Text fz="xs" c="red" mt={4} maw={360}>
            {backup.verifyError}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {done && (
          <Group gap="xs" wrap="nowrap">
            {mayChange && (
              <Anchor
                href={`/tenants/${encodeURIComponent(slug)}/backups/${backup.id}/download`}
                download
                fz="sm"
                data-testid="download-backup"
              >
                <Group gap={4} wrap="nowrap">
                  <IconDownload size={14} /> Download
                </Group>
              </Anchor>
            )}
            {mayChange && (
              <ConfirmAction
                label="Verify"
                title="Verify this backup?"
                leftSection={<IconCheck size={16} />}
                disabled={backup.verification === 'RUNNING'}
                testId="verify-backup"
                onConfirm={onVerify}
              >
                It is restored into a scratch database and each table's rows are compared with those counted
                when it was made; the scratch database is dropped afterwards.
              </ConfirmAction>
            )}
            {mayChange && (
              <ConfirmAction
                label="Delete"
                title="Delete this backup?"
                color="red"
                leftSection={<IconTrash size={16} />}
                testId="delete-backup"
                onConfirm={onDelete}
              >
                Its file is removed from backup storage. This cannot be undone.
              </ConfirmAction>
            )}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

type ScheduleCardProps = {
  slug: string;
  settings: { schedule?: string | null; keep: number; custom: boolean };
  mayChange: boolean;
};

function ScheduleCard({ slug, settings, mayChange }: ScheduleCardProps) {
  const [schedule, setSchedule] = useState(settings.schedule ?? '');
  const [keep, setKeep] = useState<number | string>(settings.keep);
  const [problem, setProblem] = useState<MutationProblem<'schedule' | 'keep'> | null>(null);
  const [{ fetching }, save] = useMutation(BackupsSection_Settings);
  return (
    <Card>
      <Title order={2} fz="md" mb={4}>
        Schedule and retention
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        {settings.custom ? 'Set for this tenant.' : 'The defaults (BACKUP_SCHEDULE, BACKUP_KEEP).'} Scheduled
        backups run daily at the time given, in UTC.
      </Text>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const outcome = await save({
            slug,
            input: { schedule: schedule.trim() === '' ? null : schedule.trim(), keep: Number(keep) },
          });
          setProblem(
            mutationProblem(outcome.data?.setTenantBackupSettings, outcome.error, ['schedule', 'keep']),
          );
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Daily at (UTC)"
            placeholder="none"
            value={schedule}
            onChange={(e) => setSchedule(e.currentTarget.value)}
            error={problem?.fields.schedule}
            disabled={!mayChange}
            w={140}
            data-testid="backup-schedule"
          />
          <NumberInput
            label="Keep"
            min={1}
            max={1000}
            value={keep}
            onChange={setKeep}
            error={problem?.fields.keep}
            disabled={!mayChange}
            w={120}
            data-testid="backup-keep"
          />
          {mayChange && (
            <Button type="submit" variant="default" loading={fetching}>
              Save
            </Button>
          )}
        </Group>
      </form>
      {problem && problem.other.length + Object.keys(problem.fields).length === 0 && (
        <Problem message={problem.message} />
      )}
    </Card>
  );
}
