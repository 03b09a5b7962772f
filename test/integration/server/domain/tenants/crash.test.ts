import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../../server/cluster/client.ts';
import { CREATE_STEPS, DELETE_STEPS } from '../../../../../server/domain/tenants/operations/steps.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../../support/kube.ts';
import { type ServerProcess, startServerProcess } from '../../../../support/process.ts';
import { operatorToken } from '../../../../support/server.ts';
import { dropTenantDatabases, tenantFootprint, uniqueSlug } from '../../../../support/tenants.ts';

/**
 * Kills the server (SIGKILL, via CP_FAULT_AFTER_STEP) right after each step of create and of
 * delete, restarts it, and checks that the reconciler converges with nothing left half-done.
 * The cluster simulator runs in the test, outside the server, so it survives the crash like a
 * real cluster would.
 */
describe('crash at every step', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let client: ClusterClient;
  let dataDir: string;
  let kubeconfig: string;
  const running = new Set<ServerProcess>();
  const slugs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster();
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    dataDir = await mkdtemp(join(tmpdir(), 'cp-crash-'));
    kubeconfig = join(dataDir, 'kubeconfig');
    await cluster.sim.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    for (const proc of running) proc.child.kill('SIGKILL');
    await cluster?.stop();
    await dropTenantDatabases(slugs);
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function server(fault?: string) {
    const proc = await startServerProcess({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: kubeconfig,
      RECONCILE_INTERVAL_MS: '200',
      STATUS_POLL_INTERVAL_MS: '3600000',
      // A killed leader's lease must lapse before the restarted server leads: keep it short here.
      LEADER_LEASE_SECONDS: '2',
      ...(fault ? { CP_FAULT_AFTER_STEP: fault } : {}),
    });
    running.add(proc);
    void proc.exited.then(() => running.delete(proc));
    return proc;
  }

  async function stop(proc: ServerProcess) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }

  /** The server dies by SIGKILL (a shell in between would report it as exit code 137). */
  const killed = (exit: { code: number | null; signal: string | null }) =>
    exit.signal === 'SIGKILL' || exit.code === 137;

  let token: string | undefined;
  const call = async (url: string, method: string, path: string, body?: unknown) => {
    // The first server has migrated the database by now: an admin token can be made.
    token ??= await operatorToken(database.url, 'admin@test.local', 'admin');
    return fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        authorization: `Bearer ${token}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  };

  const stateOf = async (url: string, slug: string) => {
    const res = await call(url, 'GET', `/tenants/${slug}`);
    return res.status === 404 ? 'GONE' : ((await res.json()) as { state: string }).state;
  };

  it.each(CREATE_STEPS.map((s) => s.name))(
    'create: a crash right after "%s" converges to an active tenant',
    async (step) => {
      const slug = uniqueSlug(`c-${step}`);
      slugs.push(slug);
      const doomed = await server(`create:${step}`);
      // The process may die before it answers: that is the point.
      await call(doomed.url, 'POST', '/tenants', { slug, name: slug }).catch(() => undefined);
      expect(killed(await doomed.exited)).toBe(true);

      const recovered = await server();
      try {
        await eventually(
          async () => (await stateOf(recovered.url, slug)) === 'active',
          20_000,
          `${slug} active`,
        );
        expect(await tenantFootprint(client, slug)).toEqual({
          database: true,
          role: true,
          secret: true,
          registryKey: true,
        });
      } finally {
        await stop(recovered);
      }
    },
    // Two or three server starts each, beside the rest of the suite.
    60_000,
  );

  it.each(DELETE_STEPS.map((s) => s.name))(
    'delete: a crash right after "%s" converges to a tenant fully gone',
    async (step) => {
      const slug = uniqueSlug(`d-${step}`);
      slugs.push(slug);
      const setup = await server();
      await call(setup.url, 'POST', '/tenants', { slug, name: slug });
      await eventually(async () => (await stateOf(setup.url, slug)) === 'active', 20_000, `${slug} active`);
      await stop(setup);

      const doomed = await server(`delete:${step}`);
      await call(doomed.url, 'DELETE', `/tenants/${slug}`, { confirm: slug }).catch(() => undefined);
      expect(killed(await doomed.exited)).toBe(true);

      const recovered = await server();
      try {
        await eventually(async () => (await stateOf(recovered.url, slug)) === 'GONE', 20_000, `${slug} gone`);
        expect(await tenantFootprint(client, slug)).toEqual({
          database: false,
          role: false,
          secret: false,
          registryKey: false,
        });
      } finally {
        await stop(recovered);
      }
    },
    // Two or three server starts each, beside the rest of the suite.
    60_000,
  );
});
