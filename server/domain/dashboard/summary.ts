import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** What needs an operator's attention about one tenant. */
export type DashboardAlertKind =
  | 'operation_failed'
  | 'operation_retrying'
  | 'unreachable'
  | 'degraded'
  | 'drift'
  | 'backup_verification_failed';

export type DashboardAlert = {
  kind: DashboardAlertKind;
  severity: 'critical' | 'warning';
  tenantId: string;
  slug: string;
  /** The failing operation's kind (create, delete) for operation alerts. */
  operationKind: string | null;
  /** Failed attempts so far, for operation alerts. */
  attempts: number | null;
  /** The backend's or the operation's last error, as recorded. */
  detail: string | null;
};

/**
 * The deployment at a glance, counted by PostgreSQL over every tenant (deleted ones left out of
 * everything but their own count).
 */
export type DashboardSummary = {
  tenants: { total: number; provisioning: number; active: number; deleting: number; deleted: number };
  /** Users and active users summed over the tenants whose backends reported figures. */
  users: { total: number; active: number; reportingTenants: number };
  /** Active tenants by what the status poller last saw; `notYetChecked` were never polled. */
  health: { ok: number; degraded: number; unreachable: number; notYetChecked: number };
  /** Tenants whose latest operation failed, or is retrying after failed attempts. */
  operations: { failed: number; retrying: number };
  alertCount: number;
};

/**
 * The alerts: tenants whose latest operation failed or is retrying (found through the partial
 * index on such operations, never by reading every operation), active tenants whose backend is
 * unreachable or degraded, and active tenants whose latest backup verification failed (through the
 * partial index on failed verifications). Deleted tenants raise none.
 */
const ALERTS = sql`
  with failing as (
    select o.tenant_id, o.kind, o.state, o.attempts, o.last_error
      from tenant_operations o
     where (o.state = 'failed' or (o.state = 'running' and o.attempts > 0))
       and not exists (select 1 from tenant_operations later
                        where later.tenant_id = o.tenant_id and later.created_at > o.created_at)
  )
  select case f.state when 'failed' then 'operation_failed' else 'operation_retrying' end as kind,
         case f.state when 'failed' then 'critical' else 'warning' end as severity,
         t.id, t.slug, f.kind as op_kind, f.attempts as op_attempts, f.last_error as detail
    from failing f join tenants t on t.id = f.tenant_id
   where t.state <> 'deleted'
  union all
  select case status when 'unreachable' then 'unreachable' else 'degraded' end,
         case status when 'unreachable' then 'critical' else 'warning' end,
         id, slug, null, null, status_error
    from tenants
   where state = 'active' and status in ('unreachable', 'degraded')
  union all
  select 'drift', 'critical', id, slug, null, null, drift ->> 0
    from tenants
   where state = 'active' and drift <> '[]'::jsonb
  union all
  select 'backup_verification_failed', 'critical', t.id, t.slug, null, null, b.verify_error
    from tenant_backups b join tenants t on t.id = b.tenant_id
   where b.verify_state = 'failed' and t.state = 'active'
     and not exists (select 1 from tenant_backups later
                      where later.tenant_id = b.tenant_id and later.verify_state in ('passed', 'failed')
                        and later.verified_at > b.verified_at)
`;

/** The SQL the dashboard runs, exported so the benchmark can time it bare beside the query. */
export const DASHBOARD_SQL = {
  counts: sql<Record<string, string | null>>`
    select count(*) filter (where state <> 'deleted') as total,
           count(*) filter (where state = 'provisioning') as provisioning,
           count(*) filter (where state = 'active') as active,
           count(*) filter (where state = 'deleting') as deleting,
           count(*) filter (where state = 'deleted') as deleted,
           coalesce(sum(users) filter (where state <> 'deleted'), 0) as users,
           coalesce(sum(active_users) filter (where state <> 'deleted'), 0) as active_users,
           count(*) filter (where state <> 'deleted' and (users is not null or active_users is not null))
             as reporting,
           count(*) filter (where state = 'active' and status = 'ok') as ok,
           count(*) filter (where state = 'active' and status = 'degraded') as degraded,
           count(*) filter (where state = 'active' and status = 'unreachable') as unreachable,
           count(*) filter (where state = 'active' and status_checked_at is null) as not_checked
      from tenants`,
  alertCounts: sql<{ kind: DashboardAlertKind; n: string }>`
    select kind, count(*) as n from (${ALERTS}) a group by kind`,
  alerts: (limit: number) => sql<{
    kind: DashboardAlertKind;
    severity: 'critical' | 'warning';
    id: string;
    slug: string;
    op_kind: string | null;
    op_attempts: number | null;
    detail: string | null;
  }>`
    select * from (${ALERTS}) a
     order by severity = 'critical' desc, slug, kind
     limit ${limit}`,
};

/** The dashboard's figures, in two queries: the tenants' columns, and the alerts by kind. */
export async function dashboardSummary(db: Executor): Promise<DashboardSummary> {
  const [counts, alerts] = await Promise.all([
    DASHBOARD_SQL.counts.execute(db),
    DASHBOARD_SQL.alertCounts.execute(db),
  ]);
  const c = counts.rows[0] ?? {};
  const n = (key: string) => Number(c[key] ?? 0);
  const byKind = Object.fromEntries(alerts.rows.map((r) => [r.kind, Number(r.n)])) as Partial<
    Record<DashboardAlertKind, number>
  >;
  return {
    tenants: {
      total: n('total'),
      provisioning: n('provisioning'),
      active: n('active'),
      deleting: n('deleting'),
      deleted: n('deleted'),
    },
    users: { total: n('users'), active: n('active_users'), reportingTenants: n('reporting') },
    health: {
      ok: n('ok'),
      degraded: n('degraded'),
      unreachable: n('unreachable'),
      notYetChecked: n('not_checked'),
    },
    operations: { failed: byKind.operation_failed ?? 0, retrying: byKind.operation_retrying ?? 0 },
    alertCount: Object.values(byKind).reduce((a, b) => a + b, 0),
  };
}

/** The most severe alerts first (critical before warning, then by slug), at most `limit`. */
export async function dashboardAlerts(db: Executor, limit: number): Promise<DashboardAlert[]> {
  const { rows } = await DASHBOARD_SQL.alerts(limit).execute(db);
  return rows.map((r) => ({
    kind: r.kind,
    severity: r.severity,
    tenantId: r.id,
    slug: r.slug,
    operationKind: r.op_kind,
    attempts: r.op_attempts,
    detail: r.detail,
  }));
}
