import { Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconPools } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { graphql } from '../gql/index.ts';
import { SectionLoading } from '../tenants/detail/SectionLoading.tsx';
import { CreatePoolCard } from '../workers/CreatePoolCard.tsx';
import { PoolsTable } from '../workers/PoolsTable.tsx';
import { POOLS_SHOWN } from '../workers/rules.ts';
import { SharedPoolCard } from '../workers/SharedPoolCard.tsx';

const PoolsPage_Pools = graphql(`
  query PoolsPage_Pools($first: Int!) {
    agentPools(first: $first) {
      edges {
        node {
          ...PoolsTable_Pool
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** Agent pools and the shared agent pool: their agents and tenants live, and for admins their upkeep. */
export function PoolsPage() {
  const mayManage = useCan('pool.manage');
  const [result] = useQuery({
    query: PoolsPage_Pools,
    variables: { first: POOLS_SHOWN },
    requestPolicy: 'cache-and-network',
  });
  const connection = result.data?.agentPools;
  const pools = connection?.edges.map((edge) => edge.node) ?? [];

  return (
    <>
      <PageHeader
        title="Pools"
        description="External agents that run tenants’ tasks. A tenant in agent mode uses the pool assigned to it, or the shared agent pool when it has none; its Workers tab chooses."
      />
      <Stack gap="lg">
        <SharedPoolCard />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: mayManage ? 8 : 12 }}>
            <Card h="100%">
              <Title order={2} fz="md" mb="sm">
                Agent pools
              </Title>
              {connection && pools.length === 0 ? (
                <Group gap="xs" c="dimmed">
                  <IconPools size={16} />
                  <Text fz="sm">No agent pools yet.</Text>
                </Group>
              ) : (
                <PoolsTable pools={pools} />
              )}
              {connection?.pageInfo.hasNextPage && (
                <Text fz="sm" c="dimmed" mt="sm">
                  The first {POOLS_SHOWN} pools by name; open another by its address, /pools/&lt;name&gt;.
                </Text>
              )}
              {!connection && <SectionLoading loaded={false} error={result.error ?? null} />}
            </Card>
          </Grid.Col>
          {mayManage && (
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <CreatePoolCard />
            </Grid.Col>
          )}
        </Grid>
      </Stack>
    </>
  );
}
