import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AlertRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import type { Logger } from '../../log.ts';
import type { Mailer } from '../mail/mailer.ts';
import { getAlertSettings } from '../settings/alerts.ts';
import { sendDueReport } from './report.ts';
import { ALERT_KINDS, type AlertKind, currentConditions } from './rules.ts';

export type AlertServices = {
  db: Db;
  bus: EventBus;
  logger: Logger;
  /** The clock every decision is made by (tests drive it). */
  now: () => Date;
  mailer: Mailer;
  freeTierMaxUsers: number;
};

export type EvaluationResult = {
  opened: number;
  resolved: number;
  sent: number;
  failed: number;
  reports: number;
};

/** How long a claimed notification is left to its sender before another evaluator may send it. */
const SEND_LEASE_MS = 60_000;
/** A failed notification is tried again after 1 min, doubling to 1 h. */
const retryAfterMs = (attempts: number) => Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attempts - 1));

/**
 * One evaluation: open an alert for every condition that holds (held ones once they have held long
 * enough), resolve those whose condition cleared, then mail what is due. Opening is an insert that
 * does nothing when an unresolved alert of the key exists (a unique partial index), and each
 * notification is claimed before it is sent, so any number of evaluators on one database — two
 * replicas, a crash and a restart — open each alert once and mail it once.
 */
export async function evaluateAlerts(services: AlertServices): Promise<EvaluationResult> {
  const { db, bus, now } = services;
  const at = now();
  const settings = await getAlertSettings(db);
  const { conditions, evaluated } = await currentConditions(db, settings, {
    now: at,
    freeTierMaxUsers: services.freeTierMaxUsers,
  });
  const result: EvaluationResult = { opened: 0, resolved: 0, sent: 0, failed: 0, reports: 0 };
  const keys = conditions.map((c) => c.key);

  // Two statements whatever the number of conditions (a fleet with many unhealthy tenants has
  // one per tenant): every condition inserted at once, then every held one promoted that has held
  // long enough. Each statement publishes its own events (one NOTIFY per alert, one round trip).
  const changed = (id: RawBuilder<unknown>, change: 'opened' | 'resolved') =>
    bus.notificationOf('alert.changed', sql`json_build_object('id', ${id}, 'change', ${change}::text)`);
  if (conditions.length > 0) {
    const column = <T>(pick: (c: (typeof conditions)[number]) => T) => conditions.map(pick);
    const opened = await sql<{ id: string }>`
      with inserted as (
      insert into alerts (key, kind, severity, tenant_id, subject, detail, state, observed_at, opened_at)
      select c.key, c.kind, c.severity, c.tenant_id, c.subject, c.detail, c.state, ${at}::timestamptz,
             case when c.state = 'open' then ${at}::timestamptz end
        from unnest(${column((c) => c.key)}::text[], ${column((c) => c.kind)}::text[],
                    ${column((c) => c.severity)}::text[], ${column((c) => c.tenantId)}::uuid[],
                    ${column((c) => c.subject)}::text[], ${column((c) => c.detail)}::text[],
                    ${column((c) => (c.holdMs > 0 ? 'pending' : 'open'))}::text[])
          as c(key, kind, severity, tenant_id, subject, detail, state)
      on conflict (key) where state <> 'resolved' do nothing
      returning id, state)
      select id, ${changed(sql.ref('id'), 'opened')} from inserted where state = 'open'`.execute(db);
    result.opened += opened.rows.length;
    const held = conditions.filter((c) => c.holdMs > 0);
    if (held.length > 0) {
      const promoted = await sql<{ id: string }>`
        with updated as (
        update alerts a set state = 'open', opened_at = ${at}::timestamptz, detail = h.detail
          from unnest(${held.map((c) => c.key)}::text[], ${held.map((c) => c.detail)}::text[],
                      ${held.map((c) => c.holdMs)}::float8[]) as h(key, detail, hold_ms)
         where a.key = h.key and a.state = 'pending'
           and a.observed_at <= ${at}::timestamptz - h.hold_ms * interval '1 millisecond'
        returning a.id)
        select id, ${changed(sql.ref('id'), 'opened')} from updated`.execute(db);
      result.opened += promoted.rows.length;
    }
  }

  // Cleared: a held condition that never opened is forgotten; an open alert is resolved.
  const kinds = [...evaluated] as AlertKind[];
  await db
    .deleteFrom('alerts')
    .where('kind', 'in', kinds)
    .where('state', '=', 'pending')
    .$if(keys.length > 0, (q) => q.where('key', 'not in', keys))
    .execute();
  const resolved = await db
    .updateTable('alerts')
    .set({ state: 'resolved', resolved_at: at })
    .where('kind', 'in', kinds)
    .where('state', '=', 'open')
    .$if(keys.length > 0, (q) => q.where('key', 'not in', keys))
    .returning(['id', changed(sql.ref('id'), 'resolved').as('notified')])
    .execute();
  result.resolved += resolved.length;
  // A rule turned off: its alerts end without a "resolved" message (nothing was fixed).
  const off: AlertKind[] = [
    ...(settings.licenseExpiring ? [] : ALERT_KINDS.license),
    ...(settings.capacityWarnings ? [] : ALERT_KINDS.capacity),
  ];
  if (off.length > 0) {
    await db
      .updateTable('alerts')
      .set({ state: 'resolved', resolved_at: at, resolved_sent_at: at })
      .where('kind', 'in', off)
      .where('state', '=', 'open')
      .execute();
  }

  if (settings.alertEmail) {
    const mailed = await sendDue(services, settings.alertEmail, at);
    result.sent += mailed.sent;
    result.failed += mailed.failed;
    if (settings.dailyReports) result.reports += await sendDueReport(services, settings, at);
  }
  return result;
}

