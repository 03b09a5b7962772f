import type { V1ConfigMap, V1Deployment, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP } from '../../../../../server/cluster/labels.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../support/kube.ts';
import { rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

/**
 * Worker settings, agent pools and the shared agent pool against the cluster simulator and the
 * tenant simulator: what the registry, the cluster and the tenant's backend end up holding.
 */
describe('workers and pools', () => {
  let clock = Date.now();
  const server = useTestServer(
    { RECONCILE_INTERVAL_MS: '3600000', STATUS_POLL_INTERVAL_MS: '3600000', KUBE_SIM_POD_DELAY_MS: '20' },
    { now: () => new Date(clock) },
  );
  const slug = uniqueSlug('wk');
  const pool = `pool-${slug.slice(3)}`;
  afterAll(() => dropTenantDatabases([slug]));
  const cluster = () => server.services.cluster;

  /** What the tenant's backend holds (the tenant simulator's worker_config row). */
  async function backendConfig() {
    const url = (await readTenantSecret(cluster(), slug))!.DATABASE_URL!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ config: unknown }>('select config from worker_config limit 1');
      return rows[0]?.config ?? null;
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return null;
      throw error;
    } finally {
      await client.end();
    }
  }
  const registry = async () =>
    JSON.parse(
      (await cluster().read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP))!.data![`${slug}.json`]!,
    );
  const workers = async () => (await rest(server, 'GET', `/tenants/${slug}/worker-config`)).body;
  /** Waits for the tenant's WORKERS operation to succeed, and answers the settings. */
  const applied = () =>
    eventually(
      async () => {
        const w = await workers();
        return w.operation?.kind === 'workers' && w.operation.state === 'succeeded' ? w : undefined;
      },
      10_000,
      'worker settings applied',
    );

  beforeAll(async () => {
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug, admin_email: null })).status).toBe(
      201,
    );
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'active',
    );
  }, 30_000);

  it('starts inline with the defaults, in the registry too', async () => {
    expect(await workers()).toMatchObject({
      task_mode: 'inline',
      concurrency: 10,
      login_worker: { mode: 'inline', url: null, max_concurrent: 5 },
      pool: null,
    });
    expect(await registry()).toMatchObject({ task_worker: { mode: 'inline' }, pool: null });
  });

  it('refuses agent mode without any pool, naming both fixes, and changes nothing', async () => {
    const res = await rest(server, 'PUT', `/tenants/${slug}/worker-mode`, { mode: 'agent' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NO_AGENT_POOL');
    expect(res.body.error.message).toContain(`PUT /tenants/${slug}/pool`);
    expect(res.body.error.message).toContain('POST /shared-agent-pool/init');
    expect((await workers()).task_mode).toBe('inline');
  });

  it('refuses bad bodies with 400/404 and changes nothing', async () => {
    const cases: [string, string, unknown, number][] = [
      ['PUT', 'worker-mode', { mode: 'foo' }, 400],
      ['PUT', 'worker-mode', {}, 400],
      ['PUT', 'concurrency', { limit: 0 }, 400],
      ['PUT', 'concurrency', { limit: 1001 }, 400],
      ['PUT', 'concurrency', { limit: 2.5 }, 400],
      ['PUT', 'login-worker', { mode: 'shared', max_concurrent: 0 }, 400],
      ['PUT', 'login-worker', { mode: 'shared', url: 'ftp://x.example' }, 400],
      ['PUT', 'login-worker', { mode: 'dedicated', url: 'http://mine.example' }, 400],
      ['PUT', 'login-worker', { mode: 'remote' }, 400],
      ['PUT', 'pool', { pool: 'no-such-pool' }, 404],
      ['PUT', 'pool', { pool: 42 }, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await rest(server, method, `/tenants/${slug}/${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(status);
    }
    expect(await workers()).toMatchObject({ task_mode: 'inline', concurrency: 10, pool: null });
    expect((await rest(server, 'PUT', '/tenants/no-such-tenant/concurrency', { limit: 5 })).status).toBe(404);
  });

  it('creates, lists, updates pools; duplicates and bad names are refused', async () => {
    const created = await rest(server, 'POST', '/pools', { name: pool, labels: ['gpu', 'compute'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: pool, labels: ['gpu', 'compute'], tenants: [], agents: [] });
    expect((await rest(server, 'POST', '/pools', { name: pool, labels: [] })).body.error.code).toBe(
      'POOL_EXISTS',
    );
    for (const body of [
      { name: 'Bad_Name' },
      { name: '-x' },
      { name: 'a'.repeat(64) },
      { name: pool, labels: ['GPU'] },
      { name: 'ok', labels: ['a', 'a'] },
    ]) {
      expect((await rest(server, 'POST', '/pools', body)).status, JSON.stringify(body)).toBe(400);
    }
    const updated = await rest(server, 'PUT', `/pools/${pool}`, { labels: ['gpu'] });
    expect(updated.body.labels).toEqual(['gpu']);
    const listed = await rest(server, 'GET', '/pools');
    expect(listed.body.pools.map((p: { name: string }) => p.name)).toContain(pool);
    expect((await rest(server, 'GET', '/pools/nope')).status).toBe(404);
  });

  it('assigns a pool and agent mode: registry and backend follow; the pool shows its tenant and agents', async () => {
    expect((await rest(server, 'PUT', `/tenants/${slug}/pool`, { pool })).status).toBe(200);
    await applied();
    expect((await rest(server, 'PUT', `/tenants/${slug}/worker-mode`, { mode: 'agent' })).status).toBe(200);
    expect((await rest(server, 'PUT', `/tenants/${slug}/concurrency`, { limit: 25 })).status).toBe(200);
    const w = await applied();
    expect(w).toMatchObject({ task_mode: 'agent', concurrency: 25, pool: { name: pool } });
    expect(await registry()).toMatchObject({ task_worker: { mode: 'agent', concurrency: 25 }, pool });
    expect(await backendConfig()).toMatchObject({ task_worker: { mode: 'agent', concurrency: 25 }, pool });

    // An agent pod labelled with the pool, ready, shows as connected.
    await cluster().ensure<V1Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `agent-${pool}-0`,
        namespace: cluster().namespace,
        labels: { 'app.kubernetes.io/name': 'justiam-agent', 'justiam.io/pool': pool },
      },
      spec: { containers: [{ name: 'agent', image: 'ghcr.io/justiam/agent:1.4.2' }] },
    });
    const shown = await eventually(
      async () => {
        const p = (await rest(server, 'GET', `/pools/${pool}`)).body;
        return p.agents?.[0]?.ready ? p : undefined;
      },
      10_000,
      'the agent ready',
    );
    expect(shown).toMatchObject({
      tenants: [slug],
      agents: [{ name: `agent-${pool}-0`, version: '1.4.2', ready: true }],
    });

    const refused = await rest(server, 'DELETE', `/pools/${pool}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'POOL_IN_USE' });
    expect(refused.body.error.message).toContain(slug);
  });

  it('dedicated login worker: exactly its Deployment and Service, reading the token from the Secret; removed on leaving', async () => {
    const res = await rest(server, 'PUT', `/tenants/${slug}/login-worker`, {
      mode: 'dedicated',
      max_concurrent: 8,
    });
    expect(res.status).toBe(200);
    const w = await applied();
    const name = `login-worker-${slug}`;
    expect(w.login_worker).toEqual({
      mode: 'dedicated',
      url: `http://${name}.justiam-mt.svc:8090`,
      max_concurrent: 8,
    });
    const deployment = await cluster().read<V1Deployment>('Deployment', 'apps/v1', name);
    const env = deployment!.spec!.template!.spec!.containers![0]!.env!;
    expect(env).toContainEqual({
      name: 'LOGIN_WORKER_TOKEN',
      valueFrom: { secretKeyRef: { name: `tenant-${slug}`, key: 'LOGIN_WORKER_TOKEN' } },
    });
    expect(JSON.stringify(deployment)).not.toContain(
      (await readTenantSecret(cluster(), slug))!.LOGIN_WORKER_TOKEN!,
    );
    expect(await cluster().read<V1Service>('Service', 'v1', name)).toBeDefined();
    expect(await backendConfig()).toMatchObject({ login_worker: { mode: 'dedicated', max_concurrent: 8 } });

    // Rotating the login-worker token restarts the dedicated worker onto it (its pods read it at start).
    const annotation = async () =>
      (await cluster().read<V1Deployment>('Deployment', 'apps/v1', name))!.spec!.template!.metadata!
        .annotations!['justiam.io/login-worker-token-version'];
    const version = Number(await annotation());
    expect((await rest(server, 'POST', `/tenants/${slug}/secrets/login-worker-token/rotate`)).status).toBe(
      200,
    );
    expect(Number(await annotation())).toBe(version + 1);

    // max_concurrent left out keeps its value.
    expect((await rest(server, 'PUT', `/tenants/${slug}/login-worker`, { mode: 'shared' })).status).toBe(200);
    const shared = await applied();
    expect(shared.login_worker).toEqual({
      mode: 'shared',
      url: 'http://login-worker-shared.justiam-mt.svc:8090',
      max_concurrent: 8,
    });
    expect(await cluster().read('Deployment', 'apps/v1', name)).toBeUndefined();
    expect(await cluster().read('Service', 'v1', name)).toBeUndefined();
  });

  it('the shared agent pool: init is idempotent, scale 0 → 5 → 2 converges with pods observed, key rotation keeps the previous key through its grace period', async () => {
    const first = await rest(server, 'POST', '/shared-agent-pool/init');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ initialized: true, replicas: 2, previous_key_id: null });
    const again = await rest(server, 'POST', '/shared-agent-pool/init');
    expect(again.body.key_id).toBe(first.body.key_id);
    const secret = await cluster().read<V1Secret>('Secret', 'v1', 'agent-shared-hmac');
    expect(Buffer.from(secret!.data!.HMAC_KEY!, 'base64').toString()).toHaveLength(44);
    expect(JSON.stringify(first.body)).not.toContain(
      Buffer.from(secret!.data!.HMAC_KEY!, 'base64').toString(),
    );

    for (const [body, status] of [
      [{ replicas: -1 }, 400],
      [{ replicas: 1000 }, 400],
      [{ replicas: 'x' }, 400],
      [{}, 400],
    ] as const) {
      expect(
        (await rest(server, 'POST', '/shared-agent-pool/scale', body)).status,
        JSON.stringify(body),
      ).toBe(status);
    }
    for (const replicas of [0, 5, 2]) {
      expect((await rest(server, 'POST', '/shared-agent-pool/scale', { replicas })).status).toBe(200);
      await eventually(
        async () => {
          const s = (await rest(server, 'GET', '/shared-agent-pool')).body;
          return (
            s.replicas === replicas &&
            s.ready_replicas === replicas &&
            s.agents.filter((a: { ready: boolean }) => a.ready).length === replicas
          );
        },
        15_000,
        `${replicas} agents ready`,
      );
    }

    const rotated = await rest(server, 'POST', '/shared-agent-pool/rotate-key');
    expect(rotated.status).toBe(200);
    expect(rotated.body.key_id).not.toBe(first.body.key_id);
    expect(rotated.body.previous_key_id).toBe(first.body.key_id);
    expect(Date.parse(rotated.body.previous_key_expires_at)).toBe(clock + 3_600_000);
    const deployment = await cluster().read<V1Deployment>('Deployment', 'apps/v1', 'agent-shared');
    expect(deployment!.spec!.template!.metadata!.annotations!['justiam.io/hmac-key-id']).toBe(
      rotated.body.key_id,
    );

    const { createSharedPoolMaintenance } = await import(
      '../../../../../server/domain/workers/shared-pool.ts'
    );
    const { sharedPoolServices } = await import('../../../../../schema/workers.ts');
    const maintenance = createSharedPoolMaintenance(sharedPoolServices(server.services), {
      intervalMs: 3_600_000,
    });
    clock += 3_599_000;
    expect(await maintenance.runOnce()).toEqual({ rolled: false, removed: false });
    expect((await rest(server, 'GET', '/shared-agent-pool')).body.previous_key_id).toBe(first.body.key_id);
    clock += 1000;
    expect(await maintenance.runOnce()).toEqual({ rolled: false, removed: true });
    const after = (await rest(server, 'GET', '/shared-agent-pool')).body;
    expect(after).toMatchObject({
      key_id: rotated.body.key_id,
      previous_key_id: null,
      previous_key_expires_at: null,
    });
    const data = (await cluster().read<V1Secret>('Secret', 'v1', 'agent-shared-hmac'))!.data!;
    expect(Object.keys(data).sort()).toEqual(['HMAC_KEY', 'HMAC_KEY_CREATED_AT', 'HMAC_KEY_ID']);

    // Init again: the pool keeps its scale, image and key.
    expect((await rest(server, 'POST', '/shared-agent-pool/scale', { replicas: 3 })).status).toBe(200);
    const reinit = await rest(server, 'POST', '/shared-agent-pool/init');
    expect(reinit.body).toMatchObject({ replicas: 3, key_id: rotated.body.key_id });
  });

  it('two rotations at once chain: the later one keeps the earlier one’s key as its previous', async () => {
    const before = (await rest(server, 'GET', '/shared-agent-pool')).body.key_id as string;
    const answers = await Promise.all([
      rest(server, 'POST', '/shared-agent-pool/rotate-key'),
      rest(server, 'POST', '/shared-agent-pool/rotate-key'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const entries = (await rest(server, 'GET', '/audit?action=pool.shared.key_rotated&first=2')).body
      .entries as {
      details: { key_id: string; previous_key_id: string };
    }[];
    const [later, earlier] = entries;
    expect(earlier!.details.previous_key_id).toBe(before);
    expect(later!.details.previous_key_id).toBe(earlier!.details.key_id);
    const now = (await rest(server, 'GET', '/shared-agent-pool')).body;
    expect(now).toMatchObject({ key_id: later!.details.key_id, previous_key_id: earlier!.details.key_id });
  });

  it('unassigned in agent mode, the tenant runs on the shared pool; the pool can then be deleted', async () => {
    expect((await rest(server, 'PUT', `/tenants/${slug}/pool`, { pool: null })).status).toBe(200);
    await applied();
    expect((await rest(server, 'GET', '/shared-agent-pool')).body.tenants).toEqual([slug]);
    expect((await rest(server, 'DELETE', `/pools/${pool}`)).status).toBe(200);
    expect((await rest(server, 'GET', `/pools/${pool}`)).status).toBe(404);
    const audit = (await rest(server, 'GET', '/audit?action=pool.*&first=50')).body.entries.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        'pool.created',
        'pool.updated',
        'pool.deleted',
        'pool.shared.initialized',
        'pool.shared.scaled',
        'pool.shared.key_rotated',
        'pool.shared.previous_key_removed',
      ]),
    );
  });

  it('deleting a tenant in dedicated mode removes its login worker, and ends worker settings still being applied', async () => {
    expect((await rest(server, 'PUT', `/tenants/${slug}/login-worker`, { mode: 'dedicated' })).status).toBe(
      200,
    );
    await applied();
    expect(await cluster().read('Deployment', 'apps/v1', `login-worker-${slug}`)).toBeDefined();
    // A change its backend keeps refusing: the operation waits to retry when the tenant is deleted.
    server.tenantSim!.faults.set(slug, { status: 500, endpoints: ['PUT /cp/v1/worker-config'] });
    expect((await rest(server, 'PUT', `/tenants/${slug}/concurrency`, { limit: 7 })).status).toBe(200);
    await eventually(
      async () => (await workers()).operation?.attempts > 0,
      10_000,
      'the backend step failed',
    );
    const stuck = await server.services.db
      .selectFrom('tenant_operations as o')
      .innerJoin('tenants as t', 't.id', 'o.tenant_id')
      .select('o.id')
      .where('t.slug', '=', slug)
      .where('o.kind', '=', 'workers')
      .where('o.state', '=', 'running')
      .executeTakeFirstOrThrow();
    expect((await rest(server, 'DELETE', `/tenants/${slug}`, { confirm: slug })).status).toBe(202);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).status === 404,
      15_000,
      'deleted',
    );
    server.tenantSim!.faults.clear(slug);
    const row = await server.services.db
      .selectFrom('tenant_operations')
      .select('state')
      .where('id', '=', stuck.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('cancelled');
    // Run it anyway, as a reconciler that found it would: it writes nothing for the deleted tenant.
    await server.services.runner.run(stuck.id);
    expect(await cluster().read('Deployment', 'apps/v1', `login-worker-${slug}`)).toBeUndefined();
    expect(await cluster().read('Service', 'v1', `login-worker-${slug}`)).toBeUndefined();
    const registry = await cluster().read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    expect(registry?.data?.[`${slug}.json`]).toBeUndefined();
  });
});
