import { Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { LicenseSyncState, LicenseUsageCard_LicenseFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { SyncBadge } from './badges.tsx';
import { usage } from './look.ts';

graphql(`
  fragment LicenseUsageCard_License on License {
    state
    maxUsers
    freeTierMaxUsers
    usersInUse
    allocated
    unallocated
    updatedAt
    sync {
      total
      pending
      synced
      failed
    }
  }
`);

/** A figure against its maximum, as a labelled bar. */
function UsageBar({
  label,
  used,
  max,
  testId,
}: {
  label: string;
  used: number;
  max: number;
  testId: string;
}) {
  const share = usage(used, max);
  return (
    <Stack gap={4} data-testid={testId} data-used={used} data-max={max}>
      <Group justify="space-between" gap="xs">
        <Text fz="sm" fw={500}>
          {label}
        </Text>
        <Text fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {share.text}
        </Text>
      </Group>
      <Progress value={share.percent} color={share.color} size="lg" aria-label={`${label}: ${share.text}`} />
    </Stack>
  );
}

const SYNC_STATES: readonly [LicenseSyncState, 'synced' | 'pending' | 'failed'][] = [
  ['SYNCED', 'synced'],
  ['PENDING', 'pending'],
  ['FAILED', 'failed'],
];

/** Users against the license (or the free tier's per-tenant limit), allocations, and the fan-out. */
export function LicenseUsageCard({ license }: { license: LicenseUsageCard_LicenseFragment }) {
  const { sync } = license;
  return (
    <Card data-testid="license-usage">
      <Title order={2} fz="md" mb="sm">
        Usage
      </Title>
      <Stack gap="md">
        {license.maxUsers === null || license.maxUsers === undefined ? (
          <Stack gap={4}>
            <Text fz="sm">
              <strong style={{ fontVariantNumeric: 'tabular-nums' }}>
                {license.usersInUse.toLocaleString()}
              </strong>{' '}
              users in use over all tenants.
            </Text>
            <Text fz="sm" c="dimmed">
              Free tier: each tenant may have up to {license.freeTierMaxUsers.toLocaleString()} users.
            </Text>
          </Stack>
        ) : (
          <>
            <UsageBar
              label="Users in use"
              used={license.usersInUse}
              max={license.maxUsers}
              testId="usage-users"
            />
            <UsageBar
              label="Allocated"
              used={license.allocated}
              max={license.maxUsers}
              testId="usage-allocated"
            />
            <Text fz="xs" c="dimmed">
              {(license.unallocated ?? 0).toLocaleString()} users are not allocated: tenants without an
              allocation share them.
            </Text>
          </>
        )}
        <Stack gap={6}>
          <Text fz="sm" fw={500}>
            Tenant backends in sync
          </Text>
          <Group gap="sm" data-testid="sync-counts">
            {SYNC_STATES.map(([state, field]) => (
              <Group key={state} gap={6} wrap="nowrap" data-sync-count={state}>
                <SyncBadge state={state} />
                <Text fz="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {sync[field].toLocaleString()}
                </Text>
              </Group>
            ))}
            <Text fz="sm" c="dimmed">
              of {sync.total.toLocaleString()} active
            </Text>
          </Group>
        </Stack>
        <Text fz="xs" c="dimmed">
          Last changed <TimeAgo iso={license.updatedAt} />.
        </Text>
      </Stack>
    </Card>
  );
}
