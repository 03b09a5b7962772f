import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { TenantRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { findLiveTenant } from '../tenants/repository.ts';
import { parseInput } from '../validate.ts';

export type BackupSettings = {
  /** Daily at this UTC time (HH:MM); null: no scheduled backups. */
  schedule: string | null;
  keep: number;
  /** False while the tenant follows the configured defaults. */
  custom: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
};

/** A tenant's schedule and retention: its own, or the configured defaults (BACKUP_SCHEDULE, BACKUP_KEEP). */
export async function backupSettingsOf(
  db: Executor,
  tenant: Pick<TenantRow, 'id'>,
  defaults: Config['backups'],
): Promise<BackupSettings> {
  const row = await db
    .selectFrom('tenant_backup_settings')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .executeTakeFirst();
  if (!row) {
    return {
      schedule: defaults.defaultSchedule,
      keep: defaults.defaultKeep,
      custom: false,
      updatedAt: null,
      updatedBy: null,
    };
  }
  return {
    schedule: row.schedule_time,
    keep: row.keep,
    custom: true,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

const settingsSchema = z.object({
  schedule: z
    .string()
    .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a UTC time HH:MM such as 02:30, or null for none')
    .nullable(),
  keep: z.number().int().min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000'),
});

/** Sets a tenant's backup schedule and retention (audited); retention applies on the leader's next round. */
export async function setBackupSettings(
  s: { db: Db; bus: EventBus; now: () => Date; settings: Config['backups'] },
  call: Call,
  slug: string,
  input: { schedule: string | null; keep: number },
): Promise<BackupSettings> {
  const value = parseInput(settingsSchema, input, 'backup settings');
  const tenant = await findLiveTenant(s.db, slug);
  if (!tenant) throw new NotFoundError(`no tenant has the slug ${slug}`, 'TENANT_NOT_FOUND');
  if (tenant.state !== 'active' && tenant.state !== 'provisioning') {
    throw new ConflictError(`tenant ${slug} is ${tenant.state}`, 'TENANT_NOT_ACTIVE');
  }
  await s.db.transaction().execute(async (trx) => {
    const row = {
      tenant_id: tenant.id,
      schedule_time: value.schedule,
      keep: value.keep,
      updated_at: s.now(),
      updated_by: call.actor.label,
    };
    await trx
      .insertInto('tenant_backup_settings')
      .values(row)
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(row))
      .execute();
    await record(
      trx,
      s.bus,
      call,
      'tenant.backup.settings_updated',
      { kind: 'tenant', id: slug },
      { schedule: value.schedule, keep: value.keep },
    );
    await s.bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug, change: 'backups' });
  });
  return backupSettingsOf(s.db, tenant, s.settings);
}

/** The latest daily `HH:MM` (UTC) at or before `now`. */
export function lastScheduledAt(time: string, now: Date): Date {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  if (at.getTime() > now.getTime()) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}