/** Claims the notifications due (an open alert not yet mailed, a resolution not yet mailed) and mails them. */
async function sendDue(services: AlertServices, to: string, at: Date) {
  const { db, bus, logger, mailer } = services;
  const claimed = await sql<AlertRow & { message: 'opened' | 'resolved' }>`
    update alerts a set send_claimed_until = ${new Date(at.getTime() + SEND_LEASE_MS)}
    from (
      select id from alerts
       where ((state = 'open' and sent_at is null)
              or (state = 'resolved' and sent_at is not null and resolved_sent_at is null))
         and (send_claimed_until is null or send_claimed_until <= ${at})
       order by observed_at
       limit 50
       for update skip locked) due
    where a.id = due.id
    returning a.*, case when a.state = 'open' then 'opened' else 'resolved' end as message`.execute(db);
  let sent = 0;
  let failed = 0;
  for (const alert of claimed.rows) {
    const resolvedMessage = alert.message === 'resolved';
    try {
      await mailer.send({
        to,
        subject: `[JustIAM ${resolvedMessage ? 'resolved' : alert.severity}] ${alert.subject}`,
        text: resolvedMessage
          ? `Resolved: ${alert.subject}\n\nThe condition cleared at ${alert.resolved_at?.toISOString()}.\nIt was opened at ${alert.opened_at?.toISOString()}: ${alert.detail}\n`
          : `${alert.subject}\n\n${alert.detail}\n\nOpened at ${alert.opened_at?.toISOString()}. You will get one more e-mail when it is resolved.\n`,
      });
      await db
        .updateTable('alerts')
        .set(
          resolvedMessage
            ? {
                resolved_sent_at: services.now(),
                send_claimed_until: null,
                send_error: null,
                send_attempts: 0,
              }
            : {
                sent_at: services.now(),
                sent_to: to,
                send_claimed_until: null,
                send_error: null,
                send_attempts: 0,
              },
        )
        .where('id', '=', alert.id)
        .execute();
      sent += 1;
      bus.publish('alert.changed', { id: alert.id, change: 'sent' });
    } catch (error) {
      failed += 1;
      const attempts = alert.send_attempts + 1;
      logger.warn(
        { alert: alert.key, reason: (error as Error).message },
        'mailing an alert failed; will retry',
      );
      await db
        .updateTable('alerts')
        .set({
          send_attempts: attempts,
          send_error: (error as Error).message.slice(0, 500),
          send_claimed_until: new Date(at.getTime() + retryAfterMs(attempts)),
        })
        .where('id', '=', alert.id)
        .execute();
    }
  }
  return { sent, failed };
}

/**
 * What the rules read, boiled down to one value: it changes when a tenant's users, status or state,
 * an operation's outcome, the license or the settings change, on whichever replica changed them.
 */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await sql<{ f: string | null }>`
    select concat_ws('|',
      (select concat(count(*), ':', sum(hashtext(concat(id, ':', state, ':', users, ':', status))))
         from tenants where state <> 'deleted'),
      (select concat(count(*), ':', max(created_at), ':', count(*) filter (where state = 'failed'))
         from tenant_operations),
      (select concat(generation, ':', license_id, ':', renewal_attempts) from license_state),
      (select concat(count(*), ':', max(updated_at)) from settings)) as f`.execute(db);
  return rows[0]?.f ?? '';
}

export type AlertEvaluator = LeaderTask & {
  /** One evaluation now (or right after the one under way). */
  runOnce(): Promise<EvaluationResult>;
  close(): Promise<void>;
};

/**
 * The leader's alert job: evaluates every `intervalMs`, and soon after what the rules read changes
 * (checked every `watchMs` with one small query, so a change made on any replica counts), never
 * two evaluations at once on one replica.
 */
export function createAlertEvaluator(
  services: AlertServices,
  options: { intervalMs: number; watchMs?: number },
): AlertEvaluator {
  const { logger } = services;
  let current: Promise<EvaluationResult> | undefined;
  let again = false;
  let closed = false;
  let seen: string | undefined;

  function runOnce(): Promise<EvaluationResult> {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      let last: EvaluationResult;
      do {
        again = false;
        last = await evaluateAlerts(services);
      } while (again && !closed);
      return last;
    })().finally(() => {
      current = undefined;
    });
    return current;
  }
  const task = periodicJob('alerts', options.intervalMs, runOnce, logger);
  const watch = periodicJob(
    'alerts-watch',
    options.watchMs ?? Math.min(5000, options.intervalMs),
    async () => {
      const now = await fingerprint(services.db);
      const changed = seen !== undefined && now !== seen;
      seen = now;
      if (changed) await runOnce();
    },
    logger,
  );
  const stopAll = async () => {
    await Promise.all([task.stop(), watch.stop()]);
    await current?.catch(() => {});
  };
  return {
    start() {
      if (closed) return;
      seen = undefined;
      task.start();
      watch.start();
    },
    stop: stopAll,
    async close() {
      closed = true;
      await stopAll();
    },
    runOnce,
  };
}
