import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { ConflictError, DependencyError } from '../errors.ts';
import { createTenantBackup, recoverInterrupted, recoverVerification } from './backups.ts';
import { applyRetention } from './retention.ts';
import { tenantBackupLock, verifyLock } from './run.ts';
import type { BackupServices } from './services.ts';
import { lastScheduledAt } from './settings.ts';
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

/**
 * Starts the backups that are due by their tenant's daily schedule (one attempt per day). One
 * query finds the active tenants with a schedule, their own or the default, and when their last
 * scheduled backup started: the round costs the same few statements however many tenants there are.
 */
export async function startDueBackups(s: BackupServices): Promise<number> {
  const now = s.now();
  const fallback = s.settings.defaultSchedule;
  const tenants = await s.db
    .selectFrom('tenants')
    .leftJoin('tenant_backup_settings as custom', 'custom.tenant_id', 'tenants.id')
    .selectAll('tenants')
    .select((eb) => [
      eb.fn.coalesce('custom.schedule_time', eb.val(fallback)).as('schedule'),
      // A schedule applies from when it was set (or the tenant made) on: no catching up on the past.
      'custom.updated_at as schedule_set_at',
      eb
        .selectFrom('tenant_backups')
        .select((b) => b.fn.max('started_at').as('at'))
        .whereRef('tenant_backups.tenant_id', '=', 'tenants.id')
        .where('trigger', '=', 'schedule')
        .as('last_scheduled_at'),
    ])
    .where('tenants.state', '=', 'active')
    .where((eb) =>
      fallback === null
        ? eb('custom.schedule_time', 'is not', null)
        : eb.or([eb('custom.tenant_id', 'is', null), eb('custom.schedule_time', 'is not', null)]),
    )
    .execute();
  let started = 0;
  for (const { schedule, schedule_set_at, last_scheduled_at, ...tenant } of tenants) {
    if (!schedule) continue;
    const due = lastScheduledAt(schedule, now);
    const from = Math.max(tenant.created_at.getTime(), schedule_set_at?.getTime() ?? 0);
    if (due.getTime() <= from) continue;
    if (last_scheduled_at && new Date(last_scheduled_at).getTime() >= due.getTime()) continue;
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

/**
 * Applies retention where it has something to remove: tenants with more succeeded backups than
 * they keep (it may have been lowered since their last backup). One query finds them.
 */
export async function retainAll(s: BackupServices): Promise<void> {
  const tenants = await s.db
    .selectFrom('tenants')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('tenant_backups')
          .select((b) => ['tenant_id', b.fn.countAll<number>().as('succeeded')])
          .where('state', '=', 'succeeded')
          .groupBy('tenant_id')
          .as('backups'),
      (join) => join.onRef('backups.tenant_id', '=', 'tenants.id'),
    )
    .leftJoin('tenant_backup_settings as custom', 'custom.tenant_id', 'tenants.id')
    .selectAll('tenants')
    .where((eb) =>
      eb('backups.succeeded', '>', eb.fn.coalesce('custom.keep', eb.val(s.settings.defaultKeep))),
    )
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
