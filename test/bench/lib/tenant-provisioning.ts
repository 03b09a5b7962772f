import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { OperationKind, TenantState } from '../../../server/db/schema.ts';
import { scramVerifier } from '../../../server/db/scram.ts';
import type { Call } from '../../../server/domain/call.ts';
import {
  createTenant,
  deleteTenant,
  type StartedOperation,
} from '../../../server/domain/tenants/operations/lifecycle.ts';
import type { ControlPlane } from '../../../server/runtime.ts';

const BENCH_CONTEXT: Call = {
  actor: { kind: 'system', id: 'tenants-bench', label: 'tenants benchmark' },
};

/** An operation that has not reached its end state by then is broken, not slow. */
const SETTLE_TIMEOUT_MS = 60_000;

/** One batch of operations: per-item latency, wall time for the batch, items that needed a retry. */
export type Batch = { ms: number[]; wallMs: number; retried: number };

/**
 * Runs `work` for every item with at most `limit` in flight; `lane` tells a worker which of the
 * `limit` lanes it runs on (for per-lane connections).
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, lane: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const run = async (lane: number) => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item, lane);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, (_, i) => run(i)));
}

/**
 * Waits for a started operation: first its attempt in this process, then, if that attempt ended
 * short of `want` (a failed step is retried later with backoff), polls the row until it gets there.
 * Returns when the state was seen and whether a retry was needed.
 */
async function settle(
  cp: ControlPlane,
  started: StartedOperation,
  want: TenantState,
): Promise<{ at: number; retried: boolean }> {
  await started.attempt;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (let polls = 0; ; polls++) {
    const at = performance.now();
    const row = await cp.services.db
      .selectFrom('tenants')
      .select('state')
      .where('id', '=', started.tenant.id)
      .executeTakeFirstOrThrow();
    if (row.state === want) return { at, retried: polls > 0 };
    if (Date.now() > deadline) {
      throw new Error(
        `tenant ${started.tenant.slug} is ${row.state}, not ${want}, ${SETTLE_TIMEOUT_MS} ms on`,
      );
    }
    await sleep(10);
  }
}

/**
 * Creates tenants through the domain function (as the `createTenant` mutation does) and times each
 * from the call until the tenant is `active`, `concurrency` at a time. `afterEach` runs once a
 * tenant is active, outside its timed span (it still counts in the batch's wall time).
 */
export async function provisionTenants(
  cp: ControlPlane,
  slugs: readonly string[],
  concurrency: number,
  afterEach: (slug: string) => Promise<unknown> = async () => {},
): Promise<Batch> {
  const ms: number[] = [];
  let retried = 0;
  const started = performance.now();
  await forEachLimit(slugs, concurrency, async (slug) => {
    const t0 = performance.now();
    const op = await createTenant(cp.services, BENCH_CONTEXT, {
      slug,
      name: `Bench tenant ${slug}`,
      adminEmail: `admin@${slug}.example`,
    });
    const done = await settle(cp, op, 'active');
    ms.push(done.at - t0);
    if (done.retried) retried++;
    await afterEach(slug);
  });
  return { ms, wallMs: performance.now() - started, retried };
}

/** Deletes tenants through the domain function and times each until the tenant is `deleted`. */
export async function deleteTenants(
  cp: ControlPlane,
  slugs: readonly string[],
  concurrency: number,
): Promise<Batch> {
  const ms: number[] = [];
  let retried = 0;
  const started = performance.now();
  await forEachLimit(slugs, concurrency, async (slug) => {
    const t0 = performance.now();
    const op = await deleteTenant(cp.services, BENCH_CONTEXT, slug, slug);
    const done = await settle(cp, op, 'deleted');
    ms.push(done.at - t0);
    if (done.retried) retried++;
  });
  return { ms, wallMs: performance.now() - started, retried };
}

/** Per-step durations of one batch's operations, in step order: name → one sample per tenant. */
export type StepDurations = [step: string, ms: number[]][];

/**
 * Where the server spent an operation's time, from the timestamps the runner records: waiting for
 * a runner slot and the tenant lock (request recorded → first step starts), each step, and the
 * final transaction (last step done → operation finished).
 */
export async function stepDurations(
  cp: ControlPlane,
  slugs: readonly string[],
  kind: OperationKind,
): Promise<StepDurations> {
  const rows = await cp.services.db
    .selectFrom('tenant_operations as o')
    .innerJoin('tenants as t', 't.id', 'o.tenant_id')
    .select(['o.steps', 'o.created_at', 'o.finished_at'])
    .where('t.slug', 'in', [...slugs])
    .where('o.kind', '=', kind)
    .where('o.state', '=', 'succeeded')
    .execute();
  const byStep = new Map<string, number[]>();
  const add = (name: string, ms: number) => {
    const list = byStep.get(name) ?? [];
    list.push(ms);
    byStep.set(name, list);
  };
  for (const row of rows) {
    const timed = row.steps.filter((s) => s.startedAt && s.finishedAt && s.name !== 'record');
    const first = timed[0];
    const last = timed[timed.length - 1];
    if (!first || !last || !row.finished_at) continue;
    add('queue: runner slot + lock', Date.parse(first.startedAt!) - new Date(row.created_at).getTime());
    for (const s of timed) add(s.name, Date.parse(s.finishedAt!) - Date.parse(s.startedAt!));
    add('finish: state + audit', new Date(row.finished_at).getTime() - Date.parse(last.finishedAt!));
  }
  return [...byStep.entries()];
}

