import { z } from 'zod';
import type { Db, Executor } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { parseInput } from '../validate.ts';

export type AlertSettings = {
  licenseExpiring: boolean;
  capacityWarnings: boolean;
  dailyReports: boolean;
  alertEmail: string | null;
};

export type AlertSettingsView = AlertSettings & { updatedAt: Date | null; updatedBy: string | null };

const KEY = 'alerts';

/** The defaults a fresh deployment starts with: warnings on, daily reports off, nobody to mail yet. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  licenseExpiring: true,
  capacityWarnings: true,
  dailyReports: false,
  alertEmail: null,
};

const patchSchema = z
  .object({
    licenseExpiring: z.boolean().optional(),
    capacityWarnings: z.boolean().optional(),
    dailyReports: z.boolean().optional(),
    alertEmail: z.email({ message: 'must be an email address' }).max(254).nullable().optional(),
  })
  .strict();

export type AlertSettingsPatch = z.input<typeof patchSchema>;

/** Reads the alert rules, falling back to the defaults when none were saved yet. */
export async function getAlertSettings(db: Executor): Promise<AlertSettingsView> {
  const row = await db.selectFrom('settings').selectAll().where('key', '=', KEY).executeTakeFirst();
  if (!row) return { ...DEFAULT_ALERT_SETTINGS, updatedAt: null, updatedBy: null };
  return {
    ...DEFAULT_ALERT_SETTINGS,
    ...(row.value as Partial<AlertSettings>),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/**
 * Changes the alert rules (fields left out keep their value), records who changed which fields,
 * and tells every replica. A patch that changes nothing writes nothing.
 */
export async function updateAlertSettings(
  services: { db: Db; bus: EventBus },
  call: Call,
  patch: AlertSettingsPatch,
): Promise<AlertSettingsView> {
  const { db, bus } = services;
  const input = parseInput(patchSchema, patch, 'alert settings');
  return db.transaction().execute(async (trx) => {
    // Row lock serialises concurrent editors so neither loses the other's fields.
    await trx
      .insertInto('settings')
      .values({ key: KEY, value: JSON.stringify(DEFAULT_ALERT_SETTINGS), updated_by: null })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const current = await trx
      .selectFrom('settings')
      .selectAll()
      .where('key', '=', KEY)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const before = { ...DEFAULT_ALERT_SETTINGS, ...(current.value as Partial<AlertSettings>) };
    const next: AlertSettings = { ...before };
    for (const [field, value] of Object.entries(input) as [keyof AlertSettings, never][]) {
      if (value !== undefined) next[field] = value;
    }
    const changed = (Object.keys(next) as (keyof AlertSettings)[]).filter((k) => next[k] !== before[k]);
    if (changed.length === 0) return getAlertSettings(trx);
    await trx
      .updateTable('settings')
      .set({
        value: JSON.stringify(next),
        version: current.version + 1,
        updated_at: new Date(),
        updated_by: call.actor.label,
      })
      .where('key', '=', KEY)
      .execute();
    await record(trx, bus, call, 'settings.alerts.updated', { kind: 'settings', id: KEY }, { changed });
    await bus.publishIn(trx, 'settings.changed', { section: 'alerts' });
    return getAlertSettings(trx);
  });
}
