import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { ConflictError, DependencyError } from '../errors.ts';
import { createTenantBackup, recoverInterrupted, recoverVerification } from './backups.ts';
import { applyRetention } from './retention.ts';
import { tenantBackupLock, verifyLock } from './run.ts';
import type { BackupServices } from './services.ts';
import { backupSettingsOf, lastScheduledAt } from './settings.ts';
import { retainDeletedTenants } from './tombstone.ts';

/** Ends backups and verifications whose process is gone (their lock is free): `failed`, never stuck. */
export async function recoverAll(s: BackupServices): Promise<void> {
  const running = await s.db
    .selectFrom('tenant_backups')
    .innerJoin('tenants', 'tenants.id', 'tenant_backups.tenant_id')
    .selectAll('tenants')
    .where('tenant_backups.state', '=', 'running')
    .distinct()
    .execute();
  for (const tenant of running) {
    const lock = tenantBackupLock(tenant.id);
    if (!(await s.locks.tryLock(lock))) continue;
    try {
      await recoverInterrupted(s, tenant);
    } catch (error) {
      // Its Job could not be stopped yet: the backup stays running until a round can.
      s.logger.warn({ err: error, tenant: tenant.slug }, 'an interrupted backup cannot be ended yet');
    } finally {
      await s.locks.unlock(lock);
    }
  }
  const verifying = await s.db
    .selectFrom('tenant_backups')
    .selectAll()
    .where('verify_state', '=', 'running')
    .execute();
  for (const backup of verifying) {
    const lock = verifyLock(backup.id);
    if (!(await s.locks.tryLock(lock))) continue;
    try {
      await recoverVerification(s, backup);
    } catch (error) {
      s.logger.warn({ err: error, backup: backup.id }, 'an interrupted verification cannot be ended yet');
    } finally {
      await s.locks.unlock(lock);
    }
  }
}

/** Starts the backups that are due by their tenant's daily schedule (one attempt per day). */
export async function startDueBackups(s: BackupServices): Promise<number> {
  const now = s.now();
  const tenants = await s.db.selectFrom('tenants').selectAll().where('state', '=', 'active').execute();
  let started = 0;
  for (const tenant of tenants) {
    const settings = await backupSettingsOf(s.db, tenant, s.settings);
    if (!settings.schedule) continue;
    const due = lastScheduledAt(settings.schedule, now);
    // A schedule applies from when it was set (or the tenant made) on: no catching up on the past.
    const from = Math.max(tenant.created_at.getTime(), settings.updatedAt?.getTime() ?? 0);
    if (due.getTime() <= from) continue;
    const done = await s.db
      .selectFrom('tenant_backups')
      .select('id')
      .where('tenant_id', '=', tenant.id)
      .where('trigger', '=', 'schedule')
      .where('started_at', '>=', due)
      .executeTakeFirst();
    if (done) continue;
    try {
      await createTenantBackup(s, { actor: SYSTEM_ACTOR }, tenant.slug, 'schedule');
      started += 1;
    } catch (error) {
      // A backup running now: the next round tries again.
      if (error instanceof DependencyError) {
        s.logger.warn({ tenant: tenant.slug, reason: error.message }, 'a scheduled backup cannot start');
      } else if (!(error instanceof ConflictError)) throw error;
    }
  }
  return started;
}

/** Applies each tenant's retention (it may have been lowered since its last backup). */
export async function retainAll(s: BackupServices): Promise<void> {
  const tenants = await s.db
    .selectFrom('tenants')
    .selectAll()
    .where('id', 'in', s.db.selectFrom('tenant_backups').select('tenant_id').where('state', '=', 'succeeded'))
    .execute();
  for (const tenant of tenants) await applyRetention(s, tenant);
}

/**
 * The leader's backup round: recover what a crash left running, start scheduled backups, apply
 * retention, and remove the backups of deleted tenants that are due (or were asked to go with them).
 */
export function createBackupMaintenance(s: BackupServices, options: { intervalMs: number }): LeaderTask {
  return periodicJob(
    'backups',
    options.intervalMs,
    async () => {
      await recoverAll(s);
      await startDueBackups(s);
      await retainAll(s);
      await retainDeletedTenants(s);
    },
    s.logger,
  );
}
