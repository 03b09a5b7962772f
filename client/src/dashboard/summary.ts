import type { TenantStateName } from '../tenants/live-list.ts';

export type DashboardTenant = {
  id: string;
  slug: string;
  name: string;
  state: TenantStateName;
  overview: {
    status: string;
    statusError?: string | null;
    activeUsers?: number | null;
    users?: number | null;
  };
  operation?: {
    id: string;
    createdAt: string;
    kind: 'CREATE' | 'DELETE';
    state: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
    attempts: number;
    lastError?: string | null;
  } | null;
};

export type Alert = {
  severity: 'critical' | 'warning';
  slug: string;
  title: string;
  detail: string | null;
};

export type TenantSummary = {
  total: number;
  byState: Record<Exclude<TenantStateName, 'DELETED'>, number>;
  /** Active users summed over the tenants whose backends reported a figure. */
  activeUsers: number;
  users: number;
  /** How many tenants contributed to the user figures. */
  reporting: number;
  alerts: Alert[];
};

const OPERATION_WORDS = { CREATE: 'Provisioning', DELETE: 'Deletion' } as const;

/** What needs an operator's attention about one tenant, most severe first. */
export function alertsFor(tenant: DashboardTenant): Alert[] {
  const alerts: Alert[] = [];
  const op = tenant.operation;
  if (op?.state === 'FAILED') {
    alerts.push({
      severity: 'critical',
      slug: tenant.slug,
      title: `${OPERATION_WORDS[op.kind]} of ${tenant.slug} failed`,
      detail: op.lastError ?? null,
    });
  } else if (op?.state === 'RUNNING' && op.attempts > 0) {
    alerts.push({
      severity: 'warning',
      slug: tenant.slug,
      title: `${OPERATION_WORDS[op.kind]} of ${tenant.slug} is retrying (${op.attempts} failed ${op.attempts === 1 ? 'attempt' : 'attempts'})`,
      detail: op.lastError ?? null,
    });
  }
  if (tenant.state === 'ACTIVE' && tenant.overview.status === 'unreachable') {
    alerts.push({
      severity: 'critical',
      slug: tenant.slug,
      title: `${tenant.slug} is unreachable`,
      detail: tenant.overview.statusError ?? null,
    });
  } else if (tenant.state === 'ACTIVE' && tenant.overview.status === 'degraded') {
    alerts.push({
      severity: 'warning',
      slug: tenant.slug,
      title: `${tenant.slug} is degraded`,
      detail: tenant.overview.statusError ?? null,
    });
  }
  return alerts;
}

/** The dashboard's figures over the tenants it loaded (deleted tenants are not counted). */
export function summarizeTenants(tenants: readonly DashboardTenant[]): TenantSummary {
  const byState = { PROVISIONING: 0, ACTIVE: 0, DELETING: 0 };
  let activeUsers = 0;
  let users = 0;
  let reporting = 0;
  const alerts: Alert[] = [];
  for (const tenant of tenants) {
    if (tenant.state === 'DELETED') continue;
    byState[tenant.state]++;
    const { activeUsers: active, users: all } = tenant.overview;
    if (typeof active === 'number' || typeof all === 'number') {
      reporting++;
      activeUsers += active ?? 0;
      users += all ?? 0;
    }
    alerts.push(...alertsFor(tenant));
  }
  alerts.sort((a, b) =>
    a.severity === b.severity ? a.slug.localeCompare(b.slug) : a.severity === 'critical' ? -1 : 1,
  );
  const total = byState.PROVISIONING + byState.ACTIVE + byState.DELETING;
  return { total, byState, activeUsers, users, reporting, alerts };
}
