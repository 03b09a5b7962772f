import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { useSubscription } from 'urql';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { PoolsTable_PoolFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { Link } from '../router/Link.tsx';
import { poolPath } from '../router/routes.ts';
import { agentsSummary } from './rules.ts';

graphql(`
  fragment PoolsTable_Pool on AgentPool {
    name
    labels
    createdAt
    createdBy
    tenants
    agents {
      ...AgentsTable_Agent
    }
  }
`);

// Each row follows its pool: agentPoolChanged answers the pool again (graphcache keys pools by
// name, so the row updates in place) or null once it is deleted (the cache then drops it).
const PoolsTable_Changed = graphql(`
  subscription PoolsTable_Changed($name: String!) {
    agentPoolChanged(name: $name) {
      ...PoolsTable_Pool
    }
  }
`);

/** Agent pools by name: what each is for, how many tenants use it, its agents ready of all, live. */
export function PoolsTable({ pools }: { pools: readonly PoolsTable_PoolFragment[] }) {
  return (
    <Table.ScrollContainer minWidth={640} className="cp-cards">
      <Table verticalSpacing="sm" highlightOnHover data-testid="pools-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Pool</Table.Th>
            <Table.Th>Labels</Table.Th>
            <Table.Th>Tenants</Table.Th>
            <Table.Th>Agents</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pools.map((pool) => (
            <PoolRow key={pool.name} pool={pool} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PoolRow({ pool }: { pool: PoolsTable_PoolFragment }) {
  useSubscription({ query: PoolsTable_Changed, variables: { name: pool.name } });
  const agents = agentsSummary(pool.agents);
  return (
    <Table.Tr data-pool={pool.name}>
      <Table.Td data-label="Pool">
        <Anchor component={Link} to={poolPath(pool.name)} fz="sm" className="cp-mono" fw={500}>
          {pool.name}
        </Anchor>
      </Table.Td>
      <Table.Td data-label="Labels">
        {pool.labels.length === 0 ? (
          <Text span fz="sm" c="dimmed">
            —
          </Text>
        ) : (
          <Group gap={4}>
            {pool.labels.map((label) => (
              <Badge key={label} variant="outline" color="gray" tt="none" size="sm">
                {label}
              </Badge>
            ))}
          </Group>
        )}
      </Table.Td>
      <Table.Td fz="sm" data-label="Tenants" data-testid="pool-tenants" data-count={pool.tenants.length}>
        {pool.tenants.length.toLocaleString()}
      </Table.Td>
      <Table.Td
        fz="sm"
        data-label="Agents"
        data-testid="pool-agents"
        data-ready={agents.ready}
        data-total={agents.total}
      >
        <Text span fz="sm" c={agents.total > 0 && agents.ready < agents.total ? 'orange' : undefined}>
          {agents.text}
        </Text>
      </Table.Td>
      <Table.Td fz="sm" data-label="Created">
        <TimeAgo iso={pool.createdAt} /> by {pool.createdBy}
      </Table.Td>
    </Table.Tr>
  );
}
