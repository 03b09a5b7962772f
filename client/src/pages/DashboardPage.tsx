import { Grid, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { IconBell, IconLicense, IconTenants, IconUsers } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { Alerts, StatCard, TenantStates } from '../dashboard/cards.tsx';
import { RecentActivity } from '../dashboard/RecentActivity.tsx';
import { summarizeTenants } from '../dashboard/summary.ts';
import { useAllTenants } from '../dashboard/use-all-tenants.ts';

/** The deployment at a glance: tenants by state, users, license, alerts and recent activity, live. */
export function DashboardPage() {
  const tenants = useAllTenants();
  const summary = useMemo(() => (tenants.rows ? summarizeTenants(tenants.rows) : null), [tenants.rows]);
  return (
    <>
      <Stack gap={4} mb="lg">
        <Title order={1} fz={26}>
          Dashboard
        </Title>
        <Text c="dimmed" fz="sm">
          The deployment at a glance. Figures update live as tenants change.
        </Text>
      </Stack>
      {tenants.error && <Problem title="Tenants could not be loaded" message={tenants.error} />}
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} mb="lg">
        <StatCard
          icon={IconTenants}
          label="Tenants"
          value={summary?.total}
          suffix={tenants.truncated ? '+' : ''}
          to="/tenants"
          testId="stat-tenants"
        >
          {summary && `${summary.byState.ACTIVE} active · ${summary.byState.PROVISIONING} provisioning`}
        </StatCard>
        <StatCard
          icon={IconUsers}
          label="Active users"
          value={summary?.activeUsers}
          to="/tenants"
          testId="stat-users"
        >
          {summary &&
            (summary.reporting > 0
              ? `of ${summary.users.toLocaleString()} users in ${summary.reporting} ${summary.reporting === 1 ? 'tenant' : 'tenants'}`
              : 'No tenant has reported yet')}
        </StatCard>
        <StatCard icon={IconLicense} label="License" to="/license" testId="stat-license" text="Free tier">
          No license activated
        </StatCard>
        <StatCard
          icon={IconBell}
          label="Alerts"
          value={summary?.alerts.length}
          color={summary && summary.alerts.length > 0 ? 'red' : undefined}
          testId="stat-alerts"
        >
          {summary && (summary.alerts.length > 0 ? 'Need attention' : 'All tenants healthy')}
        </StatCard>
      </SimpleGrid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <RecentActivity />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <TenantStates summary={summary} />
            <Alerts summary={summary} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
