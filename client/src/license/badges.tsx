import { Badge, Loader } from '@mantine/core';
import type { LicenseState, LicenseSyncState } from '../gql/graphql.ts';
import { LICENSE_STATE_LOOK, SYNC_LOOK } from './look.ts';

/** The license's state in a word: free tier, active, expiring or expired. */
export function LicenseStateBadge({ state, size }: { state: LicenseState; size?: 'sm' | 'md' | 'lg' }) {
  const look = LICENSE_STATE_LOOK[state];
  return (
    <Badge color={look.color} size={size} data-testid="license-state" data-state={state}>
      {look.label}
    </Badge>
  );
}

/** Whether a tenant's backend holds what the license says; pending ones show a spinner. */
export function SyncBadge({ state }: { state: LicenseSyncState }) {
  const look = SYNC_LOOK[state];
  return (
    <Badge
      color={look.color}
      variant="light"
      leftSection={state === 'PENDING' ? <Loader size={10} color={look.color} type="oval" /> : undefined}
      data-sync-state={state}
    >
      {look.label}
    </Badge>
  );
}
