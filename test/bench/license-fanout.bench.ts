/**
 * The license fan-out in the whole control plane (REST, PostgreSQL, the tenants' Secrets in the
 * cluster simulator, the tenant simulator over HTTP) beside its floor, measured in one run:
 *
 * - fan-out: `POST /license` activates a new license; the time until every reachable tenant is
 *   recorded synced in `tenant_licenses` (its `license.sync` event heard), and until the round is over
 *   (`licenseSync.idle()`). Each repetition uses fresh tenants, so their CP tokens are read from
 *   their Secrets (a cold token cache, as for an activation, which rarely comes within the
 *   cache's 5 minutes of another); a second activation right after finds them cached.
 * - floor: the same PUTs (`/cp/v1/license {license, user_cap}`) sent bare to the same simulator,
 *   same tenants in the same order (the order the fan-out claims them), same concurrency, timeout
 *   and faults, with nothing around them.
 * - what reading the CP tokens costs on its own: a GET of each Secret, and one LIST of them all.
 *
 * `--down-percent` of the tenants are down (the simulator destroys their connections); a second
 * variant has as many stalled instead (no answer within the tenant API timeout). Floor and fan-out
 * alternate which goes first. The CPU time of this process is reported beside each wall time: on
 * a small machine the run is CPU-bound, and CPU is steadier than wall time when others share it.
 *
 *   node --import tsx test/bench/license-fanout.bench.ts [--tenants 1000] [--down-percent 5]
 *        [--concurrency 32] [--reps 7] [--stall-reps 3] [--shards 8] [--timeout-ms 3000]
 *        [--kube-in-process]
 *
 * The cluster simulator runs in a process of its own (KUBECONFIG), as the API server is outside
 * the control plane; `--kube-in-process` runs it in the control plane's process instead, as
 * `npm start` does. The tenant simulator runs in this process.
 *
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway control plane
 * database and one tenant database (`--shards` schemas, see lib/license-fanout.ts), both dropped
 * at the end.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startTenantSim, type TenantSim } from '../../server/dev/tenant-sim/index.ts';
import { createLogger } from '../../server/log.ts';
import type { ControlPlane } from '../../server/runtime.ts';
import { jwks, mint, testSigner } from '../support/license.ts';
import { startBenchControlPlane } from './lib/control-plane.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import {
  barePuts,
  type Cost,
  createTenantShards,
  listTokens,
  quietLogSink,
  readTokens,
  removeFanoutSecrets,
  removeFanoutTenants,
  seedFanoutTenants,
  startKubeSimProcess,
  type TenantShards,
} from './lib/license-fanout.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import { formatCount, formatMs, formatRatio, percentile, sortedCopy, summarize } from './lib/stats.ts';
import { within } from './lib/timeout.ts';

const MAX_USERS = 100;
const ROUND_DEADLINE_MS = 120_000;

const { values } = parseArgs({
  options: {
    tenants: { type: 'string', default: '1000' },
    'down-percent': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    reps: { type: 'string', default: '7' },
    'stall-reps': { type: 'string', default: '3' },
    shards: { type: 'string', default: '8' },
    'timeout-ms': { type: 'string', default: '3000' },
    'kube-in-process': { type: 'boolean', default: false },
  },
  strict: true,
});
const int = (name: Exclude<keyof typeof values, 'kube-in-process'>, min: number, max: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be a whole number between ${min} and ${max} (got "${values[name]}")`);
  return n;
};
const tenants = int('tenants', 10, 20_000);
const downPercent = int('down-percent', 0, 50);
const concurrency = int('concurrency', 1, 256);
const reps = int('reps', 1, 50);
const stallReps = int('stall-reps', 0, 50);
const shardCount = int('shards', 1, 16);
const timeoutMs = int('timeout-ms', 100, 60_000);
const every = downPercent === 0 ? Number.POSITIVE_INFINITY : Math.round(100 / downPercent);

function progress(message: string): void {
  process.stderr.write(`[license-fanout.bench] ${message}\n`);
}

const serverUrl = benchServerUrl();
const run = randomBytes(2).toString('hex');
const signer = testSigner('bench-issuer');
const cleanup: (() => Promise<unknown>)[] = [];
let licenses = 0;

const database = await createBenchDatabase(serverUrl, 'bench_lic');
cleanup.push(() => database.drop());
const tenantDatabase = await createBenchDatabase(serverUrl, 'bench_lic_tenants');
cleanup.push(() => tenantDatabase.drop());
let cp: ControlPlane;
let authorization: string;
let sim: TenantSim;
let kubeSim: Awaited<ReturnType<typeof startKubeSimProcess>> | undefined;
let shards: TenantShards;
const client = new pg.Client({ connectionString: database.url, application_name: 'license-bench' });
try {
  shards = await createTenantShards(tenantDatabase.url, shardCount);
  if (!values['kube-in-process']) {
    kubeSim = await startKubeSimProcess();
    cleanup.push(() => kubeSim!.stop());
  }
  sim = await startTenantSim({ resolveTenant: shards.resolve, maxPools: Math.max(20, shardCount) });
  cleanup.push(() => sim.stop());
  ({ cp, authorization } = await startBenchControlPlane(
    database.url,
    {
      TENANT_API_URL: sim.baseUrlTemplate,
      TENANT_API_TIMEOUT_MS: String(timeoutMs),
      LICENSE_PUBLIC_KEYS: jwks(signer),
      LICENSE_SYNC_CONCURRENCY: String(concurrency),
      DRIFT_CHECK_INTERVAL_MS: '86400000',
      LEADER_ELECTION: 'false',
      LOG_LEVEL: 'info',
      ...(kubeSim ? { KUBE_MODE: 'kubeconfig', KUBECONFIG: kubeSim.kubeconfig } : {}),
    },
    // Logs at info as in production, into a sink that shows only errors.
    createLogger({ level: 'info' }, quietLogSink()),
  ));
  cleanup.push(() => cp.stop());
  await client.connect();
  cleanup.push(() => client.end());
} catch (error) {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  throw error;
}

type Fault = 'down' | 'stall';
type FanoutRun = {
  /** POST /license until its answer. */
  postMs: number;
  /** Until the `license.sync` event of the last reachable tenant arrived (its row committed). */
  lastSyncedMs: number;
  /** Until the round was over (down or stalled tenants recorded failed too). */
  roundMs: number;
  /** Per reachable tenant: until its `license.sync` event arrived. */
  perTenant: number[];
  /** CPU time of this process (control plane, both simulators, this script) until the round was over. */
  cpuMs: number;
};
type FloorRun = { lastOkMs: number; totalMs: number; perTenant: number[]; cpuMs: number };

