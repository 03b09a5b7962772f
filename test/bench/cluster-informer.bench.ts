/**
 * Benchmark of the cluster informers against a large simulated cluster: initial sync time and
 * memory of the pods informer, and the latency from a pod change to the `cluster.changed` event on
 * the PostgreSQL event bus, each beside a bare baseline (fetch + JSON.parse; a bare watch).
 *
 *   node --expose-gc --import tsx test/bench/cluster-informer.bench.ts
 *
 * (`npx tsx test/bench/cluster-informer.bench.ts` works too: the V8 flag is then set at run time.)
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres, for a throwaway database.
 */
import { performance } from 'node:perf_hooks';
import { type V1Pod, Watch } from '@kubernetes/client-node';
import pg from 'pg';
import type { KubeConnection } from '../../server/cluster/connect.ts';
import { APP_NAME, APP_NAMES, managedLabels, WORKLOAD_SELECTOR } from '../../server/cluster/labels.ts';
import { createWorkloadInformers } from '../../server/cluster/workloads.ts';
import { createDb, migrateToLatest } from '../../server/db/database.ts';
import { prepareCreate, randomSuffix, safeHash } from '../../server/dev/kube-sim/objects.ts';
import { advancePod } from '../../server/dev/kube-sim/pods.ts';
import { resourceByKind } from '../../server/dev/kube-sim/resources.ts';
import type { ObjectStore } from '../../server/dev/kube-sim/store.ts';
import { createEventBus, type EventBus } from '../../server/events/bus.ts';
import type { Topics } from '../../server/events/topics.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { startTestCluster, type TestCluster } from '../support/kube.ts';
import { Arrivals } from './lib/arrivals.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { collected, gcMode, memoryGrowth, settledMemory } from './lib/memory.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import {
  formatBytes,
  formatCount,
  formatMs,
  formatRatio,
  median,
  type Summary,
  summarize,
} from './lib/stats.ts';

const POD_COUNT = 10_000;
const TENANTS = 1000;
const SYNC_RUNS = 10;
const CHANGES = 1000;
/** Changes made and thrown away before each latency series, so JIT and connection set-up are not in it. */
const WARMUP_CHANGES = 50;
const NAMESPACE = 'justiam-mt';
const POD_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;
const CHANGE_LABEL = 'bench.justiam.io/change';
/** Past this the run is broken, not slow: stop rather than hang a CI job. */
const DEADLINE_MS = 115_000;

const POD = resourceByKind('Pod');

type Seeded = { names: string[]; ms: number; bytesPerPod: number };

/**
 * Stores pods straight into the simulator (no HTTP), shaped like the pods of the control plane's
 * Deployments and already Running and Ready, so the simulated kubelet has nothing left to do and
 * the cluster stays quiet while it is measured.
 */
function seedPods(store: ObjectStore, count: number): Seeded {
  const started = performance.now();
  const names: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const app = APP_NAMES[i % APP_NAMES.length]!;
    const tenant = `tenant-${String(i % TENANTS).padStart(4, '0')}`;
    const instance = `${app.replace(/^justiam-/, '')}-${tenant}`;
    const labels = {
      ...managedLabels({ app, tenant }),
      'app.kubernetes.io/instance': instance,
      'pod-template-hash': safeHash(instance),
    };
    const body = {
      metadata: { name: `${instance}-${labels['pod-template-hash']}-${randomSuffix()}`, labels },
      spec: {
        containers: [
          {
            name: app.replace(/^justiam-/, ''),
            image: `justiam/${app.replace(/^justiam-/, '')}:2.4.1`,
            env: [{ name: 'TENANT', value: tenant }],
            envFrom: [{ secretRef: { name: `tenant-${tenant}` } }],
            ports: [{ containerPort: 8090, name: 'http', protocol: 'TCP' }],
          },
        ],
      },
    };
    const pod = advancePod(advancePod(prepareCreate(POD, body, NAMESPACE), 'start'), 'ready');
    const stored = store.create(POD, pod);
    names.push(stored.metadata.name!);
    bytes += JSON.stringify(stored).length;
  }
  return { names, ms: performance.now() - started, bytesPerPod: bytes / count };
}

/** Rejects if `promise` has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type SyncSample = { ms: number; heap: number; rss: number };
type SyncResults = {
  informer: SyncSample[];
  baseline: SyncSample[];
  listBytes: number;
  /** After stop(): how long until the cache was collectable. */
  releaseMs: number[];
};

// Each side is measured in a function of its own so that nothing the other side parsed or cached
// is still reachable (e.g. from a slot of the caller's async frame) when memory is read.

