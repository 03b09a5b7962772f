import { createHash } from 'node:crypto';
import pg from 'pg';
import type { TenantBackupRow, TenantRow } from '../../db/schema.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { tenantDatabaseName } from '../tenants/database/admin.ts';
import { countRows } from './pg-process.ts';
import { urlForDatabase } from './pg-tools.ts';
import { getBackup, scratchDatabaseOf, storageKeyOf } from './repository.ts';
import { applyRetention } from './retention.ts';
import type { Dumped } from './runner.ts';
import type { BackupServices } from './services.ts';

/** How often a running backup records and publishes how many bytes it has written. */
const PROGRESS_EVERY_MS = 1000;

export const tenantBackupLock = (tenantId: string) => `tenant-backup:${tenantId}`;
export const verifyLock = (backupId: string) => `tenant-backup-verify:${backupId}`;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function publish(s: BackupServices, b: TenantBackupRow, slug: string, change: 'progress' | 'finished') {
  await s.bus.publishIn(s.db, 'tenant.backup', { backupId: b.id, tenantId: b.tenant_id, slug, change });
}

/**
 * Dumps the tenant database with the configured runner: the row counts and the dump come from one
 * exported snapshot (a repeatable-read transaction held open while pg_dump runs with `--snapshot`,
 * here or in a Job), so the recorded counts are exactly what the file holds.
 */
async function dump(
  s: BackupServices,
  tenant: TenantRow,
  backup: TenantBackupRow,
  key: string,
  signal: AbortSignal,
) {
  const database = tenantDatabaseName(tenant.slug);
  const client = new pg.Client({
    connectionString: urlForDatabase(s.adminUrl, database),
    application_name: 'justiam-cp-backup',
  });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ snapshot: string; version: string }>(
      `select pg_export_snapshot() as snapshot, current_setting('server_version') as version`,
    );
    const counts = await countRows(client);
    await s.db
      .updateTable('tenant_backups')
      .set({ phase: 'dumping', table_counts: JSON.stringify(counts) })
      .where('id', '=', backup.id)
      .execute();
    await publish(s, backup, tenant.slug, 'progress');
    let written = 0;
    let saved = 0;
    const timer = setInterval(() => {
      if (written === saved) return;
      saved = written;
      void s.db
        .updateTable('tenant_backups')
        .set({ progress_bytes: saved })
        .where('id', '=', backup.id)
        .where('state', '=', 'running')
        .execute()
        .then(() => publish(s, backup, tenant.slug, 'progress'))
        .catch(() => {});
    }, PROGRESS_EVERY_MS);
    try {
      const result = await s.runner.dump({
        tenant,
        backup,
        key,
        snapshot: rows[0]!.snapshot,
        signal,
        onBytes: (n) => {
          written = n;
        },
      });
      return { ...result, counts, serverVersion: rows[0]!.version };
    } finally {
      clearInterval(timer);
    }
  } finally {
    await client.query('rollback').catch(() => {});
    await client.end().catch(() => {});
  }
}

/**
 * Runs a recorded backup to its end: dump, checksum, rename into place, then `succeeded` (or
 * `failed` with the reason, and no file), then retention. The caller holds the tenant's backup
 * lock. Answers the backup marked verifying (its verify lock taken) when it is to be verified
 * now (BACKUP_VERIFY): the caller lets go of the tenant's lock and calls {@link verifyNewBackup}.
 */
