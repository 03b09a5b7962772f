import type { TenantBackupRow, TenantRow } from '../../db/schema.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { storageKeyOf } from './repository.ts';
import type { BackupServices } from './services.ts';
import { backupSettingsOf } from './settings.ts';

/**
 * Deletes a finished backup: its row (audited, published) first, then its file, so a crash in
 * between leaves an unlisted file rather than a listed backup without one. False when it was
 * already gone.
 */
export async function removeBackup(
  s: BackupServices,
  call: Call,
  tenant: TenantRow,
  backup: TenantBackupRow,
  reason: 'request' | 'retention' | 'purge',
): Promise<boolean> {
  const removed = await s.db.transaction().execute(async (trx) => {
    // Retention may run in a backup's wake and in the leader's round at once: one of them deletes.
    const gone = await trx
      .deleteFrom('tenant_backups')
      .where('id', '=', backup.id)
      .returning('id')
      .executeTakeFirst();
    if (!gone) return false;
    await record(
      trx,
      s.bus,
      call,
      'tenant.backup.deleted',
      { kind: 'tenant', id: tenant.slug },
      { backupId: backup.id, reason },
    );
    await s.bus.publishIn(trx, 'tenant.backup', {
      backupId: backup.id,
      tenantId: tenant.id,
      slug: tenant.slug,
      change: 'deleted',
    });
    return true;
  });
  if (removed) await s.storage.remove(backup.storage_key ?? storageKeyOf(backup));
  return removed;
}

/**
 * Keeps a tenant's newest `keep` succeeded backups and removes older ones, with the failed
 * attempts older than the oldest one kept. Backups being verified wait for the next round.
 */
export async function applyRetention(s: BackupServices, tenant: TenantRow): Promise<number> {
  const { keep } = await backupSettingsOf(s.db, tenant, s.settings);
  const succeeded = await s.db
    .selectFrom('tenant_backups')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .where('state', '=', 'succeeded')
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const kept = succeeded.slice(0, keep);
  const oldestKept = kept.at(-1);
  const failed =
    succeeded.length > keep && oldestKept
      ? await s.db
          .selectFrom('tenant_backups')
          .selectAll()
          .where('tenant_id', '=', tenant.id)
          .where('state', '=', 'failed')
          .where('started_at', '<', oldestKept.started_at)
          .execute()
      : [];
  let removed = 0;
  for (const backup of [...succeeded.slice(keep), ...failed]) {
    if (backup.verify_state === 'running') continue;
    if (await removeBackup(s, { actor: SYSTEM_ACTOR }, tenant, backup, 'retention')) removed += 1;
  }
  return removed;
}
