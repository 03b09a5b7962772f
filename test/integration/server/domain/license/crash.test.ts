import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../../server/cluster/client.ts';
import { startTenantSim, type TenantSim } from '../../../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../../../server/dev/tenant-sim/resolver.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../../support/kube.ts';
import { heldLicense, jwks, mint, testSigner } from '../../../../support/license.ts';
import { type ServerProcess, startServerProcess } from '../../../../support/process.ts';
import { operatorToken } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const issuer = testSigner('crash-issuer');
/**
 * The control plane's per-call timeout to tenant backends; the fan-out's lease is twice it plus 5 s
 * (7 s here). Short keeps the wait for the lease short; not shorter, so a busy machine still kills
 * the process before its hanging calls time out (they would be recorded failed, not left claimed).
 */
const TENANT_API_TIMEOUT_MS = 1000;

type Row = { slug: string; state: string; claimed_until: Date | null; synced_at: Date | null };

/**
 * Kills the control plane (SIGKILL) while the license fan-out is under way, with calls to slow
 * tenants in flight and their rows claimed, and checks that the restarted process finishes it:
 * every tenant holds the license, read from its own database. The cluster and the tenant backends
 * run here, outside the server, so they outlive it as real ones would.
 */
describe('license fan-out: a crash mid-way is finished by the restarted control plane', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let client: ClusterClient;
  let backend: TenantSim;
  let dataDir: string;
  let kubeconfig: string;
  let reader: pg.Client;
  let headers: Record<string, string>;
  const running = new Set<ServerProcess>();
  const slugs = Array.from({ length: 6 }, (_, i) => uniqueSlug(`lic-crash-${i}`));
  /** These tenants' license calls hang until the process is killed. */
  const slow = slugs.slice(0, 4);

  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster();
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    backend = await startTenantSim({ resolveTenant: secretResolver(cluster.kubeConfig, cluster.namespace) });
    dataDir = await mkdtemp(join(tmpdir(), 'cp-license-crash-'));
    kubeconfig = join(dataDir, 'kubeconfig');
    await cluster.sim.writeKubeconfig(kubeconfig);
    reader = new pg.Client({ connectionString: database.url });
    await reader.connect();
  });
  afterAll(async () => {
    for (const proc of running) proc.child.kill('SIGKILL');
    await reader?.end();
    await backend?.stop();
    await cluster?.stop();
    await dropTenantDatabases(slugs);
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function server() {
    const proc = await startServerProcess({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: kubeconfig,
      TENANT_API_URL: backend.baseUrlTemplate,
      TENANT_API_TIMEOUT_MS: String(TENANT_API_TIMEOUT_MS),
      LICENSE_PUBLIC_KEYS: jwks(issuer),
      RECONCILE_INTERVAL_MS: '200',
      STATUS_POLL_INTERVAL_MS: '3600000',
      // One server at a time: the restarted one leads at once instead of waiting out a dead leader's lease.
      LEADER_ELECTION: 'false',
    });
    running.add(proc);
    void proc.exited.then(() => running.delete(proc));
    return proc;
  }

  const call = async (url: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  /** Each tenant's fan-out row, read past the (possibly dead) server. */
  async function rows(): Promise<Map<string, Row>> {
    const { rows } = await reader.query<Row>(
      `select t.slug, l.state, l.claimed_until, l.synced_at
         from tenant_licenses l join tenants t on t.id = l.tenant_id`,
    );
    return new Map(rows.map((r) => [r.slug, r]));
  }

  const held = async (slug: string) => heldLicense((await readTenantSecret(client, slug))!.DATABASE_URL!);

  it('SIGKILL with the license calls to four of six tenants in flight; after the lease lapses the restart tells them all', async () => {
    const first = await server();
    headers = { authorization: `Bearer ${await operatorToken(database.url, 'admin@test.local', 'admin')}` };
    for (const slug of slugs) {
      expect((await call(first.url, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    }
    await eventually(
      async () => {
        const { body } = await call(first.url, 'GET', '/tenants?first=10');
        return body.tenants.filter((t: { state: string }) => t.state === 'active').length === slugs.length;
      },
      30_000,
      'six tenants active',
    );

    // The first license call to a slow tenant hangs past the kill, and would fail, not land, after it.
    for (const slug of slow) {
      backend.faults.set(slug, {
        delayMs: 120_000,
        status: 503,
        times: 1,
        endpoints: ['PUT /cp/v1/license'],
      });
    }
    const token = await mint(issuer, { lid: 'lic-crash', maxUsers: 100 });
    expect((await call(first.url, 'POST', '/license', { license: token })).status).toBe(200);
    // Every slow tenant has been called (each took its fault), so the fan-out is mid-way: kill it now.
    await eventually(
      () => slow.every((slug) => backend.faults.get(slug) === undefined),
      10_000,
      'the license call to every slow tenant in flight',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const killedAt = Date.now();
    const left = await rows();
    for (const slug of slow) {
      const row = left.get(slug)!;
      expect(row.state, slug).toBe('pending');
      expect(row.claimed_until!.getTime(), slug).toBeGreaterThan(killedAt);
      expect(await held(slug), slug).toBeNull();
    }
    const leaseEnd = Math.max(...slow.map((slug) => left.get(slug)!.claimed_until!.getTime()));

    const recovered = await server();
    try {
      const status = await eventually(
        async () => {
          const { body } = await call(recovered.url, 'GET', '/license');
          return body.sync.synced === slugs.length ? body : undefined;
        },
        30_000,
        'every tenant synced after the restart',
      );
      expect(status).toMatchObject({
        license_id: 'lic-crash',
        sync: { total: 6, pending: 0, synced: 6, failed: 0 },
      });
      for (const slug of slugs) expect(await held(slug), slug).toEqual({ token, user_cap: 100 });
      // The claims of the killed process were honoured: nobody told a slow tenant before they lapsed.
      const done = await rows();
      for (const slug of slow) {
        expect(done.get(slug)!.synced_at!.getTime(), slug).toBeGreaterThanOrEqual(leaseEnd);
        expect(done.get(slug)!.claimed_until, slug).toBeNull();
      }
      for (const proc of [first, recovered]) {
        expect(proc.stdout + proc.stderr).not.toContain(token.split('.')[2]);
      }
    } finally {
      recovered.child.kill('SIGTERM');
      await recovered.exited;
    }
  }, 90_000);
});
