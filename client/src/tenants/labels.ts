import type { TenantStateName } from './live-list.ts';

type Look = { label: string; color: string };

export const STATE_LOOK: Record<TenantStateName, Look> = {
  PROVISIONING: { label: 'Provisioning', color: 'blue' },
  ACTIVE: { label: 'Active', color: 'teal' },
  DELETING: { label: 'Deleting', color: 'orange' },
  DELETED: { label: 'Deleted', color: 'gray' },
};

/** The backend status the poller reports: ok, degraded, unreachable, or unknown before the first poll. */
export function statusLook(status: string): Look {
  switch (status) {
    case 'ok':
      return { label: 'OK', color: 'teal' };
    case 'degraded':
      return { label: 'Degraded', color: 'yellow' };
    case 'unreachable':
      return { label: 'Unreachable', color: 'red' };
    default:
      return { label: status === 'unknown' ? 'Unknown' : status, color: 'gray' };
  }
}

/** The look of the combined state and health badge (`TenantBadge`). */
export function tenantBadgeLook(
  state: TenantStateName,
  status: string,
): { label: string; color: string; health: boolean } {
  const stateLook = STATE_LOOK[state];
  if (state !== 'ACTIVE') return { ...stateLook, health: false };
  if (status === 'ok') return { label: 'Active · OK', color: 'teal', health: true };
  if (status === 'unknown' || status === '')
    return { label: 'Active · Not yet checked', color: 'gray', health: true };
  const health = statusLook(status);
  return { label: `Active · ${health.label}`, color: health.color, health: true };
}

type OperationKind = 'CREATE' | 'DELETE' | 'REPAIR' | 'WORKERS';

/** What an operation of each kind is called, as a heading. */
export const OPERATION_TITLES: Record<OperationKind, string> = {
  CREATE: 'Provisioning',
  DELETE: 'Deletion',
  REPAIR: 'Repair',
  WORKERS: 'Worker settings',
};

const STEP_LABELS: Record<OperationKind, Record<string, string>> = {
  CREATE: {
    record: 'Record the tenant',
    secret: 'Kubernetes Secret with its credentials',
    database: 'PostgreSQL database and role',
    registry: 'Tenant registry entry',
    handoff: 'Hand over to the backend',
    license: 'License (or free tier) on the backend',
    smtp: 'SMTP relay on the backend',
  },
  DELETE: {
    registry: 'Remove the registry entry',
    'login-worker': 'Remove the dedicated login worker',
    database: 'Drop the database and role',
    secret: 'Delete the Secret',
  },
  REPAIR: {
    secret: 'Restore the Secret (missing values only)',
    database: 'Restore the database and role',
    registry: 'Restore the registry entry',
  },
  WORKERS: {
    registry: 'Tenant registry entry',
    'login-worker': 'Dedicated login worker (Deployment and Service)',
    backend: 'Worker settings on the backend',
    cleanup: 'Remove a dedicated login worker no longer used',
  },
};

/** A step's name for people; a step this UI does not know yet shows as the API names it. */
export function stepLabel(kind: OperationKind, name: string): string {
  return STEP_LABELS[kind][name] ?? name;
}