export async function runBackup(
  s: BackupServices,
  tenant: TenantRow,
  backup: TenantBackupRow,
  signal: AbortSignal,
): Promise<TenantBackupRow | undefined> {
  const key = storageKeyOf(backup);
  let pending: Dumped['file'] | undefined;
  try {
    const result = await dump(s, tenant, backup, key, signal);
    pending = result.file;
    await s.db.updateTable('tenant_backups').set({ phase: 'storing' }).where('id', '=', backup.id).execute();
    await pending.commit();
    const finishedAt = s.now();
    const durationMs = finishedAt.getTime() - backup.started_at.getTime();
    const done = await s.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('tenant_backups')
        .set({
          state: 'succeeded',
          phase: null,
          finished_at: finishedAt,
          size_bytes: result.bytes,
          progress_bytes: result.bytes,
          sha256: result.sha256,
          storage_key: key,
          server_version: result.serverVersion,
          pg_dump_version: result.pgDumpVersion,
        })
        .where('id', '=', backup.id)
        .where('state', '=', 'running')
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await record(
        trx,
        s.bus,
        { actor: SYSTEM_ACTOR },
        'tenant.backup.completed',
        { kind: 'tenant', id: tenant.slug },
        { backupId: backup.id, sizeBytes: result.bytes, sha256: result.sha256, durationMs },
      );
      await s.bus.publishIn(trx, 'tenant.backup', {
        backupId: backup.id,
        tenantId: tenant.id,
        slug: tenant.slug,
        change: 'finished',
      });
      return row;
    });
    if (!done) {
      // Ended meanwhile (recovered as interrupted): the file belongs to no backup.
      await s.storage.remove(key);
      return undefined;
    }
    s.logger.info(
      { tenant: tenant.slug, backup: backup.id, bytes: result.bytes, durationMs },
      'tenant backup completed',
    );
  } catch (error) {
    await pending?.discard().catch(() => {});
    await failBackup(s, tenant, backup.id, messageOf(error));
    return undefined;
  }
  await applyRetention(s, tenant).catch((error: unknown) =>
    s.logger.warn({ err: error, tenant: tenant.slug }, 'backup retention failed'),
  );
  if (!s.settings.verifyAfterBackup || signal.aborted) return undefined;
  // Marked verifying under the tenant's lock, so no backup started next can retire it meanwhile.
  const row = await getBackup(s.db, backup.id);
  if (!row || !(await s.locks.tryLock(verifyLock(row.id)))) return undefined;
  try {
    return await markVerifying(s, row);
  } catch (error) {
    await s.locks.unlock(verifyLock(row.id)).catch(() => {});
    throw error;
  }
}

/** Verifies a backup marked verifying by {@link runBackup}, then lets go of its verify lock. */
export async function verifyNewBackup(
  s: BackupServices,
  tenant: TenantRow,
  backup: TenantBackupRow,
  signal: AbortSignal,
): Promise<void> {
  try {
    await runVerification(s, { actor: SYSTEM_ACTOR }, tenant, backup, signal);
  } finally {
    await s.locks.unlock(verifyLock(backup.id)).catch(() => {});
  }
}

/** Records a backup as failed (if it still runs) with its reason, audited and published. */
export async function failBackup(s: BackupServices, tenant: TenantRow, backupId: string, reason: string) {
  s.logger.warn({ tenant: tenant.slug, backup: backupId, reason }, 'tenant backup failed');
  await s.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('tenant_backups')
      .set({ state: 'failed', phase: null, finished_at: s.now(), error: reason })
      .where('id', '=', backupId)
      .where('state', '=', 'running')
      .returning('id')
      .executeTakeFirst();
    if (!row) return;
    await record(
      trx,
      s.bus,
      { actor: SYSTEM_ACTOR },
      'tenant.backup.failed',
      { kind: 'tenant', id: tenant.slug },
      { backupId, reason },
    );
    await s.bus.publishIn(trx, 'tenant.backup', {
      backupId,
      tenantId: tenant.id,
      slug: tenant.slug,
      change: 'finished',
    });
  });
}

