import { Anchor, Card, Group, Progress, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ComponentType, ReactNode } from 'react';
import { IconAlert } from '../components/icons.tsx';
import type { Dashboard_FiguresFragment } from '../gql/graphql.ts';
import { Link } from '../router/Link.tsx';
import { tenantPath, withQuery } from '../router/routes.ts';
import { STATE_LOOK } from '../tenants/labels.ts';
import { alertTitle } from './summary.ts';

type StatCardProps = {
  icon: ComponentType<{ size?: number }>;
  label: string;
  value?: number | undefined;
  text?: string;
  suffix?: string;
  color?: string | undefined;
  to?: string;
  testId: string;
  children?: ReactNode;
};

/** One headline figure, linking to where it comes from. */
export function StatCard({
  icon: Icon,
  label,
  value,
  text,
  suffix = '',
  color,
  to,
  testId,
  children,
}: StatCardProps) {
  const figure = text ?? (value === undefined ? null : `${value.toLocaleString()}${suffix}`);
  const body = (
    <Card h="100%" data-testid={testId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6}>
          <Text fz="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.05em' }}>
            {label}
          </Text>
          {figure === null ? (
            <Skeleton h={34} w={80} />
          ) : (
            <Text fz={30} fw={650} lh={1.1} c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {figure}
            </Text>
          )}
          <Text fz="sm" c="dimmed" mih={20}>
            {children}
          </Text>
        </Stack>
        <ThemeIcon variant="light" size={40} radius="md" color={color ?? 'brand'}>
          <Icon size={22} />
        </ThemeIcon>
      </Group>
    </Card>
  );
  return to ? (
    <Anchor component={Link} to={to} underline="never" c="inherit" display="block">
      {body}
    </Anchor>
  ) : (
    body
  );
}

type Summary = Dashboard_FiguresFragment | null;

const STATES = [
  ['ACTIVE', 'active'],
  ['PROVISIONING', 'provisioning'],
  ['DELETING', 'deleting'],
] as const;

export function TenantStates({ summary }: { summary: Summary }) {
  return (
    <Card>
      <Group justify="space-between" mb="md">
        <Title order={2} fz="md">
          Tenants by state
        </Title>
        <Anchor component={Link} to="/tenants" fz="sm">
          All tenants
        </Anchor>
      </Group>
      {summary ? (
        <>
          <Progress.Root size={10} mb="md" aria-hidden>
            {summary.tenants.total === 0 ? (
              <Progress.Section value={100} color="gray.3" />
            ) : (
              STATES.map(([state, field]) => (
                <Progress.Section
                  key={state}
                  value={(summary.tenants[field] / summary.tenants.total) * 100}
                  color={STATE_LOOK[state].color}
                />
              ))
            )}
          </Progress.Root>
          <Stack gap={6}>
            {STATES.map(([state, field]) => (
              <Group key={state} justify="space-between" data-testid={`state-${state}`}>
                <Group gap={8}>
                  <span
                    className="cp-status-dot"
                    style={{ background: `var(--mantine-color-${STATE_LOOK[state].color}-6)` }}
                  />
                  <Anchor component={Link} to={withQuery('/tenants', { state })} fz="sm" c="inherit">
                    {STATE_LOOK[state].label}
                  </Anchor>
                </Group>
                <Text fz="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {summary.tenants[field].toLocaleString()}
                </Text>
              </Group>
            ))}
          </Stack>
        </>
      ) : (
        <Skeleton h={90} />
      )}
    </Card>
  );
}

export function Alerts({ summary }: { summary: Summary }) {
  return (
    <Card data-testid="alerts">
      <Title order={2} fz="md" mb="md">
        Alerts
      </Title>
      {!summary ? (
        <Skeleton h={60} />
      ) : summary.alertCount === 0 ? (
        <Text fz="sm" c="dimmed">
          Nothing needs attention: every tenant backend answers and no operation is failing.
        </Text>
      ) : (
        <Stack gap="sm">
          {summary.alerts.map((alert) => (
            <Group key={`${alert.slug}:${alert.kind}`} gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon size={26} variant="light" color={alert.severity === 'CRITICAL' ? 'red' : 'yellow'}>
                <IconAlert size={15} />
              </ThemeIcon>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={tenantPath(alert.slug)} fz="sm" fw={500}>
                  {alertTitle(alert)}
                </Anchor>
                {alert.detail && (
                  <Text fz="xs" c="dimmed" lineClamp={2}>
                    {alert.detail}
                  </Text>
                )}
              </Stack>
            </Group>
          ))}
          {summary.alertCount > summary.alerts.length && (
            <Text fz="xs" c="dimmed">
              and {(summary.alertCount - summary.alerts.length).toLocaleString()} more
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
