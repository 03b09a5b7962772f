import type { Executor } from '../../db/database.ts';
import type { AuditLogRow, TenantRow } from '../../db/schema.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import type { AuditFilter } from '../audit/query.ts';
import type { Call } from '../call.ts';
import { removeBackup } from './retention.ts';
import { verifyLock } from './run.ts';
import type { BackupServices } from './services.ts';

const DAY_MS = 86_400_000;

/**
 * The latest deleted tenant that had this slug (a slug is free again once its tenant is deleted,
 * so several deleted tenants, and a live one, may have had it), or undefined.
 */
export function findDeletedTenant(db: Executor, slug: string): Promise<TenantRow | undefined> {
  return db
    .selectFrom('tenants')
    .selectAll()
    .where('slug', '=', slug)
    .where('state', '=', 'deleted')
    .orderBy('deleted_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The audit entries of this tenant: audit targets name a tenant by its slug, so those of the
 * tenant are the ones from its creation until the next tenant with the same slug was created.
 */
export async function tenantAuditFilter(db: Executor, tenant: TenantRow): Promise<AuditFilter> {
  const next = await db
    .selectFrom('tenants')
    .select('created_at')
    .where('slug', '=', tenant.slug)
    .where('id', '<>', tenant.id)
    .where('created_at', '>=', tenant.created_at)
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  return {
    targetKind: 'tenant',
    targetId: tenant.slug,
    from: tenant.created_at,
    to: next ? new Date(next.created_at.getTime() - 1) : null,
  };
}

/** Whether a tenant not deleted has this slug now. */
export async function slugInUse(db: Executor, slug: string): Promise<boolean> {
  const live = await db
    .selectFrom('tenants')
    .select('id')
    .where('slug', '=', slug)
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
  return live !== undefined;
}

/** The `tenant.delete.requested` entry that started this tenant's deletion (who, when, purge or not). */
export function deleteRequestOf(db: Executor, tenant: TenantRow): Promise<AuditLogRow | undefined> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'tenant.delete.requested')
    .where('target_kind', '=', 'tenant')
    .where('target_id', '=', tenant.slug)
    .where('at', '>=', tenant.created_at)
    .where('at', '<=', tenant.deleted_at ?? new Date(8.64e15))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Whether the deletion asked for the tenant's backups to be removed with it. */
export const purgeRequested = (request: AuditLogRow | undefined) =>
  (request?.details as { purgeBackups?: unknown } | undefined)?.purgeBackups === true;

/** When the leader removes a deleted tenant's kept backups. */
export const backupsRemovedAt = (tenant: TenantRow, retentionDays: number): Date | null =>
  tenant.deleted_at ? new Date(tenant.deleted_at.getTime() + retentionDays * DAY_MS) : null;

/**
 * Removes every finished backup of a deleted (or deleting) tenant, rows (audited with `reason`)
 * then files. Backups still running or being verified are left for the next round.
 */
export async function removeTenantBackups(
  s: BackupServices,
  call: Call,
  tenant: TenantRow,
  reason: 'retention' | 'purge',
): Promise<number> {
  const backups = await s.db
    .selectFrom('tenant_backups')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .where('state', '<>', 'running')
    .where('verify_state', '<>', 'running')
    .execute();
  let removed = 0;
  for (const backup of backups) {
    // A verification started meanwhile holds this lock: the backup waits for the next round.
    if (!(await s.locks.tryLock(verifyLock(backup.id)))) continue;
    try {
      if (await removeBackup(s, call, tenant, backup, reason)) removed += 1;
    } finally {
      await s.locks.unlock(verifyLock(backup.id)).catch(() => {});
    }
  }
  return removed;
}

/**
 * The leader's round for backups of deleted tenants: removed at once when the deletion asked for
 * it (`purgeBackups`; this also finishes a purge a crash interrupted), otherwise once
 * `DELETED_TENANT_BACKUP_RETENTION_DAYS` have passed since the deletion.
 */
export async function retainDeletedTenants(s: BackupServices): Promise<number> {
  const tenants = await s.db
    .selectFrom('tenants')
    .selectAll()
    .where('state', 'in', ['deleting', 'deleted'])
    .where('id', 'in', s.db.selectFrom('tenant_backups').select('tenant_id'))
    .execute();
  const now = s.now().getTime();
  let removed = 0;
  for (const tenant of tenants) {
    if (purgeRequested(await deleteRequestOf(s.db, tenant))) {
      removed += await removeTenantBackups(s, { actor: SYSTEM_ACTOR }, tenant, 'purge');
      continue;
    }
    const due = backupsRemovedAt(tenant, s.settings.deletedTenantRetentionDays);
    if (tenant.state === 'deleted' && due && due.getTime() <= now) {
      removed += await removeTenantBackups(s, { actor: SYSTEM_ACTOR }, tenant, 'retention');
    }
  }
  return removed;
}

/**
 * Removes a tenant's backups now if its deletion asked for it (`purgeBackups` on its
 * `tenant.delete.requested` entry); what is still running goes on the leader's next round.
 */
export async function purgeTenantBackups(s: BackupServices, call: Call, tenant: TenantRow): Promise<number> {
  if (!purgeRequested(await deleteRequestOf(s.db, tenant))) return 0;
  return removeTenantBackups(s, call, tenant, 'purge');
}
