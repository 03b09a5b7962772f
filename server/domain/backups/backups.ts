import pg from 'pg';
import type { TenantBackupRow, TenantRow } from '../../db/schema.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { findLiveTenant } from '../tenants/repository.ts';
import { findTenantBackup, scratchDatabaseOf, storageKeyOf } from './repository.ts';
import { removeBackup } from './retention.ts';
import {
  failBackup,
  markVerifying,
  runBackup,
  runVerification,
  tenantBackupLock,
  verifyLock,
  verifyNewBackup,
} from './run.ts';
import type { BackupServices } from './services.ts';

const INTERRUPTED = 'interrupted: the control plane stopped while the backup ran';

/**
 * Ends the tenant's backups left `running` by a process that is gone (the caller holds the
 * tenant's backup lock, so no control plane follows them): a backup's Job, if any, is deleted and
 * its pod waited for, then the backup becomes `failed` and its partial file is removed. A Job that
 * cannot be deleted now is a DependencyError, and its backup stays `running` for the next attempt.
 */
export async function recoverInterrupted(s: BackupServices, tenant: TenantRow): Promise<number> {
  const stale = await s.db
    .selectFrom('tenant_backups')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .where('state', '=', 'running')
    .execute();
  for (const backup of stale) {
    // A backup Job still running is stopped first: its pg_dump could go on writing the partial file.
    await s.runner.abandon(backup);
    await s.storage.discardPartial(storageKeyOf(backup));
    await failBackup(s, tenant, backup.id, INTERRUPTED);
  }
  return stale.length;
}

/** Ends a verification left `running` by a process that is gone (the caller holds its verify lock). */
export async function recoverVerification(s: BackupServices, backup: TenantBackupRow): Promise<void> {
  await s.admin
    .query(`drop database if exists ${pg.escapeIdentifier(scratchDatabaseOf(backup.id))} with (force)`)
    .catch(() => undefined);
  // Its Job, Secret and role (the job runner); when they cannot go now, the next round tries again.
  await s.runner.abandonVerification(backup);
  await s.db
    .updateTable('tenant_backups')
    .set({
      verify_state: 'failed',
      verified_at: s.now(),
      verify_error: 'interrupted: the control plane stopped while the verification ran',
    })
    .where('id', '=', backup.id)
    .where('verify_state', '=', 'running')
    .execute();
}

async function liveTenant(s: BackupServices, slug: string): Promise<TenantRow> {
  const tenant = await findLiveTenant(s.db, slug);
  if (!tenant) throw new NotFoundError(`no tenant has the slug ${slug}`, 'TENANT_NOT_FOUND');
  return tenant;
}

/**
 * Starts a backup of the tenant's database and answers it `running`; it goes on in the background
 * (progress and result arrive as `tenant.backup` events). One backup per tenant runs at a time,
 * across replicas: a second request while one runs is a ConflictError `BACKUP_RUNNING`. A missing
 * or too old pg_dump is a DependencyError `PG_DUMP_UNAVAILABLE` naming what to install.
 */
export async function createTenantBackup(
  s: BackupServices,
  call: Call,
  slug: string,
  trigger: 'manual' | 'schedule' = 'manual',
): Promise<TenantBackupRow> {
  const tenant = await liveTenant(s, slug);
  if (tenant.state !== 'active') {
    throw new ConflictError(
      `tenant ${slug} is ${tenant.state}; only an active tenant is backed up`,
      'TENANT_NOT_ACTIVE',
    );
  }
  await s.runner.ready();
  const lock = tenantBackupLock(tenant.id);
  if (!(await s.locks.tryLock(lock))) {
    throw new ConflictError(`a backup of ${slug} is already running`, 'BACKUP_RUNNING');
  }
  let backup: TenantBackupRow;
  try {
    await recoverInterrupted(s, tenant);
    backup = await s.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('tenant_backups')
        .values({
          tenant_id: tenant.id,
          trigger,
          requested_by: call.actor.label,
          phase: 'counting',
          started_at: s.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await record(
        trx,
        s.bus,
        call,
        'tenant.backup.requested',
        { kind: 'tenant', id: slug },
        { backupId: row.id, trigger },
      );
      await s.bus.publishIn(trx, 'tenant.backup', {
        backupId: row.id,
        tenantId: tenant.id,
        slug,
        change: 'created',
      });
      return row;
    });
  } catch (error) {
    await s.locks.unlock(lock).catch(() => {});
    if ((error as { code?: string }).code === '23505') {
      throw new ConflictError(`a backup of ${slug} is already running`, 'BACKUP_RUNNING');
    }
    throw error;
  }
  s.runs.start(async (signal) => {
    let verifying: TenantBackupRow | undefined;
    try {
      verifying = await runBackup(s, tenant, backup, signal);
    } finally {
      await s.locks.unlock(lock).catch(() => {});
    }
    // The next backup of the tenant may start while this one is verified.
    if (verifying) await verifyNewBackup(s, tenant, verifying, signal);
  });
  return backup;
}

