import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { LicenseRow, LicenseStateRow, LicenseSyncState } from '../../db/schema.ts';

/** A license counts as expiring this many days before its expiry (the first alert's lead time). */
export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

export type LicenseStateName = 'free' | 'active' | 'expiring' | 'expired';

/** The license in force (its token left out) and the deployment's use of it. */
export type LicenseStatus = {
  state: LicenseStateName;
  license: Omit<LicenseRow, 'token'> | null;
  /** Whole days until expiry (negative once expired); null in the free tier. */
  daysLeft: number | null;
  freeTierMaxUsers: number;
  usersInUse: number;
  /** Users held by per-tenant allocations (tenants not deleted). */
  allocated: number;
  allocatedTenants: number;
  sync: { total: number; pending: number; synced: number; failed: number };
  renewal: Pick<
    LicenseStateRow,
    'renewal_attempts' | 'renewal_error' | 'renewal_failed_at' | 'renewal_next_at' | 'renewed_at'
  >;
  updatedAt: Date;
  updatedBy: string | null;
  generation: number;
};

/** The state of a license at `now`: expired past `exp`, expiring inside the lead time. */
export function licenseStateAt(license: Pick<LicenseRow, 'expires_at'> | null, now: Date): LicenseStateName {
  if (!license) return 'free';
  const left = license.expires_at.getTime() - now.getTime();
  if (left <= 0) return 'expired';
  return left <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'active';
}

/** The license row in force, token included (for fan-out and renewal only), or null. */
export async function currentLicense(
  db: Executor,
): Promise<{ state: LicenseStateRow; license: LicenseRow | null }> {
  const state = await db.selectFrom('license_state').selectAll().executeTakeFirstOrThrow();
  const license = state.license_id
    ? await db.selectFrom('licenses').selectAll().where('id', '=', state.license_id).executeTakeFirstOrThrow()
    : null;
  return { state, license };
}

/** Status, usage and sync progress over every tenant, counted by PostgreSQL. */
export async function getLicenseStatus(
  db: Executor,
  options: { freeTierMaxUsers: number; now: Date },
): Promise<LicenseStatus> {
  const { state, license } = await currentLicense(db);
  const usage = await sql<{
    users: string;
    allocated: string;
    allocated_tenants: string;
    total: string;
    pending: string;
    synced: string;
    failed: string;
  }>`
    select
      coalesce(sum(t.users) filter (where t.state = 'active'), 0) as users,
      coalesce(sum(l.user_cap), 0) as allocated,
      count(l.user_cap) as allocated_tenants,
      count(*) filter (where t.state = 'active') as total,
      count(*) filter (where t.state = 'active' and coalesce(l.state, 'synced') = 'pending') as pending,
      count(*) filter (where t.state = 'active' and coalesce(l.state, 'synced') = 'synced') as synced,
      count(*) filter (where t.state = 'active' and l.state = 'failed') as failed
    from tenants t left join tenant_licenses l on l.tenant_id = t.id
    where t.state <> 'deleted'`.execute(db);
  const u = usage.rows[0]!;
  const { token: _token, ...shown } = license ?? { token: '' };
  const now = options.now;
  return {
    state: licenseStateAt(license, now),
    license: license ? (shown as Omit<LicenseRow, 'token'>) : null,
    daysLeft: license ? Math.floor((license.expires_at.getTime() - now.getTime()) / DAY_MS) : null,
    freeTierMaxUsers: options.freeTierMaxUsers,
    usersInUse: Number(u.users),
    allocated: Number(u.allocated),
    allocatedTenants: Number(u.allocated_tenants),
    sync: {
      total: Number(u.total),
      pending: Number(u.pending),
      synced: Number(u.synced),
      failed: Number(u.failed),
    },
    renewal: {
      renewal_attempts: state.renewal_attempts,
      renewal_error: state.renewal_error,
      renewal_failed_at: state.renewal_failed_at,
      renewal_next_at: state.renewal_next_at,
      renewed_at: state.renewed_at,
    },
    updatedAt: state.updated_at,
    updatedBy: state.updated_by,
    generation: state.generation,
  };
}

/** A tenant's line of the license: its allocation, use and whether its backend is in sync. */
export type LicenseTenantRow = {
  tenant_id: string;
  slug: string;
  name: string;
  tenant_state: string;
  users: number | null;
  user_cap: number | null;
  sync_state: LicenseSyncState;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  synced_at: Date | null;
};

/** Tenants (not deleted) by slug with their license line, one keyset page. */
export async function listLicenseTenants(
  db: Executor,
  page: { afterSlug: string | undefined; beforeSlug: string | undefined; limit: number; descending: boolean },
): Promise<LicenseTenantRow[]> {
  let q = db
    .selectFrom('tenants as t')
    .leftJoin('tenant_licenses as l', 'l.tenant_id', 't.id')
    .select([
      't.id as tenant_id',
      't.slug',
      't.name',
      't.state as tenant_state',
      't.users',
      'l.user_cap',
      sql<LicenseSyncState>`coalesce(l.state, 'synced')`.as('sync_state'),
      sql<number>`coalesce(l.attempts, 0)`.as('attempts'),
      'l.last_error',
      sql<Date | null>`case when l.state = 'synced' then null else l.next_attempt_at end`.as(
        'next_attempt_at',
      ),
      'l.synced_at',
    ])
    .where('t.state', '<>', 'deleted');
  if (page.afterSlug !== undefined) q = q.where('t.slug', '>', page.afterSlug);
  if (page.beforeSlug !== undefined) q = q.where('t.slug', '<', page.beforeSlug);
  return q
    .orderBy('t.slug', page.descending ? 'desc' : 'asc')
    .limit(page.limit)
    .execute() as Promise<LicenseTenantRow[]>;
}

/**
 * What a tenant may have: its allocation, or (unallocated) the users no allocation holds, or the
 * free tier's per-tenant limit when no license is active.
 */
export function effectiveCap(
  status: Pick<LicenseStatus, 'license' | 'allocated' | 'freeTierMaxUsers'>,
  userCap: number | null,
): number {
  if (!status.license) return status.freeTierMaxUsers;
  return userCap ?? Math.max(0, status.license.max_users - status.allocated);
}
