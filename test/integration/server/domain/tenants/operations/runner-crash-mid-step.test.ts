import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../../../server/cluster/client.ts';
import { verifyAdminPassword } from '../../../../../../server/dev/tenant-sim/fixtures.ts';
import { startTenantSim, type TenantSim } from '../../../../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../../../../server/dev/tenant-sim/resolver.ts';
import { readTenantSecret } from '../../../../../../server/domain/tenants/cluster-secret.ts';
import { createTestDatabase, type TestDatabase } from '../../../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../../../support/kube.ts';
import { type ServerProcess, startServerProcess } from '../../../../../support/process.ts';
import { operatorToken } from '../../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

type Step = { name: string; state: string };

/**
 * Kills the server (SIGKILL) while a step is under way, so the operation row is left saying
 * `running` for it, and checks that the restarted server runs that step again. The cluster and the
 * tenant backend run here, outside the server, so they outlive it, and the test holds the
 * backend's fault hooks to keep the step hanging until the kill.
 */
describe('operation runner: a step cut off mid-way is run again after a restart', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let client: ClusterClient;
  let backend: TenantSim;
  let dataDir: string;
  let kubeconfig: string;
  let reader: pg.Client;
  const running = new Set<ServerProcess>();
  const slugs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster();
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    backend = await startTenantSim({ resolveTenant: secretResolver(cluster.kubeConfig, cluster.namespace) });
    dataDir = await mkdtemp(join(tmpdir(), 'cp-mid-step-'));
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
      // Long enough that the hanging call is still waiting when the process is killed.
      TENANT_API_TIMEOUT_MS: '60000',
      RECONCILE_INTERVAL_MS: '200',
      STATUS_POLL_INTERVAL_MS: '3600000',
      // One server at a time: the restarted one resumes at once instead of waiting out a dead leader's lease.
      LEADER_ELECTION: 'false',
    });
    running.add(proc);
    void proc.exited.then(() => running.delete(proc));
    return proc;
  }

  /** The create operation's steps as the database holds them, read past the (dead) server. */
  async function storedSteps(slug: string): Promise<Step[]> {
    const { rows } = await reader.query<{ steps: Step[] }>(
      `select o.steps from tenant_operations o join tenants t on t.id = o.tenant_id
        where t.slug = $1 and o.kind = 'create'`,
      [slug],
    );
    return rows[0]?.steps ?? [];
  }

  it('handoff, killed while its call to the backend hangs, is run again: the backend gets the admin password', async () => {
    const slug = uniqueSlug('mid');
    slugs.push(slug);
    // The first handoff call hangs (and would fail, not succeed, once the delay ran out).
    backend.faults.set(slug, {
      delayMs: 120_000,
      status: 503,
      times: 1,
      endpoints: ['PUT /cp/v1/admin-password'],
    });

    const doomed = await server();
    const token = await operatorToken(database.url, 'admin@test.local', 'admin');
    const headers = { authorization: `Bearer ${token}` };
    const created = await fetch(`${doomed.url}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ slug, name: slug }),
    });
    expect(created.status).toBe(201);
    // The hanging call has reached the backend (it took the fault) while the step is recorded running.
    await eventually(
      async () =>
        backend.faults.get(slug) === undefined &&
        (await storedSteps(slug)).find((s) => s.name === 'handoff')?.state === 'running',
      20_000,
      'handoff running with its call in flight',
    );
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect((await storedSteps(slug)).map((s) => `${s.name}:${s.state}`)).toContain('handoff:running');

    const recovered = await server();
    try {
      const body = await eventually(
        async () => {
          const res = await fetch(`${recovered.url}/tenants/${slug}`, { headers });
          const tenant = (await res.json()) as { state: string; operation: { steps: Step[] } };
          return tenant.state === 'active' ? tenant : undefined;
        },
        20_000,
        `${slug} active`,
      );
      expect(body.operation.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
        'record:done',
        'secret:done',
        'database:done',
        'registry:done',
        'handoff:done',
        'license:done',
      ]);
      const secret = (await readTenantSecret(client, slug))!;
      expect(await verifyAdminPassword(secret.DATABASE_URL!, secret.ADMIN_INITIAL_PASSWORD!)).toBe(true);
    } finally {
      recovered.child.kill('SIGTERM');
      await recovered.exited;
    }
  }, 60_000);
});
