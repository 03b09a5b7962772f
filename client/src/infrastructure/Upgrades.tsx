import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { InfrastructurePage_UpgradeFragment, WorkerComponent } from '../gql/graphql.ts';
import { describeError } from '../graphql/errors.ts';
import { useLiveStatus } from '../graphql/live.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { ConfirmAction } from '../tenants/detail/ConfirmAction.tsx';
import { NO_ANSWER } from '../tenants/detail/use-reveal.ts';
import {
  InfrastructurePage_Rollback,
  InfrastructurePage_Upgrade,
  InfrastructurePage_UpgradeChanged,
  InfrastructurePage_UpgradeWorkers,
} from './documents.ts';
import { UPGRADE_STATE_LOOK, versionProblem, WORKER_COMPONENT_LABEL } from './look.ts';

type Upgrade = InfrastructurePage_UpgradeFragment;

/** How often a running upgrade is read again besides its subscription. */
const RUNNING_REREAD_MS = 2000;

/** Where each Deployment's rollout stands: replicas on the new version, and ready. */
function DeploymentProgress({
  deployment,
  ended,
}: {
  deployment: Upgrade['deployments'][number];
  /** The upgrade has ended: a Deployment not done stopped where it is. */
  ended: boolean;
}) {
  const wanted = Math.max(deployment.replicas, 1);
  const updated = Math.min(100, (100 * deployment.updatedReplicas) / wanted);
  const ready = Math.min(100, (100 * deployment.readyReplicas) / wanted);
  const serves = deployment.tenant
    ? `tenant ${deployment.tenant}`
    : deployment.pool
      ? `pool ${deployment.pool}`
      : 'shared';
  return (
    <Stack
      gap={4}
      data-testid="upgrade-deployment"
      data-deployment={deployment.name}
      data-done={deployment.done}
      data-updated={deployment.updatedReplicas}
      data-ready={deployment.readyReplicas}
      data-replicas={deployment.replicas}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text fz="sm">
          <span className="cp-mono">{deployment.name}</span>{' '}
          <Text span c="dimmed" fz="xs">
            ({serves}) {deployment.fromVersion ?? '?'} → {deployment.toVersion ?? '?'}
          </Text>
        </Text>
        {deployment.gone ? (
          <Badge color="gray" variant="light">
            Deleted
          </Badge>
        ) : deployment.done ? (
          <Badge color="teal" variant="light">
            Done
          </Badge>
        ) : ended ? (
          <Badge color="orange" variant="light">
            Not rolled out
          </Badge>
        ) : (
          <Badge color="blue" variant="light">
            Rolling
          </Badge>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap">
        <Text fz="xs" c="dimmed" w={64}>
          Updated
        </Text>
        <Progress
          value={updated}
          color={deployment.done ? 'teal' : 'blue'}
          size="md"
          style={{ flex: 1 }}
          aria-label={`${deployment.name}: ${deployment.updatedReplicas} of ${deployment.replicas} replicas updated`}
        />
        <Text fz="xs" w={48} ta="right">
          {deployment.updatedReplicas}/{deployment.replicas}
        </Text>
      </Group>
      <Group gap="xs" wrap="nowrap">
        <Text fz="xs" c="dimmed" w={64}>
          Ready
        </Text>
        <Progress
          value={ready}
          color="teal"
          size="md"
          style={{ flex: 1 }}
          aria-label={`${deployment.name}: ${deployment.readyReplicas} of ${deployment.replicas} replicas ready (any version)`}
        />
        <Text fz="xs" w={48} ta="right">
          {deployment.readyReplicas}/{deployment.replicas}
        </Text>
      </Group>
    </Stack>
  );
}

/** What an upgrade's error means, by the state it is in. */
const ERROR_TITLE: Record<Upgrade['state'], string> = {
  RUNNING: 'The rollout has a problem',
  STUCK: 'The rollout is stuck',
  FAILED: 'The upgrade failed',
  ROLLED_BACK: 'Why it was rolled back',
  SUCCEEDED: 'The rollout had a problem',
};

type UpgradeProgressProps = {
  id: string;
  /** Whether it is its component's latest upgrade, the only one the API rolls back. */
  latest?: boolean;
  /** Called with the rollback's id once one was started from here. */
  onFollow?: (id: string) => void;
};

/** One upgrade followed live: its state, why it is stuck, each Deployment's rollout, rollback. */
export function UpgradeProgress({ id, latest = true, onFollow }: UpgradeProgressProps) {
  // The subscription only says what changes from now on: the query reads where it stands, and again
  // after the socket comes back, so nothing between the two is missed. Both land on the same record.
  const [result, refetch] = useQuery({
    query: InfrastructurePage_Upgrade,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  useSubscription({ query: InfrastructurePage_UpgradeChanged, variables: { id } });
  const live = useLiveStatus();
  useEffect(() => {
    if (live === 'connected') refetch({ requestPolicy: 'network-only' });
  }, [live, refetch]);
  const mayUpgrade = useCan('infrastructure.upgrade');
  const [, executeRollback] = useMutation(InfrastructurePage_Rollback);

  const upgrade = result.data?.workerUpgrade;
  // workerUpgradeChanged sends nothing on subscribing, and the socket says nothing of when the
  // server has registered it: a change in between would be missed. While the upgrade runs, it is
  // read again now and then; its end, which no later event would correct, is never missed.
  const running = upgrade?.state === 'RUNNING';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), RUNNING_REREAD_MS);
    return () => clearInterval(timer);
  }, [running, refetch]);
  if (!upgrade) {
    if (result.error)
      return <Problem title="The upgrade could not be read" message={describeError(result.error)} />;
    return (
      <Text fz="sm" c="dimmed">
        Reading the upgrade…
      </Text>
    );
  }
  const look = UPGRADE_STATE_LOOK[upgrade.state];
  const done = upgrade.deployments.filter((d) => d.done || d.gone).length;
  const mayRollBack =
    mayUpgrade &&
    latest &&
    upgrade.previousVersion !== null &&
    (upgrade.state === 'STUCK' || upgrade.state === 'FAILED' || upgrade.state === 'SUCCEEDED');
  return (
    <Stack gap="sm" data-testid="upgrade-progress" data-upgrade={upgrade.id} data-state={upgrade.state}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fz="sm" fw={600}>
          {upgrade.rollbackOf ? 'Rollback of ' : ''}
          {WORKER_COMPONENT_LABEL[upgrade.component]} to <span className="cp-mono">{upgrade.version}</span>
          {upgrade.previousVersion && (
            <Text span fz="sm" c="dimmed" fw={400}>
              {' '}
              (from <span className="cp-mono">{upgrade.previousVersion}</span>)
            </Text>
          )}
        </Text>
        <Badge color={look.color} variant="filled" data-testid="upgrade-state">
          {look.label}
        </Badge>
      </Group>
      <Text fz="xs" c="dimmed">
        Requested by {upgrade.requestedBy} <TimeAgo iso={upgrade.createdAt} />
        {upgrade.deployments.length > 0 &&
          ` · ${done} of ${upgrade.deployments.length} Deployments rolled out`}
      </Text>
      {upgrade.error && <Problem title={ERROR_TITLE[upgrade.state]} message={upgrade.error} />}
      {upgrade.deployments.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {upgrade.state === 'RUNNING' ? 'Planning the Deployments to roll…' : 'No Deployment to roll.'}
        </Text>
      ) : (
        <Stack gap="sm" data-testid="upgrade-deployments" data-count={upgrade.deployments.length}>
          {upgrade.deployments.map((deployment) => (
            <DeploymentProgress
              key={deployment.name}
              deployment={deployment}
              ended={upgrade.state !== 'RUNNING'}
            />
          ))}
        </Stack>
      )}
      {mayRollBack && (
        <ConfirmAction
          label="Roll back"
          title={`Roll ${WORKER_COMPONENT_LABEL[upgrade.component].toLowerCase()} back to ${upgrade.previousVersion}?`}
          color={upgrade.state === 'SUCCEEDED' ? undefined : 'orange'}
          variant={upgrade.state === 'SUCCEEDED' ? 'default' : 'filled'}
          testId="rollback-upgrade"
          onConfirm={async () => {
            const answer = await executeRollback({ id: upgrade.id });
            const payload = answer.data?.rollbackWorkerUpgrade;
            if (payload?.__typename === 'MutationRollbackWorkerUpgradeSuccess') {
              onFollow?.(payload.data.id);
              return null;
            }
            return mutationProblem(payload, answer.error, []) ?? NO_ANSWER;
          }}
        >
          Every Deployment this upgrade moved returns to the image it ran before, as a new upgrade followed
          here.
        </ConfirmAction>
      )}
    </Stack>
  );
}

