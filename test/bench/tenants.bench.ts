/**
 * Benchmark of tenants in the whole control plane (`startControlPlane`: PostgreSQL, cluster and
 * tenant simulators, HTTP), each figure beside a floor measured on the same server in the same run:
 *
 * 1. provisioning: createTenant → active, sequential and concurrent, against bare CREATE DATABASE;
 *    deleteTenant → deleted against bare DROP DATABASE;
 * 2. the `tenants` list over GraphQL (first page, a deep page, a search) against its SQL;
 * 3. `tenantUpdated` fan-out to many graphql-ws subscribers against a single one, and the server's
 *    memory per subscriber.
 *
 *   node --expose-gc --import tsx test/bench/tenants.bench.ts [--tenants 100] [--list-size 10000]
 *        [--clients 1000] [--per-socket 1] [--concurrency 8] [--iterations 250] [--rounds 10]
 *        [--keep-backend-connections] [--only provisioning,list,fanout]
 *
 * (`npx tsx test/bench/tenants.bench.ts` works too: the GC flag is then set at run time.)
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway control plane
 * database, and tenant databases `tenant_b<run>-<n>`, all dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { type ControlPlane, startControlPlane } from '../../server/runtime.ts';
import { operatorToken } from '../support/server.ts';
import { BareGraphQLWs } from './lib/bare-graphql-ws.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { gcMode } from './lib/memory.ts';
import { machineFacts, printFacts } from './lib/report.ts';
import { formatCount } from './lib/stats.ts';
import {
  controlPlaneTarget,
  type FanoutResult,
  measureFanout,
  SubscriberProcess,
} from './lib/tenant-fanout.ts';
import { listCases, measureList, seedTenantRows } from './lib/tenant-list.ts';
import {
  type Batch,
  deleteTenants,
  dropByPrefix,
  openFloor,
  ownDurations,
  provisionTenants,
  stepDurations,
} from './lib/tenant-provisioning.ts';
import { reportFanout, reportList, reportProvisioning } from './lib/tenant-report.ts';
import {
  BENCH_PARTS,
  type BenchPart,
  type FanoutResults,
  type ListResults,
  type ModeResults,
  type Options,
  type ProvisioningResults,
} from './lib/tenant-results.ts';
import { type ServerWatch, watchServer } from './lib/tenant-server-watch.ts';

/** Past this the run is broken, not slow: clean up and stop rather than hang. */
const DEADLINE_MS = 280_000;
const LIST_WARMUP = 30;
const FANOUT_WARMUP_ROUNDS = 1;
/** The fan-out floor and the control plane alternate this many times (at most one per round). */
const FANOUT_TURNS = 5;
const BASELINE_ROUNDS = 50;
const BASELINE_WARMUP_ROUNDS = 3;
const SEARCH = '42';

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenants: { type: 'string', default: '100' },
      'list-size': { type: 'string', default: '10000' },
      clients: { type: 'string', default: '1000' },
      'per-socket': { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '8' },
      iterations: { type: 'string', default: '250' },
      rounds: { type: 'string', default: '10' },
      'keep-backend-connections': { type: 'boolean', default: false },
      only: { type: 'string', default: BENCH_PARTS.join(',') },
    },
    strict: true,
  });
  const int = (
    name: Exclude<keyof typeof values, 'keep-backend-connections' | 'only'>,
    min: number,
    max: number,
  ): number => {
    const raw = values[name];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`--${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
    }
    return n;
  };
  return {
    tenants: int('tenants', 1, 1000),
    listSize: int('list-size', 100, 1_000_000),
    clients: int('clients', 1, 10_000),
    perSocket: int('per-socket', 1, 1000),
    concurrency: int('concurrency', 1, 64),
    iterations: int('iterations', 1, 100_000),
    rounds: int('rounds', 1, 1000),
    release: !values['keep-backend-connections'],
    parts: parseParts(values.only),
  };
}

function parseParts(raw: string): Set<BenchPart> {
  const parts = raw.split(',').map((p) => p.trim());
  const unknown = parts.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0 || parts.length === 0) {
    throw new Error(`--only takes a list of ${BENCH_PARTS.join(', ')} (got "${raw}")`);
  }
  return new Set(parts as BenchPart[]);
}

/** Progress goes to stderr, so stdout carries the report alone. */
function progress(message: string): void {
  process.stderr.write(`[tenants.bench] ${message}\n`);
}

/** `items` cut into consecutive parts of `size`. */
function partsOf<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Several turns of one measure as one batch: every sample, the wall times added up. */
function mergeBatches(turns: Batch[]): Batch {
  return {
    ms: turns.flatMap((t) => t.ms),
    wallMs: turns.reduce((sum, t) => sum + t.wallMs, 0),
    retried: turns.reduce((sum, t) => sum + t.retried, 0),
  };
}

/**
 * One mode: `count` names created bare (the floor) and `count` tenants created through the domain,
 * `concurrency` at a time, taking turns one batch of `concurrency` each (sequentially: one floor
 * create, one tenant, one floor create …). Each side then works on a server in the state the
 * other left it in (a tenant's backend has just made its schema, a floor database has just been
 * copied), so whatever the server is busy with weighs on both alike. Then the same for dropping
 * and deleting. Checkpoints and peak connections are counted over both sides' turns together.
 */
async function benchMode(
  cp: ControlPlane,
  watch: ServerWatch,
  serverUrl: string,
  names: { floor: string[]; slugs: string[] },
  concurrency: number,
  afterCreate: (slug: string) => Promise<unknown>,
): Promise<ModeResults> {
  const how = concurrency === 1 ? 'sequentially' : `${concurrency} at a time`;
  const floorParts = partsOf(names.floor, concurrency);
  const slugParts = partsOf(names.slugs, concurrency);
  const alternate = async (
    floorWork: (part: string[]) => Promise<Batch>,
    work: (part: string[]) => Promise<Batch>,
  ) => {
    const floor: Batch[] = [];
    const measured: Batch[] = [];
    const load = await watch.observe(async () => {
      for (let turn = 0; turn < floorParts.length; turn++) {
        floor.push(await floorWork(floorParts[turn]!));
        measured.push(await work(slugParts[turn]!));
      }
      return {};
    });
    const server = { checkpoints: load.checkpoints, peakConnections: load.peakConnections };
    return {
      floor: { ...mergeBatches(floor), ...server },
      measured: { ...mergeBatches(measured), ...server },
    };
  };
  progress(
    `provisioning ${names.slugs.length} tenants ${how}, taking turns with the floor (CREATE DATABASE + REVOKE ‖ CREATE ROLE, ALTER … OWNER)`,
  );
  const floor = await openFloor(serverUrl, concurrency);
  try {
    const creates = await alternate(
      (part) => floor.measure(part, 'create'),
      (part) => provisionTenants(cp, part, concurrency, afterCreate),
    );
    progress(`deleting them ${how}, taking turns with the floor (DROP DATABASE + ROLE)`);
    const deletes = await alternate(
      (part) => floor.measure(part, 'drop'),
      (part) => deleteTenants(cp, part, concurrency),
    );
    return {
      concurrency,
      floorCreate: creates.floor,
      floorDrop: deletes.floor,
      create: creates.measured,
      delete: deletes.measured,
      createOwn: await ownDurations(cp, names.slugs, 'create'),
      createSteps: await stepDurations(cp, names.slugs, 'create'),
      deleteSteps: await stepDurations(cp, names.slugs, 'delete'),
    };
  } finally {
    await floor.close();
  }
}

async function benchProvisioning(
  cp: ControlPlane,
  serverUrl: string,
  options: Options,
  slugPrefix: string,
  floorPrefix: string,
): Promise<ProvisioningResults> {
  const watch = await watchServer(serverUrl);
  try {
    let released = 0;
    const afterCreate = async (slug: string) => {
      if (options.release) released += await watch.releaseBackendConnections(slug);
    };
    const names = (batch: string) => ({
      floor: Array.from({ length: options.tenants }, (_, i) => `${floorPrefix}${batch}${i + 1}`),
      slugs: Array.from({ length: options.tenants }, (_, i) => `${slugPrefix}${batch}${i + 1}`),
    });
    const sequential = await benchMode(cp, watch, serverUrl, names('s'), 1, afterCreate);
    const concurrent = await benchMode(cp, watch, serverUrl, names('c'), options.concurrency, afterCreate);
    return {
      sequential,
      concurrent,
      maxConnections: watch.maxConnections,
      released: options.release ? released : undefined,
    };
  } finally {
    await watch.stop();
  }
}

async function benchList(cp: ControlPlane, client: pg.Client, options: Options): Promise<ListResults> {
  // The leader's first rounds run when it starts leading: were that after the rows go in, the
  // status poller would poll every one of them (none has a backend) during the timings.
  await awaitLeadership(cp);
  progress(`inserting ${formatCount(options.listSize)} tenant rows`);
  const seeded = await seedTenantRows(client, options.listSize, SEARCH);
  const deepPage = Math.max(1, Math.min(50, Math.floor(options.listSize / 100)));
  const cases = await listCases(cp.url, client, deepPage, SEARCH);
  progress(
    `timing the tenants list: ${cases.length} queries × ${options.iterations} (+${LIST_WARMUP} warm-up)`,
  );
  const timings = await measureList(cp.url, client, cases, LIST_WARMUP, options.iterations);
  return { seeded, deepPage, timings };
}

/** Waits until this replica leads and its leader tasks have had a second for their first rounds. */
async function awaitLeadership(cp: ControlPlane): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!cp.services.leadership.isLeader()) {
    if (Date.now() > deadline) throw new Error('the control plane did not become leader in 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 1000));
}

/** Several turns of one fan-out as one result: every round, the first turn's memory. */
function mergeFanout(results: FanoutResult[]): FanoutResult {
  const first = results[0]!;
  return {
    ...first,
    registerMs: Math.max(...results.map((r) => r.registerMs)),
    rounds: results.flatMap((r) => r.rounds),
    memory: first.memory,
  };
}

async function benchFanout(
  cp: ControlPlane,
  client: pg.Client,
  subscribers: SubscriberProcess,
  options: Options,
): Promise<FanoutResults> {
  // One of the seeded tenants: the subscription re-reads its row, which is all it needs.
  const { rows } = await client.query<{ id: string; slug: string }>(
    `select id, slug from tenants where created_by = 'bench seed' order by slug limit 1`,
  );
  const tenant = rows[0]!;
  const ipcHopMs = await subscribers.ipcHopMs();
  const target = controlPlaneTarget(cp, tenant);
  progress(`fan-out baseline: 1 subscriber, ${BASELINE_ROUNDS} changes`);
  const single = await measureFanout(target, subscribers, tenant.slug, {
    subscriptions: 1,
    perSocket: 1,
    warmupRounds: BASELINE_WARMUP_ROUNDS,
    rounds: BASELINE_ROUNDS,
    memory: false,
  });
  // The floor and the control plane take turns, a few rounds each, so that whatever else the
  // machine does weighs on both alike.
  const bare = await BareGraphQLWs.start(tenant.slug);
  const floorTarget = {
    wsUrl: `${bare.url.replace(/^http/, 'ws')}/graphql`,
    subscriberCount: () => bare.subscribers,
    change: async (status: string) => bare.setStatus(status),
    publish: () => bare.publish(),
  };
  const many: FanoutResult[] = [];
  const floor: FanoutResult[] = [];
  try {
    const turns = Math.min(options.rounds, FANOUT_TURNS);
    const roundsPerTurn = Math.ceil(options.rounds / turns);
    for (let turn = 0; turn < turns; turn++) {
      const fanout = {
        subscriptions: options.clients,
        perSocket: options.perSocket,
        warmupRounds: FANOUT_WARMUP_ROUNDS,
        rounds: roundsPerTurn,
      };
      progress(
        `fan-out turn ${turn + 1}/${turns}: bare graphql-ws, ${formatCount(options.clients)} subscribers`,
      );
      floor.push(await measureFanout(floorTarget, subscribers, tenant.slug, { ...fanout, memory: false }));
      progress(
        `fan-out turn ${turn + 1}/${turns}: control plane, ${formatCount(options.clients)} subscribers`,
      );
      many.push(await measureFanout(target, subscribers, tenant.slug, { ...fanout, memory: turn === 0 }));
    }
  } finally {
    await bare.stop();
  }
  return { single, many: mergeFanout(many), floor: mergeFanout(floor), ipcHopMs, slug: tenant.slug };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const serverUrl = benchServerUrl();
  const run = randomBytes(3).toString('hex');
  const slugPrefix = `b${run}-`;
  const floorPrefix = `bfloor_${run}_`;
  const logger = createLogger({ level: 'warn' }, process.stderr);
  const cleanups: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (const step of cleanups.reverse()) {
        await step().catch((error: unknown) => progress(`cleanup step failed: ${String(error)}`));
      }
    })();
    return cleaning;
  };
  // Stopping early (deadline, Ctrl-C) still drops what the run created; a stuck cleanup gets 20 s.
  const abandon = (why: string, code: number) => {
    progress(`${why}: cleaning up and stopping`);
    setTimeout(() => process.exit(code), 20_000).unref();
    void cleanUp().finally(() => process.exit(code));
  };
  const watchdog = setTimeout(() => abandon(`still running after ${DEADLINE_MS / 1000} s`, 1), DEADLINE_MS);
  watchdog.unref();
  process.once('SIGINT', () => abandon('interrupted', 130));
  process.once('SIGTERM', () => abandon('terminated', 143));

  const started = Date.now();
  try {
    const database = await createBenchDatabase(serverUrl, 'bench');
    cleanups.push(() => database.drop());
    // After the server has stopped (cleanups run in reverse): every tenant and floor database of this run.
    cleanups.push(async () => {
      const dropped = await dropByPrefix(serverUrl, [`tenant_${slugPrefix}`, floorPrefix]);
      if (dropped.databases || dropped.roles)
        progress(`cleanup dropped ${dropped.databases} leftover databases, ${dropped.roles} roles`);
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      KUBE_SIM_POD_DELAY_MS: '10',
      STATUS_POLL_INTERVAL_MS: '3600000',
      // Both read every tenant: over the 10,000 seeded ones they would run during the timings.
      DRIFT_CHECK_INTERVAL_MS: '86400000',
      // The leader's rounds at their production interval (RECONCILE_INTERVAL_MS, 10 s): seven
      // tasks run on it, and at a test's 200 ms they would be a load of their own during the timings.
      OPERATION_CONCURRENCY: '8',
    });
    const cp = await startControlPlane(config, logger);
    // Every request needs an operator: the list and the subscriber process use this admin token.
    process.env.BENCH_AUTHORIZATION = `Bearer ${await operatorToken(database.url, 'bench@justiam.local', 'admin')}`;
    cleanups.push(() => cp.stop());
    const client = new pg.Client({ connectionString: database.url, application_name: 'tenants-bench-sql' });
    await client.connect();
    cleanups.push(() => client.end());
    const subscribers = SubscriberProcess.start();
    cleanups.push(async () => subscribers.stop());

    const run = options.parts;
    const provisioning = run.has('provisioning')
      ? await benchProvisioning(cp, serverUrl, options, slugPrefix, floorPrefix)
      : undefined;
    const list = run.has('list') ? await benchList(cp, client, options) : undefined;
    // The fan-out changes one of the list's seeded tenants: seed a few when the list does not run.
    if (run.has('fanout') && !list) await seedTenantRows(client, 100, SEARCH);
    const fanout = run.has('fanout') ? await benchFanout(cp, client, subscribers, options) : undefined;

    printFacts('Machine', machineFacts());
    const maxConnections = (await client.query<{ max_connections: string }>('show max_connections')).rows[0]!
      .max_connections;
    printFacts('Parameters', {
      command: `node ${process.execArgv.join(' ')} ${process.argv.slice(1).join(' ')}`.replace(/\s+/g, ' '),
      server: `startControlPlane, cluster simulator (pod delay 10 ms), tenant simulator, OPERATION_CONCURRENCY=${config.tenants.operationConcurrency}, DB_POOL_MAX=${config.dbPoolMax}, RECONCILE_INTERVAL_MS=${config.tenants.reconcileIntervalMs}`,
      postgres: `${new URL(serverUrl).host}, max_connections ${maxConnections}`,
      parts: [...run].join(', '),
      ...(provisioning && {
        tenants: `${options.tenants} sequential + ${options.tenants} at concurrency ${options.concurrency} (slugs ${slugPrefix}s<n>, ${slugPrefix}c<n>)`,
      }),
      ...(list && {
        list: `${formatCount(options.listSize)} rows, first: 100, ${options.iterations} timed + ${LIST_WARMUP} warm-up per query`,
      }),
      ...(fanout && {
        'fan-out': `${formatCount(options.clients)} subscriptions on ${formatCount(fanout.many.sockets)} graphql-ws sockets (${options.perSocket} per socket), ${fanout.many.rounds.length} changes in ${Math.min(options.rounds, FANOUT_TURNS)} turns alternating with a bare graphql-ws server (${fanout.floor.rounds.length} changes), each turn after ${FANOUT_WARMUP_ROUNDS} warm-up; baseline 1 subscription, ${BASELINE_ROUNDS} changes + ${BASELINE_WARMUP_ROUNDS} warm-up`,
      }),
      'tenant-sim connections': options.release
        ? 'idle ones to a tenant database ended once the tenant is active'
        : 'left alone (--keep-backend-connections)',
      'gc for memory figures': gcMode,
    });
    if (provisioning) reportProvisioning(provisioning, options);
    if (list) reportList(list, options);
    if (fanout) reportFanout(fanout, options);
    console.log(`\nTotal run time ${((Date.now() - started) / 1000).toFixed(1)} s (cleanup not included).`);
    return 0;
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