/** One fresh production pods informer: start() → synced, and the heap its cache holds. */
async function informerSyncOnce(
  conn: KubeConnection,
  bus: EventBus,
  logger: Logger,
): Promise<SyncSample & { cacheProbe: WeakRef<V1Pod> }> {
  const workloads = createWorkloadInformers(conn, bus, logger);
  const before = await settledMemory();
  const started = performance.now();
  workloads.pods.start();
  await within(workloads.pods.synced, 30_000, 'informer sync');
  const ms = performance.now() - started;
  const growth = memoryGrowth(before, await settledMemory());
  const cached = workloads.pods.list();
  await workloads.stop();
  if (cached.length !== POD_COUNT)
    throw new Error(`informer cached ${cached.length} pods, expected ${POD_COUNT}`);
  return { ms, heap: growth.heapUsed, rss: growth.rss, cacheProbe: new WeakRef(cached[0]!) };
}

async function fetchList(listUrl: string): Promise<{ items: V1Pod[]; bytes: number }> {
  const response = await fetch(listUrl);
  if (!response.ok) throw new Error(`list answered ${response.status}`);
  const text = await response.text();
  return { items: (JSON.parse(text) as { items: V1Pod[] }).items, bytes: Buffer.byteLength(text) };
}

/** The baseline: the same list request with a bare fetch and JSON.parse, and the heap the result holds. */
async function baselineListOnce(listUrl: string): Promise<SyncSample & { bytes: number }> {
  const before = await settledMemory();
  const started = performance.now();
  // The response text dies with fetchList's frame, so only the parsed pods count.
  const { items, bytes } = await fetchList(listUrl);
  const ms = performance.now() - started;
  const growth = memoryGrowth(before, await settledMemory());
  if (items.length !== POD_COUNT) throw new Error(`list returned ${items.length} pods`);
  return { ms, heap: growth.heapUsed, rss: growth.rss, bytes };
}

/**
 * Runs the informer and the baseline alternately, so drift in the machine's state affects both
 * alike. The first pair warms up and is not counted.
 */
async function measureSync(
  simUrl: string,
  conn: KubeConnection,
  bus: EventBus,
  logger: Logger,
): Promise<SyncResults> {
  const listUrl = `${simUrl}${POD_PATH}?labelSelector=${encodeURIComponent(WORKLOAD_SELECTOR)}`;
  const results: SyncResults = { informer: [], baseline: [], listBytes: 0, releaseMs: [] };
  for (let run = 0; run <= SYNC_RUNS; run++) {
    const { cacheProbe, ...informer } = await informerSyncOnce(conn, bus, logger);
    const stoppedAt = performance.now();
    // A stopped informer's cache is freed a little later (its aborted watch stream goes
    // asynchronously); measuring before then would count that release against the baseline.
    if (!(await collected(cacheProbe))) throw new Error('a stopped informer still holds its cache after 5 s');
    results.releaseMs.push(performance.now() - stoppedAt);
    const { bytes, ...baseline } = await baselineListOnce(listUrl);
    results.listBytes = bytes;
    if (run === 0) continue;
    results.informer.push(informer);
    results.baseline.push(baseline);
  }
  return results;
}

/**
 * Changes pods one at a time (a label, through the simulator's store, which fans the change out to
 * open watches synchronously) and returns, per counted change, when it was made and when each
 * observer saw it.
 */
async function driveChanges(
  store: ObjectStore,
  names: readonly string[],
  observers: readonly Arrivals[],
  offset: number,
): Promise<{ changedAt: number; seenAt: number[] }[]> {
  const out: { changedAt: number; seenAt: number[] }[] = [];
  for (let i = 0; i < WARMUP_CHANGES + CHANGES; i++) {
    const name = names[(offset + i) % names.length]!;
    const pod = store.get(POD, NAMESPACE, name)!;
    pod.metadata.labels = { ...pod.metadata.labels, [CHANGE_LABEL]: String(offset + i) };
    const seen = Promise.all(observers.map((o) => o.expect(name)));
    const changedAt = performance.now();
    store.update(POD, pod);
    const seenAt = await seen;
    if (i >= WARMUP_CHANGES) out.push({ changedAt, seenAt });
    // Start the counted series on a clean heap, not amid collecting what earlier phases left.
    else if (i === WARMUP_CHANGES - 1) await settledMemory();
  }
  return out;
}