type UpgradeDialogProps = {
  opened: boolean;
  onClose: () => void;
  /** The versions each component runs now, shown as a hint. */
  current: Partial<Record<WorkerComponent, readonly string[]>>;
  /** Called with an upgrade started here: the new one, or a rollback started from its progress. */
  onStarted: (id: string) => void;
};

const COMPONENT_CHOICES = (Object.keys(WORKER_COMPONENT_LABEL) as WorkerComponent[]).map((value) => ({
  value,
  label: WORKER_COMPONENT_LABEL[value],
}));

/** Asks for a component and an image tag (admins only), then follows the upgrade it started. */
export function UpgradeDialog({ opened, onClose, current, onStarted }: UpgradeDialogProps) {
  const [component, setComponent] = useState<WorkerComponent>('LOGIN_WORKER');
  const [version, setVersion] = useState('');
  const [touched, setTouched] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);
  const [state, execute] = useMutation(InfrastructurePage_UpgradeWorkers);
  const [refused, setRefused] = useState<MutationProblem<'version' | 'component'> | null>(null);
  const typed = version.trim();
  const problem = versionProblem(typed);
  const fieldError = refused?.fields.version ?? (touched ? problem : null);
  const running = current[component] ?? [];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setRefused(null);
    const answer = await execute({ component, version: typed });
    const payload = answer.data?.upgradeWorkers;
    if (payload?.__typename === 'MutationUpgradeWorkersSuccess') {
      setFollowing(payload.data.id);
      onStarted(payload.data.id);
      return;
    }
    setRefused(mutationProblem(payload, answer.error, ['version', 'component'] as const) ?? NO_ANSWER);
  }

  function close() {
    setFollowing(null);
    setVersion('');
    setTouched(false);
    setRefused(null);
    onClose();
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      size="lg"
      title={<Text fw={600}>{following ? 'Upgrade in progress' : 'Upgrade workers'}</Text>}
      closeButtonProps={{ 'aria-label': 'Close upgrade dialog' }}
    >
      <div data-testid="upgrade-dialog">
        {following ? (
          <Stack gap="md">
            <UpgradeProgress
              id={following}
              onFollow={(id) => {
                setFollowing(id);
                onStarted(id);
              }}
            />
            <Text fz="xs" c="dimmed">
              The upgrade goes on when this dialog is closed; the page keeps following it.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Close
              </Button>
            </Group>
          </Stack>
        ) : (
          <form noValidate aria-busy={state.fetching} onSubmit={(event) => void submit(event)}>
            <Stack gap="md">
              <Stack gap={4}>
                <Text fz="sm" fw={500} id="upgrade-component-label">
                  Component
                </Text>
                <SegmentedControl
                  aria-labelledby="upgrade-component-label"
                  data={COMPONENT_CHOICES}
                  value={component}
                  onChange={(value) => {
                    setComponent(value as WorkerComponent);
                    setRefused(null);
                  }}
                />
                <Text fz="xs" c="dimmed" data-testid="upgrade-current">
                  {running.length === 0 ? 'No pod of it runs now.' : `Running now: ${running.join(', ')}.`}{' '}
                  Every Deployment of it, shared and dedicated, moves to the new image tag.
                </Text>
              </Stack>
              <TextInput
                label="Version"
                description="The image tag, such as 1.4.2"
                placeholder="1.4.2"
                value={version}
                onChange={(event) => {
                  setVersion(event.currentTarget.value);
                  setRefused(null);
                }}
                onBlur={() => setTouched(version !== '')}
                error={fieldError ? sentence(fieldError) : undefined}
                classNames={{ input: 'cp-mono' }}
                autoComplete="off"
                data-autofocus
              />
              {refused && !refused.fields.version && (
                <Problem
                  title="The upgrade was not started"
                  message={refused.message}
                  issues={refused.other}
                />
              )}
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" loading={state.fetching} disabled={touched && problem !== null}>
                  Start upgrade
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </div>
    </Modal>
  );
}

type UpgradesCardProps = {
  upgrades: readonly Upgrade[];
  /** Upgrades to show with their progress (running, stuck, failed, or just started here). */
  followed: readonly string[];
  onFollow: (id: string) => void;
};

/** Recent upgrades, newest first; the ones still of interest with their rollouts, live. */
export function UpgradesCard({ upgrades, followed, onFollow }: UpgradesCardProps) {
  // The list is newest first: the first of each component is the one a rollback may start from.
  const latest = new Set<string>();
  const seen = new Set<string>();
  for (const upgrade of upgrades)
    if (!seen.has(upgrade.component)) {
      seen.add(upgrade.component);
      latest.add(upgrade.id);
    }
  return (
    <Card component="section" aria-labelledby="infra-upgrades" data-testid="upgrades-card">
      <Title order={2} fz="md" id="infra-upgrades" mb="sm">
        Upgrades
      </Title>
      <Stack gap="lg">
        {followed.map((id) => (
          <Card key={id} withBorder padding="sm">
            <UpgradeProgress id={id} latest={upgrades.length === 0 || latest.has(id)} onFollow={onFollow} />
          </Card>
        ))}
        {upgrades.length === 0 ? (
          <Text fz="sm" c="dimmed">
            No worker upgrade yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={620} className="cp-cards">
            <Table
              verticalSpacing={6}
              data-testid="upgrades-list"
              data-count={upgrades.length}
              miw={620}
              style={{ whiteSpace: 'nowrap' }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Component</Table.Th>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Requested</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {upgrades.map((upgrade) => {
                  const look = UPGRADE_STATE_LOOK[upgrade.state];
                  return (
                    <Table.Tr key={upgrade.id} data-upgrade={upgrade.id} data-state={upgrade.state}>
                      <Table.Td fz="sm" data-label="Component">
                        {WORKER_COMPONENT_LABEL[upgrade.component]}
                        {upgrade.rollbackOf ? ' (rollback)' : ''}
                      </Table.Td>
                      <Table.Td fz="sm" className="cp-mono" data-label="Version">
                        {upgrade.previousVersion ? `${upgrade.previousVersion} → ` : ''}
                        {upgrade.version}
                      </Table.Td>
                      <Table.Td miw={120} data-label="State">
                        <Badge color={look.color} variant="light">
                          {look.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td fz="sm" data-label="Requested">
                        <TimeAgo iso={upgrade.createdAt} />
                      </Table.Td>
                      <Table.Td fz="sm" data-label="By">
                        {upgrade.requestedBy}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
