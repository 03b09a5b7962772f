import { sql } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { TenantSecretName, TenantSecretRow } from '../../../db/schema.ts';

/**
 * The `tenant_secrets` table: version, rotation times, grace and pending state of each tenant
 * secret. Never a value. A missing row means "as provisioned, version 1".
 */

/** Every metadata row of each tenant asked for, in the order asked (for dataloaders). */
export async function secretRowsOf(db: Executor, tenantIds: readonly string[]): Promise<TenantSecretRow[][]> {
  if (tenantIds.length === 0) return [];
  const rows = await db
    .selectFrom('tenant_secrets')
    .selectAll()
    .where('tenant_id', 'in', tenantIds)
    .execute();
  return tenantIds.map((id) => rows.filter((r) => r.tenant_id === id));
}

export function secretRow(
  db: Executor,
  tenantId: string,
  name: TenantSecretName,
): Promise<TenantSecretRow | undefined> {
  return db
    .selectFrom('tenant_secrets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Notes that a new value is about to be staged, before it is: a crash after staging is then found and finished. */
export async function markPending(db: Executor, tenantId: string, name: TenantSecretName, now: Date) {
  await db
    .insertInto('tenant_secrets')
    .values({ tenant_id: tenantId, name, pending_since: now, pending_next_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'name']).doUpdateSet({
        pending_since: sql`coalesce(tenant_secrets.pending_since, ${now}::timestamptz)`,
        pending_next_at: sql`coalesce(tenant_secrets.pending_next_at, ${now}::timestamptz)`,
        updated_at: now,
      }),
    )
    .execute();
}

/** Records why a pending rotation did not finish and when to try it again. */
export async function pendingFailed(
  db: Executor,
  tenantId: string,
  name: TenantSecretName,
  error: string,
  nextAt: Date,
) {
  await db
    .updateTable('tenant_secrets')
    .set({
      pending_attempts: sql`pending_attempts + 1`,
      pending_error: error.slice(0, 500),
      pending_next_at: nextAt,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .execute();
}

export async function clearPending(db: Executor, tenantId: string, name: TenantSecretName) {
  await db
    .updateTable('tenant_secrets')
    .set({
      pending_since: null,
      pending_attempts: 0,
      pending_error: null,
      pending_next_at: null,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .execute();
}

export type RotationRecord = {
  at: Date;
  by: string;
  previousExpiresAt: Date | null;
  expiresAt?: Date | null;
};

/** Records a new value: version + 1, no longer pending. Returns the row as it now is. */
export function recordRotation(
  db: Executor,
  tenantId: string,
  name: TenantSecretName,
  r: RotationRecord,
): Promise<TenantSecretRow> {
  const values = {
    rotated_at: r.at,
    rotated_by: r.by,
    previous_expires_at: r.previousExpiresAt,
    pending_since: null,
    pending_attempts: 0,
    pending_error: null,
    pending_next_at: null,
    expires_at: r.expiresAt ?? null,
    revoked_at: null,
    updated_at: r.at,
  };
  return db
    .insertInto('tenant_secrets')
    .values({ tenant_id: tenantId, name, version: 2, ...values })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'name']).doUpdateSet({ version: sql`tenant_secrets.version + 1`, ...values }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The grace period is over and the previous value is gone from the Secret. */
export async function clearPrevious(db: Executor, tenantId: string, name: TenantSecretName) {
  return db
    .updateTable('tenant_secrets')
    .set({ previous_expires_at: null, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .returningAll()
    .executeTakeFirst();
}

export type SecretWork = TenantSecretRow & { slug: string };

/** Rows of active tenants with work due at `now`: a grace period that ended, or a rotation to finish. */
export function dueSecretWork(db: Executor, now: Date, limit: number): Promise<SecretWork[]> {
  return db
    .selectFrom('tenant_secrets')
    .innerJoin('tenants', 'tenants.id', 'tenant_secrets.tenant_id')
    .selectAll('tenant_secrets')
    .select('tenants.slug')
    .where('tenants.state', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('tenant_secrets.previous_expires_at', '<=', now),
        eb.and([
          eb('tenant_secrets.pending_since', 'is not', null),
          eb('tenant_secrets.pending_next_at', '<=', now),
        ]),
      ]),
    )
    .orderBy('tenant_secrets.updated_at')
    .limit(limit)
    .execute();
}

/** Records that a secret was removed (bootstrap token): same version, revoked now. */
export function recordRevocation(
  db: Executor,
  tenantId: string,
  name: TenantSecretName,
  at: Date,
): Promise<TenantSecretRow> {
  return db
    .insertInto('tenant_secrets')
    .values({ tenant_id: tenantId, name, revoked_at: at, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'name']).doUpdateSet({ revoked_at: at, expires_at: null, updated_at: at }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
