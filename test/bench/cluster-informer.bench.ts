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
import pg from 'pg';
import type { KubeConnection } from '../../server/cluster/connect.ts';
import { APP_NAME, APP_NAMES, WORKLOAD_SELECTOR } from '../../server/cluster/labels.ts';
import { createDb, migrateToLatest } from '../../server/db/database.ts';
import { createEventBus } from '../../server/events/bus.ts';
import { createLogger } from '../../server/log.ts';
import { startTestCluster } from '../support/kube.ts';
import { measureBareWatch, measureBus } from './cluster-informer/latency.ts';
import {
  CHANGES,
  NAMESPACE,
  POD_COUNT,
  SYNC_RUNS,
  TENANTS,
  WARMUP_CHANGES,
} from './cluster-informer/params.ts';
import { printReport } from './cluster-informer/report.ts';
import { seedPods } from './cluster-informer/seed.ts';
import { measureSync } from './cluster-informer/sync.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { gcMode } from './lib/memory.ts';
import { machineFacts, printFacts } from './lib/report.ts';
import { formatCount } from './lib/stats.ts';
import { within } from './lib/timeout.ts';

/** Past this the run is broken, not slow: stop rather than hang a CI job. */
const DEADLINE_MS = 115_000;

async function main(): Promise<void> {
  const logger = createLogger({ level: 'warn' }, process.stderr);
  // Undone in reverse order whatever happens: informers stop inside each phase, then the
  // simulator, the bus, the pool, and last the database itself.
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const database = await createBenchDatabase(benchServerUrl(), 'bench');
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
    const { store, url } = cluster.sim;
    const conn: KubeConnection = {
      kubeConfig: cluster.kubeConfig,
      namespace: NAMESPACE,
      describe: `simulator at ${url}`,
      stop: async () => {},
    };
    const seeded = seedPods(store, { namespace: NAMESPACE, count: POD_COUNT, tenants: TENANTS });

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

    const sync = await measureSync({ simUrl: url, conn, bus, logger });
    const bare = await measureBareWatch({ kubeConfig: cluster.kubeConfig, store, names: seeded.names });
    const viaBus = await measureBus({ conn, store, bus, logger, names: seeded.names });
    printReport({ seeded, sync, bare, viaBus });
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
  () => clearTimeout(deadline),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
