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
  /** Days before the license's expiry at which an alert is sent, one per lead time. */
  licenseLeadDays: number[];
  /** Percentages of a cap (a tenant's allocation, the license's maximum) at which an alert is sent. */
  capacityThresholds: number[];
  /** How long a tenant must stay unreachable or degraded before it is alerted on. */
  unhealthyMinutes: number;
  /** The local hour (0–23) the daily report goes out, in `reportTimeZone`. */
  reportHour: number;
  /** IANA time zone of `reportHour`, e.g. Europe/Berlin. */
  reportTimeZone: string;
};

export type AlertSettingsView = AlertSettings & { updatedAt: Date | null; updatedBy: string | null };

const KEY = 'alerts';

/** The defaults a fresh deployment starts with: warnings on, daily reports off, nobody to mail yet. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  licenseExpiring: true,
  capacityWarnings: true,
  dailyReports: false,
  alertEmail: null,
  licenseLeadDays: [30, 7, 1],
  capacityThresholds: [80, 100],
  unhealthyMinutes: 10,
  reportHour: 8,
  reportTimeZone: 'UTC',
};

/** Whether `zone` is a time zone this runtime knows (IANA names, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A list of distinct whole numbers in [min, max], 1 to 5 of them, kept sorted (largest first). */
const levels = (min: number, max: number, unit: string) =>
  z
    .array(
      z
        .number()
        .int('must be whole numbers')
        .min(min, `must be between ${min} and ${max} ${unit}`)
        .max(max, `must be between ${min} and ${max} ${unit}`),
    )
    .min(1, 'must have at least one value')
    .max(5, 'must have at most 5 values')
    .refine((v) => new Set(v).size === v.length, 'must not repeat a value')
    .transform((v) => [...v].sort((a, b) => b - a));

const patchSchema = z
  .object({
    licenseExpiring: z.boolean().optional(),
    capacityWarnings: z.boolean().optional(),
    dailyReports: z.boolean().optional(),
    alertEmail: z.email({ message: 'must be an email address' }).max(254).nullable().optional(),
    licenseLeadDays: levels(1, 365, 'days').optional(),
    capacityThresholds: levels(1, 1000, 'percent').optional(),
    unhealthyMinutes: z.number().int().min(1).max(10_080, 'must be between 1 and 10080 minutes').optional(),
    reportHour: z
      .number()
      .int()
      .min(0, 'must be between 0 and 23')
      .max(23, 'must be between 0 and 23')
      .optional(),
    reportTimeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC')
      .optional(),
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
    const changed = (Object.keys(next) as (keyof AlertSettings)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]),
    );
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
