import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Input,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconPools, IconRotate } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime, formatUntil } from '../components/time.ts';
import { useNow } from '../components/use-now.ts';
import type { SharedPoolCard_PoolFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { sentence } from '../graphql/mutation-errors.ts';
import { Link } from '../router/Link.tsx';
import { tenantPath, withQuery } from '../router/routes.ts';
import { ConfirmAction } from '../tenants/detail/ConfirmAction.tsx';
import { Facts } from '../tenants/detail/SecretFacts.tsx';
import { SectionLoading } from '../tenants/detail/SectionLoading.tsx';
import { AgentsTable } from './AgentsTable.tsx';
import { parseWholeNumber, REPLICAS_RANGE } from './rules.ts';
import { SettingForm, useSettingMutation } from './SettingForm.tsx';

graphql(`
  fragment SharedPoolCard_Pool on SharedAgentPool {
    initialized
    replicas
    readyReplicas
    image
    version
    keyId
    keyCreatedAt
    previousKeyId
    previousKeyExpiresAt
    tenants
    agents {
      ...AgentsTable_Agent
    }
  }
`);

const SharedPoolCard_Pool = graphql(`
  query SharedPoolCard_Pool {
    sharedAgentPool {
      ...SharedPoolCard_Pool
    }
  }
`);

const SharedPoolCard_Changed = graphql(`
  subscription SharedPoolCard_Changed {
    sharedAgentPoolChanged {
      ...SharedPoolCard_Pool
    }
  }
`);

const SharedPoolCard_Initialize = graphql(`
  mutation SharedPoolCard_Initialize {
    createSharedAgentPool {
      __typename
      ... on MutationCreateSharedAgentPoolSuccess {
        data {
          ...SharedPoolCard_Pool
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const SharedPoolCard_Scale = graphql(`
  mutation SharedPoolCard_Scale($replicas: Int!) {
    scaleSharedAgentPool(replicas: $replicas) {
      __typename
      ... on MutationScaleSharedAgentPoolSuccess {
        data {
          ...SharedPoolCard_Pool
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const SharedPoolCard_RotateKey = graphql(`
  mutation SharedPoolCard_RotateKey {
    rotateSharedAgentPoolKey {
      __typename
      ... on MutationRotateSharedAgentPoolKeySuccess {
        data {
          ...SharedPoolCard_Pool
        }
      }
      ...MutationProblem_Error
    }
  }
`);

/**
 * The shared agent pool, for tenants in agent mode without a pool of their own: its agents live
 * (sharedAgentPoolChanged, one SharedAgentPool in the cache that every answer replaces), and for
 * admins initialize, scale and rotate its registration key.
 */
export function SharedPoolCard() {
  const mayManage = useCan('pool.manage');
  const [result] = useQuery({ query: SharedPoolCard_Pool, requestPolicy: 'cache-and-network' });
  const [live] = useSubscription({ query: SharedPoolCard_Changed });
  const pool = result.data?.sharedAgentPool;

  return (
    <Card data-testid="shared-pool" data-initialized={pool?.initialized ?? ''}>
      <Group justify="space-between" mb={4}>
        <Title order={2} fz="md">
          Shared agent pool
        </Title>
        {pool && (
          <Badge color={pool.initialized ? 'teal' : 'gray'} variant="light">
            {pool.initialized ? 'Initialized' : 'Not initialized'}
          </Badge>
        )}
      </Group>
      <Text fz="sm" c="dimmed" mb="md">
        Runs the tasks of tenants in agent mode that have no pool of their own.
      </Text>
      {!pool ? (
        <SectionLoading loaded={false} error={result.error ?? null} />
      ) : pool.initialized ? (
        <Initialized pool={pool} mayManage={mayManage} />
      ) : (
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            It does not exist yet: initializing makes its registration key (Secret agent-shared-hmac) and its
            agents (Deployment agent-shared, 2 to start with).
          </Text>
          {mayManage && <InitializeButton />}
        </Stack>
      )}
      {live.error && (
        <Text fz="sm" c="orange" role="status" mt="sm">
          Live updates paused: {describeError(live.error)}
        </Text>
      )}
    </Card>
  );
}

function Initialized({ pool, mayManage }: { pool: SharedPoolCard_PoolFragment; mayManage: boolean }) {
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: mayManage ? 2 : 1 }} spacing="xl">
        <Facts rows={sharedPoolRows(pool)} />
        {mayManage && (
          <Stack gap="md">
            <ScaleForm key={pool.replicas} replicas={pool.replicas} />
            <Input.Wrapper
              label="Registration key"
              description="Agents register with it; rotating restarts them with a new one."
              labelElement="div"
            >
              <Group mt={6}>
                <RotateKeyButton />
              </Group>
            </Input.Wrapper>
          </Stack>
        )}
      </SimpleGrid>
      <div>
        <Text fz="sm" fw={600} mb={6}>
          Agents
        </Text>
        <AgentsTable agents={pool.agents} empty="No agents: scaled to 0." testId="shared-agents" />
      </div>
    </Stack>
  );
}

function sharedPoolRows(pool: SharedPoolCard_PoolFragment): (readonly [string, ReactNode])[] {
  return [
    [
      'Agents',
      <span
        key="a"
        data-testid="shared-replicas"
        data-replicas={pool.replicas}
        data-ready-replicas={pool.readyReplicas}
      >
        {pool.readyReplicas.toLocaleString()} of {pool.replicas.toLocaleString()} ready
      </span>,
    ],
    [
      'Image',
      <Stack key="i" gap={0}>
        <span className="cp-mono" style={{ overflowWrap: 'anywhere' }}>
          {pool.image ?? '—'}
        </span>
        {pool.version && (
          <Text span fz="xs" c="dimmed">
            version {pool.version}
          </Text>
        )}
      </Stack>,
    ],
    [
      'Registration key',
      <Stack key="k" gap={0}>
        <span className="cp-mono" data-testid="shared-key-id">
          {pool.keyId ?? '—'}
        </span>
        {pool.keyCreatedAt && (
          <Text span fz="xs" c="dimmed">
            made <TimeAgo iso={pool.keyCreatedAt} />
          </Text>
        )}
      </Stack>,
    ],
    ['Previous key', <PreviousKey key="p" pool={pool} />],
    [
      'Tenants',
      pool.tenants.length === 0 ? (
        <Text key="t" span fz="sm" c="dimmed" data-testid="shared-tenants">
          none
        </Text>
      ) : (
        <Group key="t" gap={8} data-testid="shared-tenants">
          {pool.tenants.map((slug) => (
            <Anchor
              key={slug}
              component={Link}
              to={withQuery(tenantPath(slug), { tab: 'workers' })}
              fz="sm"
              className="cp-mono"
            >
              {slug}
            </Anchor>
          ))}
        </Group>
      ),
    ],
  ];
}

/** The key retired by the last rotation, valid until its grace period ends. */
function PreviousKey({ pool }: { pool: SharedPoolCard_PoolFragment }) {
  const now = useNow();
  if (!pool.previousKeyId || !pool.previousKeyExpiresAt) {
    return (
      <Text span fz="sm" c="dimmed">
        none
      </Text>
    );
  }
  return (
    <Stack gap={0} data-testid="shared-previous-key">
      <span className="cp-mono">{pool.previousKeyId}</span>
      <Text span fz="xs" c="dimmed">
        valid until {formatTime(pool.previousKeyExpiresAt)} ({formatUntil(pool.previousKeyExpiresAt, now)})
      </Text>
    </Stack>
  );
}

function InitializeButton() {
  const save = useSettingMutation(SharedPoolCard_Initialize, (d) => d.createSharedAgentPool, []);
  return (
    <Stack gap={6} align="flex-start">
      <Button
        leftSection={<IconPools size={16} />}
        loading={save.running}
        onClick={() => void save.run({})}
        data-testid="initialize-shared-pool"
      >
        Initialize
      </Button>
      {save.problem && <Problem title="Not initialized" message={save.problem.message} />}
    </Stack>
  );
}

/** Agents wanted, 0–100. */
function ScaleForm({ replicas }: { replicas: number }) {
  const [draft, setDraft] = useState<string | number>(replicas);
  const save = useSettingMutation(SharedPoolCard_Scale, (d) => d.scaleSharedAgentPool, ['replicas']);
  const parsed = parseWholeNumber(draft, REPLICAS_RANGE);
  const fieldError = save.problem?.fields.replicas ?? parsed.problem;
  return (
    <SettingForm
      testId="scale-shared-pool"
      label="Scale"
      ready={parsed.value !== null && parsed.value !== replicas}
      running={save.running}
      problem={save.problem}
      onField={Boolean(save.problem?.fields.replicas)}
      problemTitle="Not scaled"
      onSubmit={() => parsed.value !== null && void save.run({ replicas: parsed.value })}
    >
      <NumberInput
        label="Agents wanted"
        value={draft}
        onChange={(value) => {
          setDraft(value);
          save.clear();
        }}
        error={fieldError ? sentence(fieldError) : undefined}
        min={REPLICAS_RANGE.min}
        max={REPLICAS_RANGE.max}
        clampBehavior="none"
        allowDecimal={false}
        allowNegative={false}
        w={140}
      />
    </SettingForm>
  );
}

function RotateKeyButton() {
  const rotate = useSettingMutation(SharedPoolCard_RotateKey, (d) => d.rotateSharedAgentPoolKey, []);
  return (
    <ConfirmAction
      label="Rotate key"
      title="Rotate the registration key?"
      leftSection={<IconRotate size={14} />}
      testId="rotate-shared-key"
      onConfirm={() => rotate.run({})}
    >
      A new key becomes current and the agents restart with it. The current key stays valid for the grace
      period, so agents still holding it keep working until then.
    </ConfirmAction>
  );
}
