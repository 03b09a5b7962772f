import { Anchor, Badge, Card, Divider, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { OperationSteps } from '../components/OperationSteps.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { OperationSteps_OperationFragment, WorkersSection_ConfigFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { Link } from '../router/Link.tsx';
import { poolPath } from '../router/routes.ts';
import { Facts } from '../tenants/detail/SecretFacts.tsx';
import { SectionLoading } from '../tenants/detail/SectionLoading.tsx';
import { LoginWorkerForm } from './LoginWorkerForm.tsx';
import { LOGIN_MODE_LOOK, TASK_MODE_LOOK } from './look.ts';
import { POOLS_SHOWN, taskModeHint } from './rules.ts';
import { ConcurrencyForm, PoolForm, TaskModeForm } from './TaskWorkerForms.tsx';

graphql(`
  fragment WorkersSection_Config on TenantWorkerConfig {
    taskMode
    concurrency
    loginWorker {
      mode
      url
      maxConcurrent
    }
    pool {
      name
      labels
    }
    updatedAt
    updatedBy
  }
`);

// What every worker-settings mutation answers with: the settings and the operation applying them.
graphql(`
  fragment WorkersSection_Tenant on Tenant {
    id
    workerConfig {
      ...WorkersSection_Config
    }
    operation {
      ...OperationSteps_Operation
    }
  }
`);

const WorkersSection_Workers = graphql(`
  query WorkersSection_Workers($slug: String!) {
    tenant(slug: $slug) {
      id
      workerConfig {
        ...WorkersSection_Config
      }
    }
  }
`);

const WorkersSection_Pools = graphql(`
  query WorkersSection_Pools($first: Int!) {
    agentPools(first: $first) {
      edges {
        node {
          name
          labels
        }
      }
    }
    sharedAgentPool {
      initialized
    }
  }
`);

// A change by another operator arrives as tenantUpdated (change "workers"); the operation that
// applies it arrives through the tenant page's tenantOperation subscription.
const WorkersSection_Updates = graphql(`
  subscription WorkersSection_Updates($slug: String!) {
    tenantUpdated(slug: $slug) {
      id
      workerConfig {
        ...WorkersSection_Config
      }
    }
  }
`);

type WorkersSectionProps = {
  slug: string;
  /** The tenant's newest operation, live: shown here when it applies worker settings. */
  operation: OperationSteps_OperationFragment | null;
};

/** Where a tenant's tasks and login scripts run, and for admins the forms that change it. */
export function WorkersSection({ slug, operation }: WorkersSectionProps) {
  const mayChange = useCan('tenant.workers');
  const [result] = useQuery({
    query: WorkersSection_Workers,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  useSubscription({ query: WorkersSection_Updates, variables: { slug } });
  const [pools] = useQuery({
    query: WorkersSection_Pools,
    variables: { first: POOLS_SHOWN },
    requestPolicy: 'cache-and-network',
    pause: !mayChange,
  });
  const config = result.data?.tenant?.workerConfig;
  const poolList = pools.data?.agentPools.edges.map((edge) => edge.node) ?? [];

  return (
    <Stack gap="lg" data-testid="workers-section">
      {operation?.kind === 'WORKERS' && (
        <Card data-testid="workers-operation">
          <OperationSteps operation={operation} />
        </Card>
      )}
      {config ? (
        <>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Card data-testid="task-workers">
              <Title order={2} fz="md">
                Tasks
              </Title>
              <Text fz="sm" c="dimmed" mb="sm">
                Background tasks: inline in the backend, or on external agents.
              </Text>
              <Facts rows={taskRows(config)} />
              {mayChange && (
                <>
                  <Divider my="md" label="Change" labelPosition="left" />
                  <Stack gap="md">
                    <TaskModeForm
                      key={config.taskMode}
                      slug={slug}
                      config={config}
                      sharedPool={pools.data?.sharedAgentPool.initialized}
                    />
                    <ConcurrencyForm key={config.concurrency} slug={slug} current={config.concurrency} />
                    <PoolForm
                      key={config.pool?.name ?? ''}
                      slug={slug}
                      current={config.pool?.name ?? null}
                      pools={poolList}
                    />
                  </Stack>
                </>
              )}
            </Card>
            <Card data-testid="login-worker">
              <Title order={2} fz="md">
                Login worker
              </Title>
              <Text fz="sm" c="dimmed" mb="sm">
                Where the tenant’s post-render login scripts run.
              </Text>
              <Facts rows={loginRows(config)} />
              {mayChange && (
                <>
                  <Divider my="md" label="Change" labelPosition="left" />
                  <LoginWorkerForm
                    key={JSON.stringify(config.loginWorker)}
                    slug={slug}
                    current={config.loginWorker}
                  />
                </>
              )}
            </Card>
          </SimpleGrid>
          <Text fz="xs" c="dimmed" data-testid="workers-changed">
            {config.updatedAt ? (
              <>
                Last changed <TimeAgo iso={config.updatedAt} />
                {config.updatedBy ? ` by ${config.updatedBy}` : ''}.
              </>
            ) : (
              'The defaults: never changed.'
            )}
          </Text>
        </>
      ) : (
        <Card>
          <SectionLoading loaded={!result.fetching} error={result.error ?? null} />
        </Card>
      )}
    </Stack>
  );
}

function taskRows(config: WorkersSection_ConfigFragment) {
  const mode = TASK_MODE_LOOK[config.taskMode];
  const pool = config.pool?.name ?? null;
  return [
    [
      'Mode',
      <Stack key="m" gap={2} align="flex-start">
        <Badge color={mode.color} variant="light" data-testid="task-mode" data-mode={config.taskMode}>
          {mode.label}
        </Badge>
        <Text fz="xs" c="dimmed">
          {taskModeHint(config.taskMode, pool)}
        </Text>
      </Stack>,
    ],
    [
      'Concurrency',
      <span key="c" data-testid="concurrency" data-value={config.concurrency}>
        {config.concurrency.toLocaleString()} tasks at once
      </span>,
    ],
    [
      'Agent pool',
      pool ? (
        <Group key="p" gap={6} data-testid="assigned-pool" data-pool={pool}>
          <Anchor component={Link} to={poolPath(pool)} fz="sm" className="cp-mono">
            {pool}
          </Anchor>
          {config.pool?.labels.map((label) => (
            <Badge key={label} variant="outline" color="gray" tt="none" size="sm">
              {label}
            </Badge>
          ))}
        </Group>
      ) : (
        <Text key="p" span fz="sm" c="dimmed" data-testid="assigned-pool" data-pool="">
          none
        </Text>
      ),
    ],
  ] as const;
}

function loginRows(config: WorkersSection_ConfigFragment) {
  const { loginWorker } = config;
  const mode = LOGIN_MODE_LOOK[loginWorker.mode];
  return [
    [
      'Mode',
      <Badge key="m" color={mode.color} variant="light" data-testid="login-mode" data-mode={loginWorker.mode}>
        {mode.label}
      </Badge>,
    ],
    [
      'URL',
      loginWorker.url ? (
        <span key="u" className="cp-mono" data-testid="login-url" style={{ overflowWrap: 'anywhere' }}>
          {loginWorker.url}
        </span>
      ) : (
        <Text key="u" span fz="sm" c="dimmed" data-testid="login-url">
          none: inline
        </Text>
      ),
    ],
    [
      'Max concurrent',
      <span key="x" data-testid="login-max" data-value={loginWorker.maxConcurrent}>
        {loginWorker.maxConcurrent.toLocaleString()} scripts at once
      </span>,
    ],
  ] as const;
}
