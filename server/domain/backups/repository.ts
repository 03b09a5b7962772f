import type { Executor } from '../../db/database.ts';
import type { TenantBackupRow, TenantRow } from '../../db/schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The storage key of a backup's file. */
export const storageKeyOf = (b: Pick<TenantBackupRow, 'tenant_id' | 'id'>) => `${b.tenant_id}/${b.id}.dump`;

/** The scratch database a backup is restored into to verify it. */
export const scratchDatabaseOf = (backupId: string) => `backup_verify_${backupId.replace(/-/g, '')}`;

export function getBackup(db: Executor, id: string): Promise<TenantBackupRow | undefined> {
  if (!UUID.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('tenant_backups').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A backup of the tenant with this slug (live or deleted), with that tenant; undefined when the id
 * is unknown, malformed or another tenant's.
 */
export async function findTenantBackup(
  db: Executor,
  slug: string,
  id: string,
): Promise<{ backup: TenantBackupRow; tenant: TenantRow } | undefined> {
  const backup = await getBackup(db, id);
  if (!backup) return undefined;
  const tenant = await db
    .selectFrom('tenants')
    .selectAll()
    .where('id', '=', backup.tenant_id)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return tenant ? { backup, tenant } : undefined;
}

export type BackupKey = { startedAt: string; id: string };

/** A keyset page of a tenant's backups, newest first (`descending: false` pages backwards). */
export function listBackups(
  db: Executor,
  tenantId: string,
  page: { after?: BackupKey | undefined; before?: BackupKey | undefined; limit: number; inverted: boolean },
): Promise<TenantBackupRow[]> {
  let q = db.selectFrom('tenant_backups').selectAll().where('tenant_id', '=', tenantId);
  if (page.after) {
    const { startedAt, id } = page.after;
    q = q.where((eb) =>
      eb.or([
        eb('started_at', '<', new Date(startedAt)),
        eb.and([eb('started_at', '=', new Date(startedAt)), eb('id', '<', id)]),
      ]),
    );
  }
  if (page.before) {
    const { startedAt, id } = page.before;
    q = q.where((eb) =>
      eb.or([
        eb('started_at', '>', new Date(startedAt)),
        eb.and([eb('started_at', '=', new Date(startedAt)), eb('id', '>', id)]),
      ]),
    );
  }
  const direction = page.inverted ? 'asc' : 'desc';
  return q.orderBy('started_at', direction).orderBy('id', direction).limit(page.limit).execute();
}
