import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { currentLicense, effectiveCap } from '../license/status.ts';
import type { AlertSettings } from '../settings/alerts.ts';

const DAY_MS = 86_400_000;

/** The kinds of alert, grouped by the rule that turns them on. */
export const ALERT_KINDS = {
  license: ['license_expiring', 'license_expired', 'license_renewal_failed'],
  capacity: ['capacity_deployment', 'capacity_tenant'],
  health: ['tenant_unreachable', 'tenant_degraded', 'operation_failed'],
} as const;

export type AlertKind = (typeof ALERT_KINDS)[keyof typeof ALERT_KINDS][number];

/**
 * A condition that holds now. `key` names the condition and its threshold (the same condition
 * always has the same key), so an alert is opened once per key however often rules are evaluated.
 */
export type Condition = {
  key: string;
  kind: AlertKind;
  severity: 'critical' | 'warning';
  tenantId: string | null;
  subject: string;
  detail: string;
  /** It must hold this long before the alert opens (tenant health); 0: at once. */
  holdMs: number;
};

/**
 * Every condition that holds at `now` for the rules turned on, and the kinds that were evaluated
 * (alerts of other kinds are neither opened nor resolved). Pure reads: the evaluator decides what
 * to open, resolve and send.
 */
export async function currentConditions(
  db: Executor,
  settings: AlertSettings,
  options: { now: Date; freeTierMaxUsers: number },
): Promise<{ conditions: Condition[]; evaluated: Set<AlertKind> }> {
  const { now } = options;
  const conditions: Condition[] = [];
  const evaluated = new Set<AlertKind>(ALERT_KINDS.health);
  const { state, license } = await currentLicense(db);

  if (settings.licenseExpiring) {
    for (const kind of ALERT_KINDS.license) evaluated.add(kind);
    if (license) {
      const leftMs = license.expires_at.getTime() - now.getTime();
      const days = Math.ceil(leftMs / DAY_MS);
      const on = license.expires_at.toISOString().slice(0, 10);
      // Every lead time passed is a condition of its own, so each is mailed once as it is reached.
      for (const lead of settings.licenseLeadDays) {
        if (leftMs <= lead * DAY_MS) {
          conditions.push({
            key: `license_expiring:${license.lid}:${lead}`,
            kind: 'license_expiring',
            severity: lead <= 7 ? 'critical' : 'warning',
            tenantId: null,
            subject: `License ${license.lid} expires within ${lead} day${lead === 1 ? '' : 's'}`,
            detail: `The license of ${license.licensee} (${license.lid}) expires on ${on} (${days > 0 ? `${days} day${days === 1 ? '' : 's'} left` : 'expired'}). Renew it or activate a new one.`,
            holdMs: 0,
          });
        }
      }
      if (leftMs <= 0) {
        conditions.push({
          key: `license_expired:${license.lid}`,
          kind: 'license_expired',
          severity: 'critical',
          tenantId: null,
          subject: `License ${license.lid} has expired`,
          detail: `The license of ${license.licensee} (${license.lid}) expired on ${on}. Activate a new license.`,
          holdMs: 0,
        });
      }
      if (state.renewal_attempts > 0) {
        conditions.push({
          key: `license_renewal_failed:${license.lid}`,
          kind: 'license_renewal_failed',
          severity: 'warning',
          tenantId: null,
          subject: `Renewing license ${license.lid} fails`,
          detail: `${state.renewal_attempts} failed attempt${state.renewal_attempts === 1 ? '' : 's'}; last error: ${state.renewal_error ?? 'unknown'}.`,
          holdMs: 0,
        });
      }
    }
  }

  if (settings.capacityWarnings) {
    for (const kind of ALERT_KINDS.capacity) evaluated.add(kind);
    const rows = await sql<{ id: string; slug: string; users: number | null; user_cap: number | null }>`
      select t.id, t.slug, t.users, l.user_cap
        from tenants t left join tenant_licenses l on l.tenant_id = t.id
       where t.state = 'active'`.execute(db);
    const allocated = rows.rows.reduce((sum, r) => sum + (r.user_cap ?? 0), 0);
    const capStatus = { license, allocated, freeTierMaxUsers: options.freeTierMaxUsers };
    const crossed = (used: number, cap: number) =>
      settings.capacityThresholds.filter((t) => cap > 0 && (used * 100) / cap >= t);
    if (license) {
      const used = rows.rows.reduce((sum, r) => sum + (r.users ?? 0), 0);
      for (const t of crossed(used, license.max_users)) {
        conditions.push({
          key: `capacity_deployment:${license.lid}:${t}`,
          kind: 'capacity_deployment',
          severity: t >= 100 ? 'critical' : 'warning',
          tenantId: null,
          subject: `The deployment is at ${t} % of its licensed users`,
          detail: `${used} of ${license.max_users} licensed users (${Math.floor((used * 100) / license.max_users)} %).`,
          holdMs: 0,
        });
      }
    }
    for (const r of rows.rows) {
      if (r.users === null) continue;
      const cap = effectiveCap(capStatus, r.user_cap);
      for (const t of crossed(r.users, cap)) {
        conditions.push({
          key: `capacity_tenant:${r.id}:${t}`,
          kind: 'capacity_tenant',
          severity: t >= 100 ? 'critical' : 'warning',
          tenantId: r.id,
          subject: `Tenant ${r.slug} is at ${t} % of its user cap`,
          detail: `${r.users} of ${cap} users (${Math.floor((r.users * 100) / cap)} %)${r.user_cap === null ? (license ? ', sharing the unallocated users' : ', free tier') : ', its allocation'}.`,
          holdMs: 0,
        });
      }
    }
  }

  const holdMs = settings.unhealthyMinutes * 60_000;
  const unhealthy = await db
    .selectFrom('tenants')
    .select(['id', 'slug', 'status', 'status_error', 'last_seen_at'])
    .where('state', '=', 'active')
    .where('status', 'in', ['unreachable', 'degraded'])
    .execute();
  for (const t of unhealthy) {
    const unreachable = t.status === 'unreachable';
    conditions.push({
      key: `tenant_${t.status}:${t.id}`,
      kind: unreachable ? 'tenant_unreachable' : 'tenant_degraded',
      severity: unreachable ? 'critical' : 'warning',
      tenantId: t.id,
      subject: `Tenant ${t.slug} is ${t.status} for more than ${settings.unhealthyMinutes} minutes`,
      detail: `${t.status_error ?? t.status}${t.last_seen_at ? `; last seen ${t.last_seen_at.toISOString()}` : ''}.`,
      holdMs,
    });
  }
  const failing = await sql<{
    id: string;
    tenant_id: string;
    slug: string;
    kind: string;
    last_error: string | null;
  }>`
    select o.id, o.tenant_id, t.slug, o.kind, o.last_error
      from tenant_operations o join tenants t on t.id = o.tenant_id
     where o.state = 'failed' and t.state <> 'deleted'
       and not exists (select 1 from tenant_operations later
                        where later.tenant_id = o.tenant_id and later.created_at > o.created_at)`.execute(db);
  for (const o of failing.rows) {
    conditions.push({
      key: `operation_failed:${o.id}`,
      kind: 'operation_failed',
      severity: 'critical',
      tenantId: o.tenant_id,
      subject: `The ${o.kind} operation of tenant ${o.slug} failed`,
      detail: o.last_error ?? 'no error recorded',
      holdMs: 0,
    });
  }
  return { conditions, evaluated };
}
