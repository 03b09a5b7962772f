import { Card, Grid, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { AlertHistory } from '../alerts/AlertHistory.tsx';
import { IconBell, IconTenants, IconUsers } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { Alerts, StatCard, TenantStates } from '../dashboard/cards.tsx';
import { LicenseCard } from '../dashboard/LicenseCard.tsx';
import { RecentActivity } from '../dashboard/RecentActivity.tsx';
import { useDashboard } from '../dashboard/use-dashboard.ts';

/** The deployment at a glance: tenants by state, users, license, alerts and recent activity, live. */
export function DashboardPage() {
  const { summary, error } = useDashboard();
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
      {error && <Problem title="The dashboard could not be loaded" message={error} />}
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} mb="lg">
        <StatCard
          icon={IconTenants}
          label="Tenants"
          value={summary?.tenants.total}
          to="/tenants"
          testId="stat-tenants"
        >
          {summary &&
            `${summary.tenants.active.toLocaleString()} active · ${summary.tenants.provisioning.toLocaleString()} provisioning`}
        </StatCard>
        <StatCard
          icon={IconUsers}
          label="Active users"
          // No tenant has reported figures: the sum is not 0 users, it is not known yet.
          value={summary && summary.users.reportingTenants > 0 ? summary.users.active : undefined}
          text={summary && summary.users.reportingTenants === 0 ? '—' : undefined}
          color={summary && summary.users.reportingTenants === 0 ? 'dimmed' : undefined}
          to="/tenants"
          testId="stat-users"
        >
          {summary &&
            (summary.users.reportingTenants > 0
              ? `of ${summary.users.total.toLocaleString()} users in ${summary.users.reportingTenants.toLocaleString()} ${summary.users.reportingTenants === 1 ? 'tenant' : 'tenants'}`
              : 'No tenant has reported yet')}
        </StatCard>
        <LicenseCard />
        <StatCard
          icon={IconBell}
          label="Alerts"
          value={summary?.alertCount}
          color={summary && summary.alertCount > 0 ? 'red' : undefined}
          testId="stat-alerts"
        >
          {summary && healthLine(summary)}
        </StatCard>
      </SimpleGrid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <RecentActivity />
            <Card data-testid="alert-history">
              <Title order={2} fz="md" mb="md">
                Alerts mailed
              </Title>
              <AlertHistory first={8} />
            </Card>
          </Stack>
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

/**
 * The alerts card's line: "All tenants healthy" only when every tenant has been checked; while some
 * have not, it says how many (their health is unknown, not good).
 */
export function healthLine(summary: { alertCount: number; health: { notYetChecked: number } }): string {
  if (summary.alertCount > 0) return 'Need attention';
  const unknown = summary.health.notYetChecked;
  if (unknown > 0) return `${unknown.toLocaleString()} not yet checked`;
  return 'All tenants healthy';
}