/** Change → callback of a bare watch on the informer's path and selector. */
async function measureBareWatch(cluster: TestCluster, names: readonly string[]): Promise<number[]> {
  const arrivals = new Arrivals('bare watch');
  let failure: unknown;
  const controller = await new Watch(cluster.kubeConfig).watch(
    POD_PATH,
    { labelSelector: WORKLOAD_SELECTOR, resourceVersion: String(cluster.sim.store.resourceVersion) },
    (type: string, object: V1Pod) => {
      const at = performance.now();
      if (type === 'MODIFIED' && object.metadata?.name) arrivals.arrive(object.metadata.name, at);
    },
    (error: unknown) => {
      failure = error;
    },
  );
  try {
    const changes = await driveChanges(cluster.sim.store, names, [arrivals], 0);
    return changes.map((c) => c.seenAt[0]! - c.changedAt);
  } catch (error) {
    throw failure ? new Error(`bare watch ended: ${String(failure)}`, { cause: error }) : error;
  } finally {
    controller.abort();
  }
}

type BusLatency = { total: number[]; informerHop: number[]; notifyHop: number[] };

/**
 * Change → `cluster.changed` on a bus subscriber, through the production pods informer and
 * publisher. The bus the informers get is wrapped to note when the informer publishes, which
 * splits the path into the informer hop (watch, reducer, publisher) and the NOTIFY round trip.
 */
async function measureBus(
  cluster: TestCluster,
  conn: KubeConnection,
  bus: EventBus,
  logger: Logger,
  names: readonly string[],
): Promise<BusLatency> {
  const published = new Arrivals('informer publish');
  const delivered = new Arrivals('bus subscriber');
  const tapped: EventBus = {
    ...bus,
    publish(topic, payload) {
      const at = performance.now();
      const event = payload as Topics['cluster.changed'];
      if (topic === 'cluster.changed' && event.type === 'MODIFIED' && event.name)
        published.arrive(event.name, at);
      bus.publish(topic, payload);
    },
  };
  const events = bus.subscribe('cluster.changed');
  const consumer = (async () => {
    for await (const event of events) {
      const at = performance.now();
      if (event.resource === 'pods' && event.type === 'MODIFIED' && event.name)
        delivered.arrive(event.name, at);
    }
  })();
  const workloads = createWorkloadInformers(conn, tapped, logger);
  try {
    for (let i = 0; bus.subscriberCount('cluster.changed') === 0; i++) {
      if (i > 100) throw new Error('the bus subscriber never registered');
      await new Promise((r) => setTimeout(r, 10));
    }
    workloads.pods.start();
    await within(workloads.pods.synced, 30_000, 'informer sync');
    const changes = await driveChanges(cluster.sim.store, names, [published, delivered], names.length / 2);
    return {
      total: changes.map((c) => c.seenAt[1]! - c.changedAt),
      informerHop: changes.map((c) => c.seenAt[0]! - c.changedAt),
      notifyHop: changes.map((c) => c.seenAt[1]! - c.seenAt[0]!),
    };
  } finally {
    await workloads.stop();
    await events.return?.();
    await consumer;
  }
}

