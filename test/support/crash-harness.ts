import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { ClusterClient } from '../../server/cluster/client.ts';
import { startTenantSim, type TenantSim } from '../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../server/dev/tenant-sim/resolver.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { startTestCluster, type TestCluster } from './kube.ts';
import { type ServerProcess, startServerProcess } from './process.ts';
import { dropTenantDatabases } from './tenants.ts';

/**
 * What every crash test's control plane runs with unless its file says otherwise: a quick
 * reconciler, so the restarted process resumes soon, and no status polling in the way.
 */
export const CRASH_TEST_ENV: Readonly<Record<string, string>> = {
  RECONCILE_INTERVAL_MS: '200',
  STATUS_POLL_INTERVAL_MS: '3600000',
};

/** A control-plane child process that listens at `url`. */
export type ControlPlane = ServerProcess & { url: string };

/** How a control-plane child process ended. */
export type Exit = Awaited<ServerProcess['exited']>;

export type CrashHarnessOptions = {
  /** Prefix of the temporary DATA_DIR shared by every control plane the test file starts. */
  dataDirPrefix: string;
  /**
   * What runs in the test process, outside the control plane, so it outlives a killed one:
   * `'none'` (the control plane brings its own cluster, e.g. KUBE_MODE=simulator), `'cluster'` (a
   * cluster simulator, handed to the child as KUBE_MODE=kubeconfig + KUBECONFIG), or
   * `'cluster+tenants'` (that and a tenant backend simulator, handed over as TENANT_API_URL).
   * Default `'cluster+tenants'`.
   */
  outside?: 'none' | 'cluster' | 'cluster+tenants';
  /** Also open a pg client on the control plane's database, to read past a dead server. */
  reader?: boolean;
  /**
   * Environment for every control plane started, beside DATABASE_URL, DATA_DIR, the above and
   * CRASH_TEST_ENV (which it may override).
   */
  env?: Record<string, string>;
  /** Tenant slugs whose databases and roles to drop after the file (read then, so it may grow). */
  slugs?: string[];
  /** The outside cluster simulator runs Job pods' containers as processes, commands found on this PATH. */
  runJobs?: { path: string };
};

export type CrashHarness = {
  /** The control plane's database, new for the test file. */
  readonly database: TestDatabase;
  /** The DATA_DIR every control plane of the file shares. */
  readonly dataDir: string;
  /** The outside cluster simulator (outside: 'cluster' or 'cluster+tenants'). */
  readonly cluster: TestCluster;
  /** A client on the outside cluster simulator. */
  readonly client: ClusterClient;
  /** The outside tenant backend simulator (outside: 'cluster+tenants'). */
  readonly backend: TenantSim;
  /** A connected pg client on `database` (reader: true). */
  readonly reader: pg.Client;
  /**
   * Starts a control-plane child process against the database and whatever runs outside, with
   * `env` on top of the file's; resolves once it listens. Call it again to restart after a kill.
   */
  start(env?: Record<string, string>): Promise<ControlPlane>;
  /** Kills a control plane with SIGKILL and resolves with its exit once it is gone. */
  kill(proc: ServerProcess): Promise<Exit>;
  /** Stops a control plane with SIGTERM and waits for it to exit. */
  stop(proc: ServerProcess): Promise<void>;
};

/**
 * Sets up a crash test file (in `beforeAll`, torn down in `afterAll`, so call it in a `describe`):
 * a new database, a DATA_DIR, and the cluster and tenant backend simulators that run in the test
 * process and so survive the control-plane child processes the tests kill and restart. Every
 * control plane still running at the end is killed.
 */
export function useCrashHarness(options: CrashHarnessOptions): CrashHarness {
  const outside = options.outside ?? 'cluster+tenants';
  const running = new Set<ServerProcess>();
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let cluster: TestCluster | undefined;
  let client: ClusterClient | undefined;
  let backend: TenantSim | undefined;
  let reader: pg.Client | undefined;
  let kubeconfig: string | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (outside !== 'none') {
      cluster = await startTestCluster(options.runJobs ? { runJobs: options.runJobs } : {});
      client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    }
    if (outside === 'cluster+tenants') {
      backend = await startTenantSim({
        resolveTenant: secretResolver(cluster!.kubeConfig, cluster!.namespace),
      });
    }
    dataDir = await mkdtemp(join(tmpdir(), options.dataDirPrefix));
    if (cluster) {
      kubeconfig = join(dataDir, 'kubeconfig');
      await cluster.sim.writeKubeconfig(kubeconfig);
    }
    if (options.reader) {
      reader = new pg.Client({ connectionString: database.url });
      await reader.connect();
    }
  });
  afterAll(async () => {
    for (const proc of running) proc.child.kill('SIGKILL');
    await reader?.end();
    await backend?.stop();
    await cluster?.stop();
    await dropTenantDatabases(options.slugs ?? []);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`crash harness: no ${what} (not started, or not asked for)`);
    return value;
  };

  return {
    get database() {
      return ready(database, 'database');
    },
    get dataDir() {
      return ready(dataDir, 'data dir');
    },
    get cluster() {
      return ready(cluster, 'outside cluster');
    },
    get client() {
      return ready(client, 'cluster client');
    },
    get backend() {
      return ready(backend, 'tenant backend');
    },
    get reader() {
      return ready(reader, 'reader');
    },
    async start(env = {}) {
      const proc = await startServerProcess({
        DATABASE_URL: ready(database, 'database').url,
        DATA_DIR: ready(dataDir, 'data dir'),
        ...(kubeconfig ? { KUBE_MODE: 'kubeconfig', KUBECONFIG: kubeconfig } : {}),
        ...(backend ? { TENANT_API_URL: backend.baseUrlTemplate } : {}),
        ...CRASH_TEST_ENV,
        ...options.env,
        ...env,
      });
      running.add(proc);
      void proc.exited.then(() => running.delete(proc));
      return proc;
    },
    async kill(proc) {
      proc.child.kill('SIGKILL');
      return proc.exited;
    },
    async stop(proc) {
      proc.child.kill('SIGTERM');
      await proc.exited;
    },
  };
}

/** The environment that makes a control plane kill itself (SIGKILL) right after `step`, if any. */
export const crashAfterStep = (step?: string): Record<string, string> =>
  step ? { CP_FAULT_AFTER_STEP: step } : {};

/** Whether a control plane died by SIGKILL (a shell in between would report it as exit code 137). */
export const killedBySigkill = (exit: Exit): boolean => exit.signal === 'SIGKILL' || exit.code === 137;