/** A backup of this tenant, or NotFoundError `BACKUP_NOT_FOUND` (unknown, malformed or another tenant's id). */
export async function tenantBackup(
  s: Pick<BackupServices, 'db'>,
  slug: string,
  id: string,
): Promise<{ backup: TenantBackupRow; tenant: TenantRow }> {
  const found = await findTenantBackup(s.db, slug, id);
  if (!found) throw new NotFoundError(`tenant ${slug} has no backup ${id}`, 'BACKUP_NOT_FOUND');
  return found;
}

/**
 * Deletes a finished backup and its file (audited). A running backup, or one being verified, is
 * a ConflictError (`BACKUP_RUNNING`, `BACKUP_VERIFYING`).
 */
export async function deleteTenantBackup(
  s: BackupServices,
  call: Call,
  slug: string,
  id: string,
): Promise<TenantBackupRow> {
  const { backup, tenant } = await tenantBackup(s, slug, id);
  if (backup.state === 'running') {
    throw new ConflictError(`backup ${id} is still running`, 'BACKUP_RUNNING');
  }
  if (backup.verify_state === 'running' || !(await s.locks.tryLock(verifyLock(id)))) {
    throw new ConflictError(`backup ${id} is being verified`, 'BACKUP_VERIFYING');
  }
  try {
    if (!(await removeBackup(s, call, tenant, backup, 'request'))) {
      throw new NotFoundError(`tenant ${slug} has no backup ${id}`, 'BACKUP_NOT_FOUND');
    }
  } finally {
    await s.locks.unlock(verifyLock(id)).catch(() => {});
  }
  return backup;
}

/**
 * Starts verifying a succeeded backup (restore into a scratch database, compare row counts) and
 * answers it with its verification `running`. ConflictError `BACKUP_NOT_SUCCEEDED` for a backup
 * without a file, `BACKUP_VERIFYING` while a verification of it runs.
 */
export async function verifyTenantBackup(
  s: BackupServices,
  call: Call,
  slug: string,
  id: string,
): Promise<TenantBackupRow> {
  const { backup, tenant } = await tenantBackup(s, slug, id);
  if (backup.state !== 'succeeded') {
    throw new ConflictError(
      `backup ${id} is ${backup.state}: only a succeeded backup can be verified`,
      'BACKUP_NOT_SUCCEEDED',
    );
  }
  await s.runner.readyToVerify();
  const lock = verifyLock(id);
  if (!(await s.locks.tryLock(lock))) {
    throw new ConflictError(`backup ${id} is being verified`, 'BACKUP_VERIFYING');
  }
  let row: TenantBackupRow;
  try {
    row = await markVerifying(s, backup);
  } catch (error) {
    await s.locks.unlock(lock).catch(() => {});
    throw error;
  }
  s.runs.start(async (signal) => {
    try {
      await runVerification(s, call, tenant, row, signal);
    } finally {
      await s.locks.unlock(lock).catch(() => {});
    }
  });
  return row;
}

/** Records that a backup file (or a range of it) was sent to the caller. */
export async function recordDownload(
  s: Pick<BackupServices, 'db' | 'bus'>,
  call: Call,
  tenant: TenantRow,
  backup: TenantBackupRow,
  range: string | null,
): Promise<void> {
  await record(
    s.db,
    s.bus,
    call,
    'tenant.backup.downloaded',
    { kind: 'tenant', id: tenant.slug },
    { backupId: backup.id, range },
  );
}