function report(seeded: Seeded, sync: SyncResults, bare: number[], viaBus: BusLatency) {
  const columns = [
    { header: 'measure' },
    { header: 'n' },
    { header: 'median' },
    { header: 'p99' },
    { header: 'max' },
  ];
  const timeRow = (label: string, s: Summary) => [
    label,
    String(s.n),
    formatMs(s.p50),
    formatMs(s.p99),
    formatMs(s.max),
  ];
  // The maxima are single outliers on either side; their ratio would say nothing.
  const ratioRow = (label: string, a: Summary, b: Summary) => [
    label,
    '',
    formatRatio(a.p50, b.p50),
    formatRatio(a.p99, b.p99),
    '',
  ];

  const informerSync = summarize(sync.informer.map((r) => r.ms));
  const baselineSync = summarize(sync.baseline.map((r) => r.ms));
  printTable(
    `Initial sync of ${formatCount(POD_COUNT)} pods (start() → synced; fresh informer per run)`,
    columns,
    [
      timeRow('pods informer (createWorkloadInformers().pods)', informerSync),
      timeRow('baseline: fetch list + JSON.parse', baselineSync),
      ratioRow('ratio informer / baseline', informerSync, baselineSync),
    ],
  );

  const memoryRow = (label: string, runs: SyncSample[]) => {
    const heap = median(runs.map((r) => r.heap));
    const rss = summarize(runs.map((r) => r.rss));
    return [
      label,
      formatBytes(heap),
      formatBytes(heap / POD_COUNT),
      formatBytes(rss.p50),
      formatBytes(rss.max),
    ];
  };
  const heapInformer = median(sync.informer.map((r) => r.heap));
  const heapBaseline = median(sync.baseline.map((r) => r.heap));
  printTable(
    `Memory held once synced (growth over the run, after a full GC; median of ${SYNC_RUNS} runs)`,
    [
      { header: 'measure' },
      { header: 'heap' },
      { header: 'heap per pod' },
      { header: 'RSS median' },
      { header: 'RSS max' },
    ],
    [
      memoryRow('pods informer cache (typed V1Pod objects)', sync.informer),
      memoryRow('baseline: parsed list (plain JSON)', sync.baseline),
      ['ratio informer / baseline', formatRatio(heapInformer, heapBaseline), '', '', ''],
    ],
  );

  const viaBusTotal = summarize(viaBus.total);
  const bareWatch = summarize(bare);
  printTable(`Change → observer, ${formatCount(CHANGES)} pod changes made one at a time`, columns, [
    timeRow('baseline: bare k8s Watch callback', bareWatch),
    timeRow('informer → event bus → subscriber', viaBusTotal),
    timeRow('  of which change → informer publish', summarize(viaBus.informerHop)),
    timeRow('  of which publish → subscriber (NOTIFY)', summarize(viaBus.notifyHop)),
    ratioRow('ratio bus / bare watch', viaBusTotal, bareWatch),
  ]);

  console.log(
    [
      '',
      'Notes:',
      `- pods seeded in ${formatMs(seeded.ms)}, ~${formatBytes(seeded.bytesPerPod)} of JSON each; the list response is ${formatBytes(sync.listBytes)}.`,
      `- the informer's own cost over the bare list (typed deserialisation, reducer) is the difference of the medians: ${formatMs(informerSync.p50 - baselineSync.p50)}.`,
      '- the simulator runs in this process: its listing and serialising is in both sync times, its watch fan-out in both latencies.',
      `- after stop() a cache became collectable within ${formatMs(median(sync.releaseMs))} (median; max ${formatMs(Math.max(...sync.releaseMs))}); each run waited for that first.`,
      `- p99 of ${SYNC_RUNS} sync runs is close to their max. RSS counts transient peaks (response buffers) and rarely shrinks.`,
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const logger = createLogger({ level: 'warn' }, process.stderr);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const serverUrl = benchServerUrl();
    const database = await createBenchDatabase(serverUrl, 'bench');
    cleanups.push(() => database.drop());
    const { db, pool } = createDb({ url: database.url, max: 4, applicationName: 'cp-bench' });
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);
    const bus = createEventBus({
      pool,
      connect: () => new pg.Client({ connectionString: database.url }),
      logger,
    });
    cleanups.push(() => bus.close());
    await within(bus.ready, 10_000, 'event bus LISTEN');

    const cluster = await startTestCluster({ podStartDelayMs: 200, watchHistory: 1000 });
    cleanups.push(() => cluster.stop());
    const conn: KubeConnection = {
      kubeConfig: cluster.kubeConfig,
      namespace: NAMESPACE,
      describe: `simulator at ${cluster.sim.url}`,
      stop: async () => {},
    };
    const seeded = seedPods(cluster.sim.store, POD_COUNT);

    printFacts('Machine', machineFacts());
    printFacts('Parameters', {
      pods: `${formatCount(POD_COUNT)} in ${NAMESPACE}, ${APP_NAME} ∈ {${APP_NAMES.join(', ')}}, ${TENANTS} tenants`,
      seeding: "store.create() on the simulator's ObjectStore (prepareCreate + advancePod to Ready), no HTTP",
      selector: WORKLOAD_SELECTOR,
      'sync runs': `${SYNC_RUNS} + 1 warm-up, informer and baseline alternating`,
      changes: `${CHANGES} + ${WARMUP_CHANGES} warm-up per series, label patch via store.update(), one at a time`,
      'event bus': `PostgreSQL LISTEN/NOTIFY on database ${database.name}`,
      gc: gcMode === 'none' ? 'unavailable: memory figures include garbage' : gcMode,
    });

    const sync = await measureSync(cluster.sim.url, conn, bus, logger);
    const bare = await measureBareWatch(cluster, seeded.names);
    const viaBus = await measureBus(cluster, conn, bus, logger, seeded.names);
    report(seeded, sync, bare, viaBus);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
    }
  }
}

const deadline = setTimeout(() => {
  console.error(`benchmark still running after ${DEADLINE_MS / 1000} s; giving up`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

main().then(
  () => {
    clearTimeout(deadline);
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
