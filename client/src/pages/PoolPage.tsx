import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Center,
  EmptyState,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconPools, IconTrash } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { PoolPage_PoolFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { sentence } from '../graphql/mutation-errors.ts';
import { Link } from '../router/Link.tsx';
import { navigate } from '../router/navigation.ts';
import { hrefOf, tenantPath, withQuery } from '../router/routes.ts';
import { ConfirmAction } from '../tenants/detail/ConfirmAction.tsx';
import { Facts } from '../tenants/detail/SecretFacts.tsx';
import { AgentsTable } from '../workers/AgentsTable.tsx';
import { agentsSummary, MAX_POOL_LABELS, poolLabelsProblem } from '../workers/rules.ts';
import { SettingForm, useSettingMutation } from '../workers/SettingForm.tsx';

graphql(`
  fragment PoolPage_Pool on AgentPool {
    ...PoolsTable_Pool
    updatedAt
  }
`);

const PoolPage_Pool = graphql(`
  query PoolPage_Pool($name: String!) {
    agentPool(name: $name) {
      ...PoolPage_Pool
    }
  }
`);

const PoolPage_Changed = graphql(`
  subscription PoolPage_Changed($name: String!) {
    agentPoolChanged(name: $name) {
      ...PoolPage_Pool
    }
  }
`);

const PoolPage_UpdateLabels = graphql(`
  mutation PoolPage_UpdateLabels($name: String!, $labels: [String!]!) {
    updateAgentPool(name: $name, labels: $labels) {
      __typename
      ... on MutationUpdateAgentPoolSuccess {
        data {
          ...PoolPage_Pool
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const PoolPage_Delete = graphql(`
  mutation PoolPage_Delete($name: String!) {
    deleteAgentPool(name: $name) {
      __typename
      ... on MutationDeleteAgentPoolSuccess {
        data {
          name
        }
      }
      ...MutationProblem_Error
    }
  }
`);

/** One agent pool: its labels, the tenants assigned to it and its agents, live; edit and delete for admins. */
export function PoolPage({ name }: { name: string }) {
  const [result] = useQuery({
    query: PoolPage_Pool,
    variables: { name },
    requestPolicy: 'cache-and-network',
  });
  const [live] = useSubscription({ query: PoolPage_Changed, variables: { name } });
  const pool = result.data?.agentPool;
  const breadcrumbs = [{ label: 'Pools', to: '/pools' }, { label: name }];

  if (!pool) {
    if (!result.data) {
      if (result.error)
        return <Problem title="The pool could not be loaded" message={describeError(result.error)} />;
      return (
        <Center h={240}>
          <Loader />
        </Center>
      );
    }
    return (
      <>
        <PageHeader title={name} breadcrumbs={breadcrumbs} />
        <EmptyState
          py={64}
          icon={<IconPools size={28} />}
          withIndicatorBackground
          title="No such pool"
          description={`There is no agent pool named "${name}". If it was deleted, the audit log says when and by whom.`}
          data-testid="no-such-pool"
        >
          <EmptyState.Actions>
            <Button component={Link} to="/pools" variant="default">
              All pools
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={<span className="cp-mono">{pool.name}</span>}
        breadcrumbs={breadcrumbs}
        description="Agents labelled justiam.io/pool with this name run the tasks of the tenants assigned to it."
        badges={
          <Group gap={6} data-testid="pool-labels">
            {pool.labels.map((label) => (
              <Badge key={label} variant="outline" color="gray" tt="none">
                {label}
              </Badge>
            ))}
          </Group>
        }
      />
      <PoolView pool={pool} />
      {live.error && (
        <Text fz="sm" c="orange" role="status" mt="md">
          Live updates paused: {describeError(live.error)}
        </Text>
      )}
    </>
  );
}

function PoolView({ pool }: { pool: PoolPage_PoolFragment }) {
  const mayManage = useCan('pool.manage');
  const agents = agentsSummary(pool.agents);
  return (
    <Stack gap="lg" data-testid="pool-detail">
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Card>
          <Title order={2} fz="md" mb="sm">
            Details
          </Title>
          <Facts
            rows={[
              ['Created', `${formatTime(pool.createdAt)} by ${pool.createdBy}`],
              ['Changed', <TimeAgo key="u" iso={pool.updatedAt} />],
              [
                'Agents',
                <span key="a" data-testid="pool-agents-summary">
                  {agents.text}
                </span>,
              ],
            ]}
          />
          {mayManage && (
            <Box mt="md">
              <LabelsForm key={pool.labels.join(',')} name={pool.name} labels={pool.labels} />
            </Box>
          )}
        </Card>
        <Card>
          <Title order={2} fz="md">
            Tenants
          </Title>
          <Text fz="sm" c="dimmed" mb="sm">
            Assigned to this pool; each tenant’s Workers tab changes its pool.
          </Text>
          {pool.tenants.length === 0 ? (
            <Text fz="sm" c="dimmed" data-testid="pool-tenant-list" data-count={0}>
              None.
            </Text>
          ) : (
            <Group gap={8} data-testid="pool-tenant-list" data-count={pool.tenants.length}>
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
          )}
        </Card>
      </SimpleGrid>
      <Card>
        <Title order={2} fz="md" mb="sm">
          Agents
        </Title>
        <AgentsTable
          agents={pool.agents}
          empty="No agents have joined: none is labelled with this pool."
          testId="pool-agents"
        />
      </Card>
      {mayManage && <DeletePool name={pool.name} tenants={pool.tenants.length} />}
    </Stack>
  );
}

function LabelsForm({ name, labels }: { name: string; labels: readonly string[] }) {
  const [draft, setDraft] = useState<string[]>([...labels]);
  const save = useSettingMutation(PoolPage_UpdateLabels, (d) => d.updateAgentPool, ['labels']);
  const problem = poolLabelsProblem(draft);
  const fieldError = save.problem?.fields.labels ?? problem;
  return (
    <SettingForm
      testId="pool-labels-form"
      ready={!problem && draft.join(',') !== labels.join(',')}
      running={save.running}
      problem={save.problem}
      onField={Boolean(save.problem?.fields.labels)}
      problemTitle="The labels were not changed"
      hint={
        <Text fz="xs" c="dimmed">
          Up to {MAX_POOL_LABELS}; Enter or a comma adds one.
        </Text>
      }
      onSubmit={() => void save.run({ name, labels: draft })}
    >
      <TagsInput
        label="Labels"
        placeholder="Add a label"
        value={draft}
        onChange={(value) => {
          setDraft(value);
          save.clear();
        }}
        splitChars={[',', ' ']}
        error={fieldError ? sentence(fieldError) : undefined}
        w={320}
      />
    </SettingForm>
  );
}

function DeletePool({ name, tenants }: { name: string; tenants: number }) {
  const remove = useSettingMutation(PoolPage_Delete, (d) => d.deleteAgentPool, []);
  return (
    <Card className="cp-danger-zone" data-testid="pool-danger-zone">
      <Group justify="space-between" wrap="wrap" gap="md" align="flex-start">
        <div>
          <Title order={2} fz="md" c="red">
            Delete the pool
          </Title>
          <Text fz="sm" c="dimmed" mt={4}>
            {tenants > 0
              ? `${tenants} tenant${tenants === 1 ? ' is' : 's are'} assigned to it: the API refuses until they use another pool.`
              : 'No tenant is assigned to it. Its agents stay running until they are removed from the cluster.'}
          </Text>
        </div>
        <ConfirmAction
          label="Delete pool"
          title={`Delete pool ${name}?`}
          color="red"
          variant="outline"
          leftSection={<IconTrash size={14} />}
          testId="delete-pool"
          onConfirm={() => remove.run({ name })}
          onDone={() => navigate(hrefOf('/pools'))}
        >
          The pool is removed; tenants cannot be assigned to it any more.
        </ConfirmAction>
      </Group>
    </Card>
  );
}
