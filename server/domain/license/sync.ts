import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { TenantRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import type { Logger } from '../../log.ts';
import type { TenantApi, TenantApiClient } from '../../tenant-api/client.ts';
import { syncedLine } from '../sync-lines.ts';
import type { CpTokens } from '../tenants/cp-tokens.ts';
import { retryDelayMs } from '../tenants/operations/runner.ts';

/** What a tenant should hold now: the license in force (or none) and the users no allocation holds. */
export type LicenseSnapshot = {
  generation: number;
  token: string | null;
  maxUsers: number;
  allocated: number;
};

/** Reads what tenants should hold. Read after claiming, so it is at least as new as every claim. */
export async function licenseSnapshot(db: Executor): Promise<LicenseSnapshot> {
  const row = await sql<{
    generation: number;
    token: string | null;
    max_users: number | null;
    allocated: string;
  }>`
    select s.generation, l.token, l.max_users,
      -- Summed over every tenant, so only when there is a license to share (the free tier has none).
      case when l.token is null then 0 else
        (select coalesce(sum(tl.user_cap), 0) from tenant_licenses tl join tenants t on t.id = tl.tenant_id
          where t.state <> 'deleted') end as allocated
    from license_state s left join licenses l on l.id = s.license_id`.execute(db);
  const r = row.rows[0]!;
  return {
    generation: r.generation,
    token: r.token,
    maxUsers: r.max_users ?? 0,
    allocated: Number(r.allocated),
  };
}

/** Tells one backend what it should hold: the license with its cap, or the free tier. */
export async function pushLicense(api: TenantApi, snapshot: LicenseSnapshot, userCap: number | null) {
  if (snapshot.token === null) await api.clearLicense();
  else await api.putLicense(snapshot.token, userCap ?? Math.max(0, snapshot.maxUsers - snapshot.allocated));
}

/** Marks every tenant that is not deleted as needing generation `generation` now. */
export async function markAllPending(trx: Executor, generation: number, now: Date) {
  await sql`
    insert into tenant_licenses (tenant_id, target_generation, state, attempts, next_attempt_at, updated_at)
    select id, ${generation}, 'pending', 0, ${now}, ${now} from tenants where state in ('provisioning', 'active')
    on conflict (tenant_id) do update set target_generation = excluded.target_generation, state = 'pending',
      attempts = 0, last_error = null, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

export type SyncRound = { synced: number; failed: number };

type Claimed = {
  tenant_id: string;
  slug: string;
  target_generation: number;
  user_cap: number | null;
  /** The claim that told it: only this claim may record its result. */
  claim_token: string;
};

/** What telling one tenant came to: failed with `error`, or synced; `at` when the call ended. */
type Outcome = { row: Claimed; error: unknown; at: Date };

export type LicenseSyncServices = {
  db: Db;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** A tenant API client without retries of its own: a failed tenant waits for its backoff instead. */
  backends: TenantApiClient;
  tokens: CpTokens;
};

export type LicenseSync = LeaderTask & {
  /**
   * Starts a round now on this replica, or another right after the one under way; on any replica,
   * leader or not (`stop()` ends only the leader's periodic rounds).
   */
  kick(): void;
  /** Process shutdown: no more rounds of any kind; waits for the one under way. */
  close(): Promise<void>;
  /** One round: every tenant due is told, `concurrency` at a time. */
  runOnce(): Promise<SyncRound>;
  /** Resolves when no round is running or asked for (tests). */
  idle(): Promise<void>;
};

/** Most results recorded in one transaction. */
const RECORD_BATCH = 256;

/** Rows claimed at once: enough to keep every worker busy between claims. */
export function claimBatch(concurrency: number): number {
  return Math.max(64, concurrency * 4);
}

/**
 * How long a claim holds: long enough for a claimed row to wait its turn in the round's queue and
 * then be told, were every call before it to time out (one attempt each), plus 5 s of slack. A
 * claim that lapses anyway (a paused process) costs a second telling, never a wrong record.
 */
export function claimLeaseMs(callTimeoutMs: number, concurrency: number): number {
  return callTimeoutMs * (Math.ceil(claimBatch(concurrency) / concurrency) + 1) + 5000;
}

/**
 * The license fan-out. Each tenant's row says which generation it should hold; a round claims
 * due rows (a lease in `claimed_until` and a `claim_token`: replicas leave claimed rows alone, and
 * only the claim that told a tenant records its result — a lapsed one makes it be told again), tells
 * each backend with one call and its own timeout, and records synced, or failed with the error and
 * the next attempt after a backoff (1 s doubling to 5 min), with a `license.sync` event per tenant.
 * Rows are claimed a batch at a time and served by `concurrency` workers as they come, so a slow
 * tenant holds one worker, never the rest; the CP tokens of claimed rows are read ahead of the
 * workers (at most `concurrency` reads at once). Workers hand their results to one recorder and
 * go on to the next tenant: it records what has come in since its last transaction in one
 * transaction (each row still its own state, attempts, backoff and event), so recording costs a
 * commit per batch instead of one per tenant and never holds a worker.
 * State lives in the rows: a crash mid-round leaves them pending (or claimed, told but not yet
 * recorded) and the next round, on whichever replica leads, finishes the work once their leases
 * lapse; telling a tenant twice is harmless.
 */
export function createLicenseSync(
  services: LicenseSyncServices,
  options: { concurrency: number; intervalMs: number; leaseMs: number },
): LicenseSync {
  const { db, bus, logger, now } = services;
  const batch = claimBatch(options.concurrency);
  let current: Promise<SyncRound> | undefined;
  let again = false;
  /** Process shutdown: nothing more runs. */
  let closed = false;
  /** A round in progress ends early: set on shutdown, and on losing leadership for periodic rounds. */
  let stopping = false;

  async function claim(limit: number): Promise<Claimed[]> {
    const leaseSeconds = options.leaseMs / 1000;
    const token = randomUUID();
    const result = await sql<Claimed>`
      update tenant_licenses tl set claimed_until = now() + make_interval(secs => ${leaseSeconds}),
        claim_token = ${token}::uuid
      from tenants t
      where t.id = tl.tenant_id and tl.tenant_id in (
        select l.tenant_id from tenant_licenses l join tenants lt on lt.id = l.tenant_id
        where l.state <> 'synced' and l.next_attempt_at <= ${now()} and lt.state = 'active'
          and (l.claimed_until is null or l.claimed_until <= now())
        order by l.next_attempt_at, l.tenant_id
        limit ${limit}
        for update of l skip locked)
      returning tl.tenant_id, t.slug, tl.target_generation, tl.user_cap, tl.claim_token`.execute(db);
    return result.rows;
  }

  /**
   * What a result that could not be recorded leaves behind: what the tenant should hold changed
   * while it was told, or another claim took it over (this one lapsed), so what this call sent
   * may have overwritten something newer. Either way the tenant is told again; the claim is
   * released if it is still this one's.
   */
  const tellAgain = (ids: string[], at: Date, token: string) => sql`
    update tenant_licenses set state = 'pending', next_attempt_at = least(next_attempt_at, ${at}),
      claimed_until = case when claim_token = ${token}::uuid then null else claimed_until end,
      claim_token = case when claim_token = ${token}::uuid then null else claim_token end
    where tenant_id = any(${ids}::uuid[])`;

  /** Records one result in its own transaction, waiting for the row's lock if need be. */
  async function record(outcome: Outcome) {
    const { row, error, at } = outcome;
    await db.transaction().execute(async (trx) => {
      const updated = error
        ? await sql<{ attempts: number }>`
            update tenant_licenses set state = 'failed', attempts = attempts + 1, last_error = ${messageOf(error)},
              claimed_until = null, claim_token = null, updated_at = ${at}
            where tenant_id = ${row.tenant_id} and target_generation = ${row.target_generation}
              and claim_token = ${row.claim_token}::uuid
            returning attempts`.execute(trx)
        : await sql<{ attempts: number }>`
            update tenant_licenses set state = 'synced', synced_generation = ${row.target_generation}, attempts = 0,
              last_error = null, synced_at = ${at}, claimed_until = null, claim_token = null, updated_at = ${at}
            where tenant_id = ${row.tenant_id} and target_generation = ${row.target_generation}
              and claim_token = ${row.claim_token}::uuid
            returning attempts`.execute(trx);
      if (updated.rows.length === 0) {
        await tellAgain([row.tenant_id], at, row.claim_token).execute(trx);
        return;
      }
      if (error) {
        const attempts = updated.rows[0]!.attempts;
        await trx
          .updateTable('tenant_licenses')
          .set({ next_attempt_at: new Date(at.getTime() + retryDelayMs(attempts)) })
          .where('tenant_id', '=', row.tenant_id)
          .execute();
      }
      await bus.publishIn(trx, 'license.sync', {
        tenantId: row.tenant_id,
        slug: row.slug,
        state: error ? 'failed' : 'synced',
      });
    });
  }

  /**
   * Records many results in one transaction, as `record` would one by one. Rows are locked with
   * SKIP LOCKED first, so the transaction never waits while holding other rows (no deadlock with a
   * license change updating every row); the rows it could not lock are returned, for `record`.
   */
  async function recordMany(outcomes: Outcome[]): Promise<Outcome[]> {
    return db.transaction().execute(async (trx) => {
      const byId = new Map(outcomes.map((o) => [o.row.tenant_id, o]));
      const ids = [...byId.keys()];
      const locked = await sql<{ tenant_id: string }>`
        select tenant_id from tenant_licenses where tenant_id = any(${ids}::uuid[])
        for update skip locked`.execute(trx);
      const mine = new Set(locked.rows.map((r) => r.tenant_id));
      const busy = outcomes.filter((o) => !mine.has(o.row.tenant_id));
      const synced = outcomes.filter((o) => mine.has(o.row.tenant_id) && !o.error);
      const failed = outcomes.filter((o) => mine.has(o.row.tenant_id) && o.error);
      const recorded = new Map<string, Outcome>();
      if (synced.length > 0) {
        const done = await sql<{ tenant_id: string }>`
          update tenant_licenses tl set state = 'synced', synced_generation = v.generation, attempts = 0,
            last_error = null, synced_at = v.at, claimed_until = null, claim_token = null, updated_at = v.at
          from unnest(${synced.map((o) => o.row.tenant_id)}::uuid[], ${synced.map((o) => o.row.target_generation)}::int[],
            ${synced.map((o) => o.at.toISOString())}::timestamptz[], ${synced.map((o) => o.row.claim_token)}::uuid[])
            as v(tenant_id, generation, at, claim_token)
          where tl.tenant_id = v.tenant_id and tl.target_generation = v.generation and tl.claim_token = v.claim_token
          returning tl.tenant_id`.execute(trx);
        for (const r of done.rows) recorded.set(r.tenant_id, byId.get(r.tenant_id)!);
      }
      if (failed.length > 0) {
        const done = await sql<{ tenant_id: string; attempts: number }>`
          update tenant_licenses tl set state = 'failed', attempts = tl.attempts + 1, last_error = v.error,
            claimed_until = null, claim_token = null, updated_at = v.at
          from unnest(${failed.map((o) => o.row.tenant_id)}::uuid[], ${failed.map((o) => o.row.target_generation)}::int[],
            ${failed.map((o) => messageOf(o.error))}::text[], ${failed.map((o) => o.at.toISOString())}::timestamptz[],
            ${failed.map((o) => o.row.claim_token)}::uuid[])
            as v(tenant_id, generation, error, at, claim_token)
          where tl.tenant_id = v.tenant_id and tl.target_generation = v.generation and tl.claim_token = v.claim_token
          returning tl.tenant_id, tl.attempts`.execute(trx);
        const next = done.rows.map((r) => {
          const outcome = byId.get(r.tenant_id)!;
          recorded.set(r.tenant_id, outcome);
          return { id: r.tenant_id, at: new Date(outcome.at.getTime() + retryDelayMs(r.attempts)) };
        });
        if (next.length > 0) {
          await sql`
            update tenant_licenses tl set next_attempt_at = v.next_attempt_at
            from unnest(${next.map((n) => n.id)}::uuid[], ${next.map((n) => n.at.toISOString())}::timestamptz[])
              as v(tenant_id, next_attempt_at)
            where tl.tenant_id = v.tenant_id`.execute(trx);
        }
      }
      // Not recorded: told again (see tellAgain), each released if its claim is still the round's.
      const stale = outcomes.filter((o) => mine.has(o.row.tenant_id) && !recorded.has(o.row.tenant_id));
      const byClaim = new Map<string, Outcome[]>();
      for (const o of stale) byClaim.set(o.row.claim_token, [...(byClaim.get(o.row.claim_token) ?? []), o]);
      for (const [token, group] of byClaim) {
        await tellAgain(
          group.map((o) => o.row.tenant_id),
          group[0]!.at,
          token,
        ).execute(trx);
      }
      await bus.publishManyIn(
        trx,
        'license.sync',
        [...recorded.values()].map(({ row, error }) => ({
          tenantId: row.tenant_id,
          slug: row.slug,
          state: error ? ('failed' as const) : ('synced' as const),
        })),
      );
      return busy;
    });
  }

  /** Takes results as workers hand them in and records them, a transaction per batch. */
  function createRecorder(result: SyncRound) {
    const waiting: Outcome[] = [];
    let draining: Promise<void> | undefined;
    const counted = (outcomes: Outcome[]) => {
      for (const o of outcomes) {
        if (o.error) result.failed += 1;
        else result.synced += 1;
      }
    };
    const lost = (outcomes: Outcome[], error: unknown) =>
      logger.error(
        { err: error, tenants: outcomes.map((o) => o.row.slug).slice(0, 20), count: outcomes.length },
        'recording license sync results failed; their leases lapse and they are retried',
      );
    async function drain() {
      while (waiting.length > 0) {
        const outcomes = waiting.splice(0, RECORD_BATCH);
        let busy: Outcome[] = [];
        try {
          busy = outcomes.length === 1 ? outcomes : await recordMany(outcomes);
          const later = new Set(busy);
          counted(outcomes.filter((o) => !later.has(o)));
        } catch (error) {
          lost(outcomes, error);
        }
        for (const outcome of busy) {
          try {
            await record(outcome);
            counted([outcome]);
          } catch (error) {
            lost([outcome], error);
          }
        }
      }
      // Synchronously after the last check: a result handed in from here on starts a new drain.
      draining = undefined;
    }
    return {
      add(outcome: Outcome) {
        waiting.push(outcome);
        draining ??= drain();
      },
      async settled() {
        while (draining) await draining;
      },
    };
  }

  async function round(): Promise<SyncRound> {
    const result: SyncRound = { synced: 0, failed: 0 };
    const recorder = createRecorder(result);
    const queue: Claimed[] = [];
    let exhausted = false;
    let claiming: Promise<void> | undefined;
    let snapshot: LicenseSnapshot | undefined;

    // CP tokens of queued rows, read ahead of the workers, at most `concurrency` reads at once:
    // the first `ahead` rows of the queue have theirs under way (or read) in `tokenReads`.
    const tokenReads = new Map<string, Promise<string>>();
    let reading = 0;
    let ahead = 0;
    const readToken = (slug: string) => {
      reading += 1;
      const read = services.tokens.of(slug).finally(() => {
        reading -= 1;
        readAhead();
      });
      read.catch(() => {}); // the worker that takes the row awaits it and handles the failure
      tokenReads.set(slug, read);
      return read;
    };
    const readAhead = () => {
      while (!stopping && reading < options.concurrency && ahead < queue.length) {
        readToken(queue[ahead]!.slug);
        ahead += 1;
      }
    };
    const tokenOf = (slug: string) => {
      const read = tokenReads.get(slug) ?? services.tokens.of(slug);
      tokenReads.delete(slug);
      return read;
    };

    const next = async (): Promise<[Claimed, LicenseSnapshot] | undefined> => {
      for (;;) {
        if (stopping) return undefined;
        const row = queue.shift();
        if (row) {
          ahead = Math.max(0, ahead - 1);
          return [row, snapshot!];
        }
        if (exhausted) return undefined;
        claiming ??= (async () => {
          const rows = await claim(batch);
          // Read after the claim: at least as new as what every claimed row asks for.
          if (rows.length > 0) {
            snapshot = await licenseSnapshot(db);
            // Many tenants' tokens at once with one LIST of Secrets, rather than a GET each.
            await services.tokens.prefetch(rows.map((r) => r.slug));
          }
          queue.push(...rows);
          if (rows.length < batch) exhausted = true;
          readAhead();
        })().finally(() => {
          claiming = undefined;
        });
        await claiming;
      }
    };

    const worker = async () => {
      for (let item = await next(); item; item = await next()) {
        const [row, snap] = item;
        let failure: unknown;
        try {
          const api = services.backends.forTenant(row.slug, await tokenOf(row.slug));
          await pushLicense(api, snap, row.user_cap);
        } catch (error) {
          failure = error;
          services.tokens.forget(row.slug);
          logger.warn({ tenant: row.slug, reason: messageOf(error) }, 'license sync failed; will retry');
        }
        recorder.add({ row, error: failure, at: now() });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await recorder.settled();
    if (result.synced + result.failed > 0) logger.info(result, 'license sync round');
    return result;
  }

  function runOnce(): Promise<SyncRound> {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      let total: SyncRound = { synced: 0, failed: 0 };
      do {
        again = false;
        const r = await round();
        total = { synced: total.synced + r.synced, failed: total.failed + r.failed };
      } while (again && !closed);
      return total;
    })().finally(() => {
      current = undefined;
    });
    return current;
  }

  const task = periodicJob('license-sync', options.intervalMs, runOnce, logger);
  const finishRound = async () => {
    stopping = true;
    await current?.catch(() => {});
    stopping = closed;
  };
  return {
    start() {
      if (!closed) task.start();
    },
    /** Leadership lost: the periodic rounds stop; kicks from this replica's own changes go on. */
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
      runOnce().catch((error: unknown) => logger.error({ err: error }, 'license sync round failed'));
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

/** A tenant being created: record what it should hold and tell it, as a step of its provisioning. */
export async function provisionTenantLicense(
  services: { db: Db; now?: () => Date },
  api: () => Promise<TenantApi>,
  tenant: TenantRow,
): Promise<void> {
  const at = services.now?.() ?? new Date();
  const snapshot = await licenseSnapshot(services.db);
  const line = { tenant_id: tenant.id, target_generation: snapshot.generation, next_attempt_at: at };
  // A new backend starts in the free tier: with no license there is nothing to tell it, and the
  // line is recorded synced at once (one statement), unless a newer change wrote it meanwhile.
  if (snapshot.token === null) {
    await services.db
      .insertInto('tenant_licenses')
      .values({ ...line, ...syncedLine(snapshot.generation, at) })
      .onConflict((oc) =>
        oc
          .column('tenant_id')
          .doUpdateSet((eb) => ({
            ...syncedLine(0, at),
            synced_generation: eb.ref('tenant_licenses.target_generation'),
          }))
          .where('tenant_licenses.target_generation', '<=', snapshot.generation),
      )
      .execute();
    return;
  }
  await services.db
    .insertInto('tenant_licenses')
    .values({ ...line, updated_at: at })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  const row = await services.db
    .selectFrom('tenant_licenses')
    .select(['target_generation', 'user_cap'])
    .where('tenant_id', '=', tenant.id)
    .executeTakeFirstOrThrow();
  await pushLicense(await api(), snapshot, row.user_cap);
  await services.db
    .updateTable('tenant_licenses')
    .set(syncedLine(row.target_generation, at))
    .where('tenant_id', '=', tenant.id)
    .where('target_generation', '=', row.target_generation)
    .where('target_generation', '<=', snapshot.generation)
    .execute();
}
