import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ClusterClient } from '../../cluster/client.ts';
import type { Db } from '../../db/database.ts';
import type { TenantRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import type { Logger } from '../../log.ts';
import type { TenantApi, TenantApiClient } from '../../tenant-api/client.ts';
import type { SmtpRelay } from '../../tenant-api/types.ts';
import { syncedLine } from '../sync-lines.ts';
import type { CpTokens } from '../tenants/cp-tokens.ts';
import { retryDelayMs } from '../tenants/operations/runner.ts';
import { loadSmtpRelay } from './smtp.ts';

export type SmtpSyncServices = {
  db: Db;
  bus: EventBus;
  cluster: ClusterClient;
  logger: Logger;
  now: () => Date;
  /** A tenant API client without retries of its own: a failed tenant waits for its backoff instead. */
  backends: TenantApiClient;
  tokens: CpTokens;
};

export type SmtpSync = LeaderTask & {
  /** Starts a round now on this replica (the leader's periodic rounds retry what fails). */
  kick(): void;
  close(): Promise<void>;
  runOnce(): Promise<{ synced: number; failed: number }>;
  /** Resolves when no round is running or asked for (tests). */
  idle(): Promise<void>;
};

type Claimed = { tenant_id: string; slug: string; target_generation: number; claim_token: string };

/** Tells one backend the relay, or that there is none. */
export async function pushSmtp(api: TenantApi, relay: SmtpRelay | null): Promise<void> {
  if (relay) await api.putSmtp(relay);
  else await api.clearSmtp();
}

/**
 * The SMTP relay fan-out, on the pattern of the license's (`license/sync.ts`): each tenant's
 * `tenant_smtp` line says which generation of the settings it should hold; a round claims due
 * lines with a lease and a claim token (replicas leave claimed lines alone, and only the claim that
 * told a tenant records its result), tells each backend with one call, `concurrency` at a time,
 * and records synced, or failed with the error and the next attempt (1 s doubling to 5 min). State
 * lives in the rows, so a crash mid-round leaves them to the next round on whichever replica leads.
 */
export function createSmtpSync(
  services: SmtpSyncServices,
  options: { concurrency: number; intervalMs: number; leaseMs: number },
): SmtpSync {
  const { db, bus, logger, now } = services;
  let current: Promise<{ synced: number; failed: number }> | undefined;
  let again = false;
  let closed = false;
  let stopping = false;

  async function claim(): Promise<Claimed[]> {
    const token = randomUUID();
    const result = await sql<Claimed>`
      update tenant_smtp ts set claimed_until = ${now()}::timestamptz + make_interval(secs => ${options.leaseMs / 1000}),
        claim_token = ${token}::uuid
      from tenants t
      where t.id = ts.tenant_id and ts.tenant_id in (
        select s.tenant_id from tenant_smtp s join tenants st on st.id = s.tenant_id
        where s.state <> 'synced' and s.next_attempt_at <= ${now()} and st.state = 'active'
          and (s.claimed_until is null or s.claimed_until <= ${now()})
        order by s.next_attempt_at, s.tenant_id
        limit ${Math.max(64, options.concurrency * 4)}
        for update of s skip locked)
      returning ts.tenant_id, t.slug, ts.target_generation, ts.claim_token`.execute(db);
    return result.rows;
  }

  async function recordResult(row: Claimed, error: unknown) {
    const at = now();
    await db.transaction().execute(async (trx) => {
      const updated = error
        ? await sql<{ attempts: number }>`
            update tenant_smtp set state = 'failed', attempts = attempts + 1, last_error = ${messageOf(error)},
              claimed_until = null, claim_token = null, updated_at = ${at}
            where tenant_id = ${row.tenant_id} and target_generation = ${row.target_generation}
              and claim_token = ${row.claim_token}::uuid
            returning attempts`.execute(trx)
        : await sql<{ attempts: number }>`
            update tenant_smtp set state = 'synced', synced_generation = ${row.target_generation}, attempts = 0,
              last_error = null, synced_at = ${at}, claimed_until = null, claim_token = null, updated_at = ${at}
            where tenant_id = ${row.tenant_id} and target_generation = ${row.target_generation}
              and claim_token = ${row.claim_token}::uuid
            returning attempts`.execute(trx);
      if (updated.rows.length === 0) {
        // The settings changed while it was told, or the claim lapsed: tell it again.
        await sql`
          update tenant_smtp set state = 'pending', next_attempt_at = least(next_attempt_at, ${at}),
            claimed_until = case when claim_token = ${row.claim_token}::uuid then null else claimed_until end,
            claim_token = case when claim_token = ${row.claim_token}::uuid then null else claim_token end
          where tenant_id = ${row.tenant_id}`.execute(trx);
        return;
      }
      if (error) {
        await trx
          .updateTable('tenant_smtp')
          .set({ next_attempt_at: new Date(at.getTime() + retryDelayMs(updated.rows[0]!.attempts)) })
          .where('tenant_id', '=', row.tenant_id)
          .execute();
      }
    });
  }

  async function round() {
    const result = { synced: 0, failed: 0 };
    for (let rows = await claim(); rows.length > 0 && !stopping; rows = await claim()) {
      // Read after the claim: at least as new as the generation every claimed line asks for.
      const relay = await loadSmtpRelay(db, services.cluster);
      const queue = [...rows];
      const worker = async () => {
        for (let row = queue.shift(); row && !stopping; row = queue.shift()) {
          let failure: unknown;
          try {
            const api = services.backends.forTenant(row.slug, await services.tokens.of(row.slug));
            await pushSmtp(api, relay);
          } catch (error) {
            failure = error;
            services.tokens.forget(row.slug);
            logger.warn({ tenant: row.slug, reason: messageOf(failure) }, 'SMTP sync failed; will retry');
          }
          try {
            await recordResult(row, failure);
            if (failure) result.failed += 1;
            else result.synced += 1;
          } catch (error) {
            logger.error({ err: error, tenant: row.slug }, 'recording an SMTP sync result failed; retried');
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
    }
    if (result.synced + result.failed > 0) {
      logger.info(result, 'SMTP sync round');
      bus.publish('settings.changed', { section: 'smtp' });
    }
    return result;
  }

  function runOnce() {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      const total = { synced: 0, failed: 0 };
      do {
        again = false;
        const r = await round();
        total.synced += r.synced;
        total.failed += r.failed;
      } while (again && !closed);
      return total;
    })().finally(() => {
      current = undefined;
    });
    return current;
  }

  const task = periodicJob('smtp-sync', options.intervalMs, runOnce, logger);
  const finishRound = async () => {
    stopping = true;
    await current?.catch(() => {});
    stopping = closed;
  };
  return {
    start() {
      if (!closed) task.start();
    },
    async stop() {
      await task.stop();
      await finishRound();
    },
    async close() {
      closed = true;
      await task.stop();
      await finishRound();
    },
    kick() {
      if (closed) return;
      runOnce().catch((error: unknown) => logger.error({ err: error }, 'SMTP sync round failed'));
    },
    runOnce,
    async idle() {
      while (current) await current;
    },
  };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/** A tenant being created: record what it should hold and tell it the relay, as a provisioning step. */
export async function provisionTenantSmtp(
  services: { db: Db; cluster: ClusterClient; now?: () => Date },
  api: () => Promise<TenantApi>,
  tenant: TenantRow,
): Promise<void> {
  const at = services.now?.() ?? new Date();
  const relay = await loadSmtpRelay(services.db, services.cluster);
  const generation = relay?.generation ?? 0;
  const synced = syncedLine(generation, at);
  const line = { tenant_id: tenant.id, target_generation: generation, next_attempt_at: at };
  // A new backend has no relay: with none configured there is nothing to tell it, and the line is
  // recorded synced at once (one statement). A line a newer change wrote meanwhile is left to it.
  if (!relay) {
    await services.db
      .insertInto('tenant_smtp')
      .values({ ...line, ...synced })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet(synced).where('tenant_smtp.target_generation', '<=', generation),
      )
      .execute();
    return;
  }
  await services.db
    .insertInto('tenant_smtp')
    .values({ ...line, updated_at: at })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  await pushSmtp(await api(), relay);
  await services.db
    .updateTable('tenant_smtp')
    .set(synced)
    .where('tenant_id', '=', tenant.id)
    .where('target_generation', '<=', generation)
    .execute();
}
