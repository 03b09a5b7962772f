import { Writable } from 'node:stream';
import { ApiException } from '@kubernetes/client-node';
import pg from 'pg';
import { ClusterClient } from '../../server/cluster/client.ts';
import { createDb, migrateToLatest } from '../../server/db/database.ts';
import type { TenantRow } from '../../server/db/schema.ts';
import { startTenantSim, type TenantSim } from '../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../server/dev/tenant-sim/resolver.ts';
import type { Call } from '../../server/domain/call.ts';
import { createTenantDatabaseAdmin } from '../../server/domain/tenants/database/admin.ts';
import { createTenant } from '../../server/domain/tenants/operations/lifecycle.ts';
import { createOperationLocks } from '../../server/domain/tenants/operations/locks.ts';
import {
  createOperationRunner,
  type OperationRunner,
} from '../../server/domain/tenants/operations/runner.ts';
import type { TenantServices } from '../../server/domain/tenants/services.ts';
import { createEventBus } from '../../server/events/bus.ts';
import { createLogger } from '../../server/log.ts';
import { createTenantApiClient } from '../../server/tenant-api/client.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { startTestCluster, type TestCluster } from './kube.ts';
import { dropTenantDatabases, uniqueSlug } from './tenants.ts';

/** A clock tests move by hand: the domain code and the tenant simulator both read it. */
export type TestClock = { now(): Date; advance(ms: number): void };

export type TenantHarness = {
  services: TenantServices;
  runner: OperationRunner;
  cluster: TestCluster;
  sim: TenantSim;
  clock: TestClock;
  database: TestDatabase;
  /** Log lines of the services (to check no secret value was logged). */
  logs: string[];
  /** An audit context for an operator named `tester`. */
  ctx: Call;
  /** Creates a tenant through the real provisioning saga and waits until it is active. */
  createActiveTenant(prefix?: string): Promise<TenantRow>;
  /** Makes the `nth` next write (merge patch) to the cluster fail with HTTP 500, once. */
  failClusterPatch(nth: number): void;
  stop(): Promise<void>;
};

/**
 * The tenant services wired as `runtime.ts` wires them, against real parts: a fresh migrated
 * database, the cluster simulator, and a tenant simulator resolving tenants from their Secrets,
 * both simulator and services on one hand-driven clock. The tenant API client fails fast
 * (`timeoutMs`, one retry) so failure tests stay quick.
 */
export async function startTenantHarness(
  options: { graceSeconds?: number; timeoutMs?: number } = {},
): Promise<TenantHarness> {
  const database = await createTestDatabase();
  const { db, pool } = createDb({ url: database.url, max: 6 });
  await migrateToLatest(db);
  const logs: string[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  );
  const bus = createEventBus({
    pool,
    connect: () => new pg.Client({ connectionString: database.url }),
    logger,
  });
  await bus.ready;
  const cluster = await startTestCluster();
  const client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
  let nowMs = Date.now();
  const clock: TestClock = {
    now: () => new Date(nowMs),
    advance(ms) {
      nowMs += ms;
    },
  };
  const sim = await startTenantSim({
    resolveTenant: secretResolver(cluster.kubeConfig, cluster.namespace),
    now: clock.now,
    resolveCacheMs: 0,
  });
  const locks = createOperationLocks(() => new pg.Client({ connectionString: database.url }), logger);
  const services: TenantServices = {
    db,
    bus,
    cluster: client,
    databases: createTenantDatabaseAdmin({ adminUrl: database.url }),
    backends: createTenantApiClient({
      baseUrlTemplate: sim.baseUrlTemplate,
      timeoutMs: options.timeoutMs ?? 1000,
      retries: 1,
      backoffMs: 10,
      maxBackoffMs: 20,
    }),
    backendUrl: (slug) => sim.baseUrlTemplate.replace('{slug}', slug),
    logger,
    locks,
    secretGraceSeconds: options.graceSeconds ?? 3600,
    workers: {
      loginWorkerImage: 'ghcr.io/justiam/login-worker:1.4.0',
      sharedLoginWorkerUrl: 'http://login-worker-shared.justiam-mt.svc:8090',
    },
    now: clock.now,
  };
  const runner = createOperationRunner(services, locks, { concurrency: 4 });
  const slugs: string[] = [];
  const ctx: Call = { actor: { kind: 'operator', id: 'tester', label: 'tester' } };

  const originalPatch = client.objects.patch.bind(client.objects);
  let failing: number | undefined;
  client.objects.patch = ((...args: Parameters<typeof originalPatch>) => {
    if (failing !== undefined && --failing === 0) {
      failing = undefined;
      return Promise.reject(new ApiException(500, 'injected failure', '{"message":"injected"}', {}));
    }
    return originalPatch(...args);
  }) as typeof originalPatch;

  return {
    services,
    runner,
    cluster,
    sim,
    clock,
    database,
    logs,
    ctx,
    async createActiveTenant(prefix = 'dt') {
      const slug = uniqueSlug(prefix);
      slugs.push(slug);
      const started = await createTenant({ tenants: services, runner }, ctx, {
        slug,
        name: `Tenant ${slug}`,
      });
      await started.attempt;
      const read = () =>
        db.selectFrom('tenants').selectAll().where('id', '=', started.tenant.id).executeTakeFirstOrThrow();
      let tenant = await read();
      // A step that timed out on a busy machine is attempted again, as the reconciler would.
      for (let retry = 0; tenant.state !== 'active' && retry < 4; retry++) {
        await runner.run(started.operation.id);
        tenant = await read();
      }
      if (tenant.state !== 'active')
        throw new Error(`tenant ${slug} did not become active (${tenant.state})`);
      return tenant;
    },
    failClusterPatch(nth) {
      failing = nth;
    },
    async stop() {
      await runner.stop();
      await locks.close();
      await services.databases.close();
      await sim.stop();
      await bus.close();
      await db.destroy();
      await cluster.stop();
      await dropTenantDatabases(slugs);
      await database.drop();
    },
  };
}