/** Marks a backup's verification as running (the caller holds its verify lock). */
export async function markVerifying(s: BackupServices, backup: TenantBackupRow): Promise<TenantBackupRow> {
  const row = await s.db
    .updateTable('tenant_backups')
    .set({ verify_state: 'running', verify_error: null })
    .where('id', '=', backup.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const tenant = await s.db
    .selectFrom('tenants')
    .select('slug')
    .where('id', '=', backup.tenant_id)
    .executeTakeFirstOrThrow();
  await s.bus.publishIn(s.db, 'tenant.backup', {
    backupId: backup.id,
    tenantId: backup.tenant_id,
    slug: tenant.slug,
    change: 'verification',
  });
  return row;
}

/** sha256 of a stored file, or undefined when it is missing. */
async function hashStored(s: BackupServices, key: string): Promise<string | undefined> {
  if ((await s.storage.size(key)) === undefined) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of s.storage.read(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What differs between the recorded and the restored row counts, one line per table. */
export function compareCounts(recorded: Record<string, number>, restored: Record<string, number>): string[] {
  const tables = [...new Set([...Object.keys(recorded), ...Object.keys(restored)])].sort();
  return tables
    .filter((t) => recorded[t] !== restored[t])
    .map(
      (t) =>
        `${t}: ${restored[t] === undefined ? 'missing' : `${restored[t]} rows`} after restore, ${recorded[t] === undefined ? 'not in the backup' : `${recorded[t]} recorded`}`,
    );
}

/** Why a backup does not restore to what was recorded; null when it does. */
async function check(
  s: BackupServices,
  tenant: TenantRow,
  backup: TenantBackupRow,
  signal: AbortSignal,
): Promise<string | null> {
  const key = backup.storage_key ?? storageKeyOf(backup);
  const sha256 = await hashStored(s, key);
  if (sha256 === undefined) return 'the file is missing from backup storage';
  if (sha256 !== backup.sha256) {
    return `the file is corrupt: its sha256 is ${sha256}, ${backup.sha256} was recorded`;
  }
  await s.runner.readyToVerify();
  const scratch = scratchDatabaseOf(backup.id);
  await s.admin.query(`drop database if exists ${pg.escapeIdentifier(scratch)} with (force)`);
  await s.admin.query(`create database ${pg.escapeIdentifier(scratch)}`);
  try {
    try {
      await s.runner.restore({ tenant, backup, key, scratch, signal });
    } catch (error) {
      return `the file does not restore: ${messageOf(error)}`;
    }
    const client = new pg.Client({ connectionString: urlForDatabase(s.adminUrl, scratch) });
    client.on('error', () => {});
    await client.connect();
    let restored: Record<string, number>;
    try {
      restored = await countRows(client);
    } finally {
      await client.end().catch(() => {});
    }
    const differences = compareCounts(backup.table_counts ?? {}, restored);
    return differences.length ? `row counts differ: ${differences.join('; ')}` : null;
  } finally {
    await s.admin
      .query(`drop database if exists ${pg.escapeIdentifier(scratch)} with (force)`)
      .then(() => s.runner.afterRestore(backup))
      .catch((error: unknown) =>
        s.logger.warn({ err: error, database: scratch }, 'dropping a scratch database failed'),
      );
  }
}

/**
 * Restores a backup into a scratch database, compares its per-table row counts with those
 * recorded at backup time, records `passed` or `failed` (audited, published), and drops the
 * scratch database. The caller holds the backup's verify lock and has marked it running.
 */
export async function runVerification(
  s: BackupServices,
  call: Call,
  tenant: TenantRow,
  backup: TenantBackupRow,
  signal: AbortSignal,
): Promise<void> {
  let reason: string | null;
  try {
    reason = await check(s, tenant, backup, signal);
  } catch (error) {
    reason = `verification could not run: ${messageOf(error)}`;
  }
  if (reason) s.logger.warn({ tenant: tenant.slug, backup: backup.id, reason }, 'backup verification failed');
  await s.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tenant_backups')
      .set({ verify_state: reason ? 'failed' : 'passed', verified_at: s.now(), verify_error: reason })
      .where('id', '=', backup.id)
      .execute();
    await record(
      trx,
      s.bus,
      call,
      'tenant.backup.verified',
      { kind: 'tenant', id: tenant.slug },
      { backupId: backup.id, passed: !reason, reason },
    );
    await s.bus.publishIn(trx, 'tenant.backup', {
      backupId: backup.id,
      tenantId: tenant.id,
      slug: tenant.slug,
      change: 'verification',
    });
    // The dashboard's alerts follow tenant changes: a verification result may raise or clear one.
    await s.bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'backups' });
  });
}
