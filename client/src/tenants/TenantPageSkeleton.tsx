import { Card, Group, SimpleGrid, Skeleton, Stack } from '@mantine/core';

const STATS = ['users', 'active-users', 'groups', 'apps'];
const TABS = ['t1', 't2', 't3', 't4', 't5'];

/**
 * A tenant's page while it loads: the header, tabs, figures and cards as grey shapes where they
 * will be, so nothing jumps when they arrive.
 */
export function TenantPageSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading the tenant" data-testid="tenant-skeleton">
      <Stack gap={8}>
        <Skeleton h={14} w={140} />
        <Group gap="sm">
          <Skeleton h={30} w={260} />
          <Skeleton h={22} w={120} radius="xl" />
        </Group>
      </Stack>
      <Group gap="md">
        {TABS.map((tab) => (
          <Skeleton key={tab} h={24} w={96} />
        ))}
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {STATS.map((stat) => (
          <Card key={stat} padding="md">
            <Skeleton h={12} w="50%" mb={10} />
            <Skeleton h={30} w="40%" />
          </Card>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card>
          <Skeleton h={16} w="30%" mb="md" />
          <Skeleton h={12} mb={10} />
          <Skeleton h={12} mb={10} />
          <Skeleton h={12} w="70%" />
        </Card>
        <Card>
          <Skeleton h={16} w="30%" mb="md" />
          <Skeleton h={12} mb={10} />
          <Skeleton h={12} mb={10} />
          <Skeleton h={12} w="70%" />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
