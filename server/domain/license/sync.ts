import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { TenantRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import type { Logger } from '../../log.ts';
import type { TenantApi, TenantApiClient } from '../../tenant-api/client.ts';
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
      (select coalesce(sum(tl.user_cap), 0) from tenant_licenses tl join tenants t on t.id = tl.tenant_id
        where t.state <> 'deleted') as allocated
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

type Claimed = { tenant_id: string; slug: string; target_generation: number; user_cap: number | null };

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
  /** Starts a round now on this replica, or another right after the one under way. */
  kick(): void;
  /** One round: every tenant due is told, `concurrency` at a time. */
  runOnce(): Promise<SyncRound>;
  /** Resolves when no round is running or asked for (tests). */
  idle(): Promise<void>;
};

/**
 * The license fan-out. Each tenant's row says which generation it should hold; a round claims
 * due rows (a lease in `claimed_until`, so replicas never tell one tenant twice at once), tells
 * each backend with one call and its own timeout, and records synced, or failed with the error and
 * the next attempt after a backoff (1 s doubling to 5 min). Rows are claimed a batch at a time and
 * served by `concurrency` workers as they come, so a slow tenant holds one worker, never the rest.
 * State lives in the rows: a crash mid-round leaves them pending and the next round, on whichever
 * replica leads, finishes the work once their leases lapse.
 */
export function createLicenseSync(
  services: LicenseSyncServices,
  options: { concurrency: number; intervalMs: number; leaseMs: number },
): LicenseSync {
  const { db, bus, logger, now } = services;
  const batch = Math.max(64, options.concurrency * 4);
  let current: Promise<SyncRound> | undefined;
  let again = false;
  let stopping = false;

  async function claim(limit: number): Promise<Claimed[]> {
    const leaseSeconds = options.leaseMs / 1000;
    const result = await sql<Claimed>`
      update tenant_licenses tl set claimed_until = now() + make_interval(secs => ${leaseSeconds})
      from tenants t
      where t.id = tl.tenant_id and tl.tenant_id in (
        select l.tenant_id from tenant_licenses l join tenants lt on lt.id = l.tenant_id
        where l.state <> 'synced' and l.next_attempt_at <= ${now()} and lt.state = 'active'
          and (l.claimed_until is null or l.claimed_until <= now())
        order by l.next_attempt_at, l.tenant_id
        limit ${limit}
        for update of l skip locked)
      returning tl.tenant_id, t.slug, tl.target_generation, tl.user_cap`.execute(db);
    return result.rows;
  }

  async function record(row: Claimed, error: unknown) {
    const at = now();
    await db.transaction().execute(async (trx) => {
      const updated = error
        ? await sql<{ attempts: number }>`
            update tenant_licenses set state = 'failed', attempts = attempts + 1, last_error = ${messageOf(error)},
              claimed_until = null, updated_at = ${at}
            where tenant_id = ${row.tenant_id} and target_generation = ${row.target_generation}
            returning attempts`.execute(trx)
        : await sql<{ attempts: number }>`
            update tenant_licenses set state = 'synced', synced_generation = ${row.target_generation}, attempts = 0,
              last_error = null, synced_at = ${at}, claimed_until = null, updated_at = ${at}
            where tenant_id = ${row.tenant_id} and target_generation = ${row.target_generation}
            returning attempts`.execute(trx);
      if (updated.rows.length === 0) {
        // What it should hold changed while it was being told: release it for the next round.
        await trx
          .updateTable('tenant_licenses')
          .set({ claimed_until: null })
          .where('tenant_id', '=', row.tenant_id)
          .execute();
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

  async function round(): Promise<SyncRound> {
    const result: SyncRound = { synced: 0, failed: 0 };
    const queue: Claimed[] = [];
    let exhausted = false;
    let claiming: Promise<void> | undefined;
    let snapshot: LicenseSnapshot | undefined;

    const next = async (): Promise<[Claimed, LicenseSnapshot] | undefined> => {
      for (;;) {
        if (stopping) return undefined;
        const row = queue.shift();
        if (row) return [row, snapshot!];
        if (exhausted) return undefined;
        claiming ??= (async () => {
          const rows = await claim(batch);
          // Read after the claim: at least as new as what every claimed row asks for.
          if (rows.length > 0) snapshot = await licenseSnapshot(db);
          queue.push(...rows);
          if (rows.length < batch) exhausted = true;
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
          const api = services.backends.forTenant(row.slug, await services.tokens.of(row.slug));
          await pushLicense(api, snap, row.user_cap);
        } catch (error) {
          failure = error;
          services.tokens.forget(row.slug);
        }
        try {
          await record(row, failure);
          if (failure) result.failed += 1;
          else result.synced += 1;
        } catch (error) {
          logger.error(
            { err: error, tenant: row.slug },
            'recording a license sync failed; the lease lapses and it is retried',
          );
        }
        if (failure)
          logger.warn({ tenant: row.slug, reason: messageOf(failure) }, 'license sync failed; will retry');
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
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
      } while (again && !stopping);
      return total;
    })().finally(() => {
      current = undefined;
    });
    return current;
  }

  const task = periodicJob('license-sync', options.intervalMs, runOnce, logger);
  return {
    start() {
      stopping = false;
      task.start();
    },
    async stop() {
      stopping = true;
      await task.stop();
      await current;
    },
    kick() {
      if (stopping) return;
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
  await services.db
    .insertInto('tenant_licenses')
    .values({
      tenant_id: tenant.id,
      target_generation: snapshot.generation,
      next_attempt_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  const row = await services.db
    .selectFrom('tenant_licenses')
    .select(['target_generation', 'user_cap'])
    .where('tenant_id', '=', tenant.id)
    .executeTakeFirstOrThrow();
  // A new backend starts in the free tier: with no license there is nothing to tell it.
  if (snapshot.token !== null) await pushLicense(await api(), snapshot, row.user_cap);
  await services.db
    .updateTable('tenant_licenses')
    .set({
      state: 'synced',
      synced_generation: row.target_generation,
      synced_at: at,
      attempts: 0,
      last_error: null,
      updated_at: at,
    })
    .where('tenant_id', '=', tenant.id)
    .where('target_generation', '=', row.target_generation)
    .where('target_generation', '<=', snapshot.generation)
    .execute();
}