/** Steps that wait on the tenant backend; the control plane's own work is the rest. */
const BACKEND_STEPS = new Set(['handoff']);

/**
 * The control plane's own time per operation: from the request recorded to the operation finished,
 * less the steps that wait on the tenant backend (the handoff). That is the queue (runner slot and
 * lock), every step's own work and saves, and the final transaction.
 */
export async function ownDurations(
  cp: ControlPlane,
  slugs: readonly string[],
  kind: OperationKind,
): Promise<number[]> {
  const rows = await cp.services.db
    .selectFrom('tenant_operations as o')
    .innerJoin('tenants as t', 't.id', 'o.tenant_id')
    .select(['o.steps', 'o.created_at', 'o.finished_at'])
    .where('t.slug', 'in', [...slugs])
    .where('o.kind', '=', kind)
    .where('o.state', '=', 'succeeded')
    .execute();
  return rows.flatMap((row) => {
    if (!row.finished_at) return [];
    const backend = row.steps
      .filter((s) => BACKEND_STEPS.has(s.name) && s.startedAt && s.finishedAt)
      .reduce((sum, s) => sum + Date.parse(s.finishedAt!) - Date.parse(s.startedAt!), 0);
    return [new Date(row.finished_at).getTime() - new Date(row.created_at).getTime() - backend];
  });
}

/** The floor's connections, `concurrency` of them, kept open across the turns of a mode. */
export type Floor = {
  /**
   * The SQL the database step runs, bare and arranged as the step arranges it, for each name,
   * `concurrency` at a time: `create` is CREATE DATABASE and REVOKE ALL … FROM PUBLIC on one
   * connection while CREATE ROLE (with a SCRAM verifier made once, as the step sends one) runs on
   * another, then ALTER DATABASE … OWNER TO; `drop` is DROP DATABASE … WITH (FORCE) and DROP ROLE, as
   * tenant deletion runs them. No Secret, no registry, no record, no backend.
   */
  measure(names: readonly string[], action: 'create' | 'drop'): Promise<Batch>;
  close(): Promise<void>;
};

/** Opens the floor's connections to the tenants' server. */
export async function openFloor(serverUrl: string, concurrency: number): Promise<Floor> {
  // Two per lane: the database is made on one while the role is made on the other.
  const clients = Array.from(
    { length: 2 * Math.max(1, concurrency) },
    () => new pg.Client({ connectionString: serverUrl, application_name: 'tenants-bench-floor' }),
  );
  const verifier = scramVerifier(randomBytes(24).toString('base64url'));
  await Promise.all(clients.map((c) => c.connect()));
  return {
    async measure(names, action) {
      const ms: number[] = [];
      const started = performance.now();
      await forEachLimit(names, concurrency, async (name, lane) => {
        const client = clients[2 * lane]!;
        const beside = clients[2 * lane + 1]!;
        // Names are ours (a fixed prefix, digits): safe to quote by hand.
        const t0 = performance.now();
        if (action === 'create') {
          await Promise.all([
            client
              .query(`create database "${name}"`)
              .then(() => client.query(`revoke all on database "${name}" from public`)),
            beside.query(`create role "${name}" with login nocreatedb nocreaterole password '${verifier}'`),
          ]);
          await client.query(`alter database "${name}" owner to "${name}"`);
        } else {
          await client.query(`drop database if exists "${name}" with (force)`);
          await client.query(`drop role if exists "${name}"`);
        }
        ms.push(performance.now() - t0);
      });
      return { ms, wallMs: performance.now() - started, retried: 0 };
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    },
  };
}

/** Runs a DDL statement for `name`, quoted by the server (`format('%I')`), never spliced by us. */
async function ddl(client: pg.Client, template: string, name: string): Promise<void> {
  const { rows } = await client.query<{ stmt: string }>(`select format('${template}', $1::text) as stmt`, [
    name,
  ]);
  await client.query(rows[0]!.stmt);
}

/**
 * Drops every database and role whose name starts with one of `prefixes` (this run's tenant
 * databases and floor databases), whatever state a failed run left them in. Returns how many.
 */
export async function dropByPrefix(
  serverUrl: string,
  prefixes: readonly string[],
): Promise<{ databases: number; roles: number }> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'tenants-bench-cleanup' });
  await client.connect();
  try {
    const matching = (catalog: string, column: string) =>
      client.query<{ name: string }>(
        `select ${column} as name from ${catalog}
          where exists (select 1 from unnest($1::text[]) as p where starts_with(${column}, p))`,
        [prefixes],
      );
    const databases = (await matching('pg_database', 'datname')).rows;
    for (const { name } of databases) await ddl(client, 'drop database if exists %I with (force)', name);
    const roles = (await matching('pg_roles', 'rolname')).rows;
    for (const { name } of roles) await ddl(client, 'drop role if exists %I', name);
    return { databases: databases.length, roles: roles.length };
  } finally {
    await client.end();
  }
}