/** User + system CPU time of this process since `start`, in ms. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Activates a fresh license over REST and waits for its round; checks what every tenant ended as.
 * A tenant counts as synced when its `license.sync` event arrives: after the row recording it
 * committed, as the UI hears of it.
 */
async function fanout(prefix: string, slugs: string[], broken: Set<string>): Promise<FanoutRun> {
  const token = await mint(signer, { lid: `lic-bench-${run}-${++licenses}`, maxUsers: MAX_USERS });
  const reachable = slugs.length - broken.size;
  const perTenant: number[] = [];
  let t0 = 0;
  const events = cp.services.bus.subscribe('license.sync');
  const heard = (async () => {
    for await (const event of events) {
      if (event.state !== 'synced' || !event.slug.startsWith(prefix)) continue;
      perTenant.push(performance.now() - t0);
      if (perTenant.length === reachable) return;
    }
  })();
  await new Promise((resolve) => setImmediate(resolve));
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const res = await fetch(`${cp.url}/license`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ license: token }),
  });
  const body = (await res.json()) as { state?: string };
  const postMs = performance.now() - t0;
  if (res.status !== 200 || body.state !== 'active')
    throw new Error(`POST /license answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  await within(cp.services.licenseSync.idle(), ROUND_DEADLINE_MS, 'the fan-out round');
  const roundMs = performance.now() - t0;
  const cpuMs = cpuMsSince(cpu0);
  await within(heard, 10_000, `the license.sync events of ${reachable} tenants`);
  const { rows } = await client.query<{ slug: string; state: string }>(
    `select t.slug, l.state from tenant_licenses l join tenants t on t.id = l.tenant_id where t.slug like $1`,
    [`${prefix}%`],
  );
  for (const row of rows) {
    const want = broken.has(row.slug) ? 'failed' : 'synced';
    if (row.state !== want) throw new Error(`tenant ${row.slug} is ${row.state}, not ${want}`);
  }
  if (rows.length !== slugs.length)
    throw new Error(`${rows.length} license rows for ${slugs.length} tenants`);
  return { postMs, lastSyncedMs: Math.max(...perTenant), roundMs, perTenant, cpuMs };
}

async function floor(slugs: string[], broken: Set<string>): Promise<FloorRun> {
  const token = await mint(signer, { lid: `lic-bench-${run}-floor`, maxUsers: MAX_USERS });
  const cpu0 = process.cpuUsage();
  const r = await barePuts(
    sim.baseUrlTemplate,
    slugs,
    shards.cpToken,
    token,
    MAX_USERS,
    concurrency,
    timeoutMs,
  );
  if (r.okAt.length !== slugs.length - broken.size || r.failed !== broken.size)
    throw new Error(`floor: ${r.okAt.length} answered, ${r.failed} failed; expected ${broken.size} to fail`);
  return { lastOkMs: Math.max(...r.okAt), totalMs: r.totalMs, perTenant: r.okAt, cpuMs: cpuMsSince(cpu0) };
}

type Rep = {
  cold: FanoutRun;
  warm?: FanoutRun;
  floor: FloorRun;
  seedMs: number;
  /** The CP tokens of the same tenants: one GET of each Secret (fresh cache), and one LIST. */
  tokenGets?: Cost;
  tokenList?: Cost;
};

/** One repetition on fresh tenants: floor and fan-out (cold, then warm), in the order asked. */
async function repetition(n: string, fault: Fault, floorFirst: boolean, withWarm: boolean): Promise<Rep> {
  const prefix = `lf${run}${n}-`;
  const seeded = await seedFanoutTenants(client, cp.services.cluster, shards, prefix, tenants);
  const broken = new Set(seeded.slugs.filter((_, i) => i % every === every - 1));
  for (const slug of broken)
    sim.faults.set(slug, fault === 'down' ? { down: true } : { delayMs: timeoutMs * 4, down: true });
  try {
    let floorRun: FloorRun | undefined;
    if (floorFirst) floorRun = await floor(seeded.slugs, broken);
    const cold = await fanout(prefix, seeded.slugs, broken);
    const warm = withWarm ? await fanout(prefix, seeded.slugs, broken) : undefined;
    floorRun ??= await floor(seeded.slugs, broken);
    if (!withWarm) return { cold, floor: floorRun, seedMs: seeded.ms };
    const tokenGets = await readTokens(cp.services.cluster, seeded.slugs, concurrency);
    const tokenList = await listTokens(cp.services.cluster, prefix, seeded.slugs.length);
    return { cold, warm, floor: floorRun, seedMs: seeded.ms, tokenGets, tokenList };
  } finally {
    for (const slug of broken) sim.faults.clear(slug);
    await removeFanoutTenants(client, prefix);
    await removeFanoutSecrets(cp.services.cluster, seeded.slugs);
  }
}

async function series(fault: Fault, count: number, withWarm: boolean): Promise<Rep[]> {
  const done: Rep[] = [];
  for (let i = 0; i < count; i++) {
    const rep = await repetition(`${fault[0]}${i}`, fault, i % 2 === 0, withWarm);
    progress(
      `${fault} ${i + 1}/${count}: fan-out ${formatMs(rep.cold.lastSyncedMs)}` +
        `${rep.warm ? ` (warm ${formatMs(rep.warm.lastSyncedMs)})` : ''}, floor ${formatMs(rep.floor.lastOkMs)}` +
        ` (seeded in ${formatMs(rep.seedMs)})`,
    );
    done.push(rep);
  }
  return done;
}

const columns = [
  { header: 'measure' },
  { header: 'median', align: 'right' as const },
  { header: 'p99', align: 'right' as const },
  { header: 'min', align: 'right' as const },
  { header: 'max', align: 'right' as const },
];
const row = (label: string, samples: number[]) => {
  const s = summarize(samples);
  return [label, formatMs(s.p50), formatMs(s.p99), formatMs(s.min), formatMs(s.max)];
};
const ratioRow = (label: string, a: number[], b: number[]) => {
  const x = summarize(a);
  const y = summarize(b);
  return [label, formatRatio(x.p50, y.p50), formatRatio(x.p99, y.p99), '', ''];
};
const pooled = (runs: number[][]) => sortedCopy(runs.flat());
const pct = (runs: number[][], p: number) => percentile(pooled(runs), p);

function report(title: string, results: Rep[], fault: Fault) {
  const cold = results.map((r) => r.cold);
  const warm = results.flatMap((r) => (r.warm ? [r.warm] : []));
  const floors = results.map((r) => r.floor);
  const lastCold = cold.map((r) => r.lastSyncedMs);
  const lastFloor = floors.map((r) => r.lastOkMs);
  const cpuCold = cold.map((r) => r.cpuMs);
  const cpuFloor = floors.map((r) => r.cpuMs);
  const rows = [
    row('fan-out: POST /license → last reachable tenant synced', lastCold),
    row(
      '  → round over (idle)',
      cold.map((r) => r.roundMs),
    ),
    row(
      '  POST /license answered',
      cold.map((r) => r.postMs),
    ),
    row('  CPU of this process until round over', cpuCold),
    ...(warm.length
      ? [
          row(
            'fan-out again, CP tokens cached → last synced',
            warm.map((r) => r.lastSyncedMs),
          ),
          row(
            '  CPU of this process until round over',
            warm.map((r) => r.cpuMs),
          ),
        ]
      : []),
    row('floor: bare PUTs → last reachable tenant answered', lastFloor),
    row(
      '  → all settled',
      floors.map((r) => r.totalMs),
    ),
    row('  CPU of this process until all settled', cpuFloor),
    ratioRow('ratio fan-out / floor (last reachable)', lastCold, lastFloor),
    ...(warm.length
      ? [
          ratioRow(
            'ratio fan-out, tokens cached / floor',
            warm.map((r) => r.lastSyncedMs),
            lastFloor,
          ),
        ]
      : []),
    ratioRow('ratio of CPU, fan-out / floor', cpuCold, cpuFloor),
  ];
  printTable(`${title} (${results.length} runs each, fresh tenants per run)`, columns, rows);
  const gets = results.flatMap((r) => (r.tokenGets ? [r.tokenGets] : []));
  const lists = results.flatMap((r) => (r.tokenList ? [r.tokenList] : []));
  if (gets.length) {
    printTable(
      `What reading ${formatCount(tenants)} CP tokens costs (the gap between a cold and a warm round)`,
      columns,
      [
        row(
          `GET each Secret (fresh token cache, ${concurrency} at a time)`,
          gets.map((c) => c.ms),
        ),
        row(
          kubeSim
            ? '  CPU of this process (the client)'
            : '  CPU of this process (client and cluster simulator)',
          gets.map((c) => c.cpuMs),
        ),
        row(
          'one LIST of the same Secrets (label selector)',
          lists.map((c) => c.ms),
        ),
        row(
          '  CPU of this process',
          lists.map((c) => c.cpuMs),
        ),
      ],
    );
  }
  const tenantColumns = [
    { header: 'per reachable tenant, pooled over runs' },
    { header: 'p50', align: 'right' as const },
    { header: 'p90', align: 'right' as const },
    { header: 'p99', align: 'right' as const },
  ];
  const tenantRow = (label: string, runs: number[][]) => [
    label,
    formatMs(pct(runs, 50)),
    formatMs(pct(runs, 90)),
    formatMs(pct(runs, 99)),
  ];
  printTable(`Time from the start until each reachable tenant holds the license (${fault})`, tenantColumns, [
    tenantRow(
      'fan-out (license.sync event − POST sent)',
      cold.map((r) => r.perTenant),
    ),
    tenantRow(
      'floor (answer − first PUT sent)',
      floors.map((r) => r.perTenant),
    ),
  ]);
}

try {
  const broken = every === Number.POSITIVE_INFINITY ? 0 : Math.floor(tenants / every);
  progress(`warm-up: ${formatCount(tenants)} tenants, ${broken} down`);
  await repetition('w', 'down', true, true);
  progress(`${reps} runs, ${downPercent} % down`);
  const down = await series('down', reps, true);
  progress(stallReps ? `${stallReps} runs, ${downPercent} % stalled past the ${timeoutMs} ms timeout` : '');
  const stalled = stallReps ? await series('stall', stallReps, false) : [];

  printFacts('Machine', machineFacts());
  printFacts('Parameters', {
    tenants: `${formatCount(tenants)} active, rows inserted directly, a Secret each in the cluster simulator`,
    faults: `every ${every}th tenant (${broken}, ${downPercent} %): down = connection destroyed; stalled = no answer within the timeout`,
    concurrency: `${concurrency} (LICENSE_SYNC_CONCURRENCY) for the fan-out, ${concurrency} workers for the floor`,
    timeout: `${timeoutMs} ms per call (TENANT_API_TIMEOUT_MS), one attempt`,
    'tenant simulator': `one database, ${shardCount} schemas (a pool of 2 connections each), all tenants one CP token`,
    'cluster simulator': kubeSim
      ? 'its own process (KUBECONFIG), as the API server is'
      : 'in this process (--kube-in-process)',
    postgres: new URL(serverUrl).host,
  });
  report(`License fan-out to ${formatCount(tenants)} tenants, ${downPercent} % down`, down, 'down');
  if (stalled.length)
    report(`License fan-out to ${formatCount(tenants)} tenants, ${downPercent} % stalled`, stalled, 'stall');
} finally {
  for (const step of cleanup.reverse()) await step().catch((error: unknown) => progress(`cleanup: ${error}`));
}
