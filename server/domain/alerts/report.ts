import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { dashboardSummary } from '../dashboard/summary.ts';
import { getLicenseStatus } from '../license/status.ts';
import type { AlertSettings } from '../settings/alerts.ts';
import type { AlertServices } from './evaluator.ts';

const DAY_MS = 86_400_000;
const SEND_LEASE_MS = 60_000;

/** The calendar day and hour of `at` in `timeZone`: `{day: '2026-12-02', hour: 8}`. */
export function localDayAndHour(at: Date, timeZone: string): { day: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * Sends today's report once it is the configured hour (or later) in the configured time zone and
 * it was not sent yet: the day's row is inserted first (one per day, whoever inserts it) and
 * claimed before sending, so two evaluators send it once. Returns how many reports went out (0/1).
 */
export async function sendDueReport(
  services: AlertServices,
  settings: AlertSettings,
  at: Date,
): Promise<number> {
  const { db, mailer, logger, bus } = services;
  const to = settings.alertEmail;
  if (!to) return 0;
  const { day, hour } = localDayAndHour(at, settings.reportTimeZone);
  if (hour < settings.reportHour) return 0;
  await db
    .insertInto('daily_reports')
    .values({ day, time_zone: settings.reportTimeZone, created_at: at })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  const claimed = await db
    .updateTable('daily_reports')
    .set({ send_claimed_until: new Date(at.getTime() + SEND_LEASE_MS) })
    .where('day', '=', day)
    .where('sent_at', 'is', null)
    .where((eb) => eb.or([eb('send_claimed_until', 'is', null), eb('send_claimed_until', '<=', at)]))
    .returning(['day', 'send_attempts'])
    .executeTakeFirst();
  if (!claimed) return 0;
  try {
    const text = await buildDailyReport(db, { now: at, freeTierMaxUsers: services.freeTierMaxUsers, day });
    await mailer.send({ to, subject: `[JustIAM] Daily report for ${day}`, text });
    await db
      .updateTable('daily_reports')
      .set({ sent_at: services.now(), sent_to: to, send_claimed_until: null, send_error: null })
      .where('day', '=', day)
      .execute();
    bus.publish('alert.changed', { id: day, change: 'report' });
    return 1;
  } catch (error) {
    const attempts = claimed.send_attempts + 1;
    logger.warn({ day, reason: (error as Error).message }, 'mailing the daily report failed; will retry');
    await db
      .updateTable('daily_reports')
      .set({
        send_attempts: attempts,
        send_error: (error as Error).message.slice(0, 500),
        send_claimed_until: new Date(at.getTime() + Math.min(3_600_000, 60_000 * 2 ** (attempts - 1))),
      })
      .where('day', '=', day)
      .execute();
    return 0;
  }
}

/** The report's text: tenants by state, users, the license, and the last 24 hours' failures and alerts. */
export async function buildDailyReport(
  db: Executor,
  options: { now: Date; freeTierMaxUsers: number; day: string },
): Promise<string> {
  const { now } = options;
  const since = new Date(now.getTime() - DAY_MS);
  const [summary, license] = await Promise.all([
    dashboardSummary(db),
    getLicenseStatus(db, { freeTierMaxUsers: options.freeTierMaxUsers, now }),
  ]);
  const failedOps = await sql<{ kind: string; slug: string; last_error: string | null }>`
    select o.kind, t.slug, o.last_error from tenant_operations o join tenants t on t.id = o.tenant_id
     where o.state = 'failed' and o.finished_at >= ${since} order by o.finished_at`.execute(db);
  const alerts = await db
    .selectFrom('alerts')
    .select(['subject', 'state', 'severity', 'opened_at', 'resolved_at'])
    .where((eb) => eb.or([eb('opened_at', '>=', since), eb('resolved_at', '>=', since)]))
    .orderBy('observed_at')
    .execute();
  const open = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  const l = license.license;
  const lines = [
    `JustIAM control plane — daily report for ${options.day}`,
    '',
    'Tenants',
    `  total ${summary.tenants.total}: active ${summary.tenants.active}, provisioning ${summary.tenants.provisioning}, deleting ${summary.tenants.deleting}`,
    `  health: ok ${summary.health.ok}, degraded ${summary.health.degraded}, unreachable ${summary.health.unreachable}, not yet checked ${summary.health.notYetChecked}`,
    '',
    'Users',
    `  users ${summary.users.total}, active users ${summary.users.active} (${summary.users.reportingTenants} tenants reporting)`,
    '',
    'License',
    l
      ? `  ${license.state}: ${l.licensee} (${l.lid}), ${license.usersInUse} of ${l.max_users} users, expires ${l.expires_at.toISOString().slice(0, 10)} (${license.daysLeft} days left)`
      : `  free tier: ${license.freeTierMaxUsers} users per tenant, ${license.usersInUse} users in use`,
    `  tenants out of sync: ${license.sync.failed}; renewal failures: ${license.renewal.renewal_attempts}`,
    '',
    'Failures in the last 24 hours',
    ...(failedOps.rows.length === 0
      ? ['  none']
      : failedOps.rows.map((o) => `  ${o.kind} of ${o.slug}: ${o.last_error ?? 'no error recorded'}`)),
    `  failed or retrying operations now: ${summary.operations.failed} failed, ${summary.operations.retrying} retrying`,
    '',
    `Alerts in the last 24 hours (${open.n} open now)`,
    ...(alerts.length === 0
      ? ['  none']
      : alerts.map((a) => `  [${a.state === 'resolved' ? 'resolved' : a.severity}] ${a.subject}`)),
    '',
  ];
  return lines.join('\n');
}
