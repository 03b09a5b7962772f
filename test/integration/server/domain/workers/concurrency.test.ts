import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../../server/cluster/client.ts';
import { REGISTRY_CONFIGMAP } from '../../../../../server/cluster/labels.ts';
import { readTenantState } from '../../../../../server/dev/tenant-sim/fixtures.ts';
import { startTenantSim, type TenantSim } from '../../../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../../../server/dev/tenant-sim/resolver.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { readWorkerConfig } from '../../../../../server/domain/workers/config.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../../support/kube.ts';
import { rest, startTestServer, type TestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

/** The body of PUT /cp/v1/worker-config as the backend stored it. */
type BackendWorkerConfig = {
  task_worker: { mode: string; concurrency: number };
  login_worker: { mode: string; url: string | null; max_concurrent: number };
  pool: string | null;
};

type Operation = {
  id: string;
  state: string;
  steps: { name: string; state: string; error: string | null }[];
  /** Where its request stands in the order the tenant's changes were serialized (its audit entry's id). */
  seq: string;
};

const SHARED_LOGIN_WORKER_URL = 'http://login-worker-shared.justiam-mt.svc:8090';

/**
 * Worker settings under concurrency, on two replicas of the control plane sharing one database,
 * one cluster simulator and one tenant backend simulator (both run here, outside the servers):
 * racing changes end with registry, backend and API agreeing; a pool is never deleted under a
 * tenant assigned to it; a backend that refuses is retried; each replica sees the other's changes.
 */
describe('worker settings under concurrency, across two replicas', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let client: ClusterClient;
  let backend: TenantSim;
  let dir: string;
  let a: TestServer;
  let b: TestServer;
  const slugs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster();
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    backend = await startTenantSim({
      resolveTenant: secretResolver(cluster.kubeConfig, cluster.namespace),
      resolveCacheMs: 0,
    });
    dir = await mkdtemp(join(tmpdir(), 'cp-workers-concurrency-'));
    await cluster.sim.writeKubeconfig(join(dir, 'kubeconfig'));
    const env = (name: string) => ({
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: join(dir, 'kubeconfig'),
      TENANT_API_URL: backend.baseUrlTemplate,
      LEADER_IDENTITY: name,
      RECONCILE_INTERVAL_MS: '100',
      STATUS_POLL_INTERVAL_MS: '3600000',
      DRIFT_CHECK_INTERVAL_MS: '3600000',
    });
    // A first, so it takes the Lease and runs the reconciler; B serves requests and runs what they start.
    a = await startTestServer(database.url, env('replica-a'));
    b = await startTestServer(database.url, env('replica-b'));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await backend?.stop();
    await cluster?.stop();
    await dropTenantDatabases(slugs);
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function activeTenant(prefix: string) {
    const slug = uniqueSlug(prefix);
    slugs.push(slug);
    expect((await rest(a, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => (await rest(a, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      `${slug} active`,
    );
    return slug;
  }
  const tenantId = async (slug: string) =>
    (
      await a.services.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', slug)
        .where('state', '<>', 'deleted')
        .executeTakeFirstOrThrow()
    ).id;

  /** The tenant's WORKERS operations in the order their requests committed. */
  async function workerOperations(slug: string): Promise<Operation[]> {
    const { rows } = await sql<Operation>`
      select o.id, o.state, o.steps, a.id as seq
        from tenant_operations o
        join tenants t on t.id = o.tenant_id
        join audit_log a on a.action = 'tenant.workers.updated' and a.details->>'operationId' = o.id::text
       where t.slug = ${slug} and o.kind = 'workers'
       order by a.id`.execute(a.services.db);
    return rows;
  }
  const registry = async (slug: string) =>
    JSON.parse(
      (await client.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP))!.data![`${slug}.json`]!,
    );
  const backendConfig = async (slug: string) =>
    ((await readTenantState((await readTenantSecret(client, slug))!.DATABASE_URL!)).workerConfig ??
      null) as BackendWorkerConfig | null;
  /** Waits until no WORKERS operation of the tenant is running, and answers them all. */
  const settled = (slug: string) =>
    eventually(
      async () => {
        const ops = await workerOperations(slug);
        return ops.length > 0 && ops.every((o) => o.state !== 'running') ? ops : undefined;
      },
      20_000,
      `${slug}'s worker settings applied`,
    );

  /** The checks every burst of changes ends with: registry, backend and both replicas' API agree with what is stored. */
  async function expectAgreement(slug: string, limits: number[]) {
    const stored = await readWorkerConfig(a.services.db, await tenantId(slug));
    // The login change survived whichever concurrency change committed after it: no lost update.
    expect(stored.login).toEqual({ mode: 'shared', url: SHARED_LOGIN_WORKER_URL, maxConcurrent: 3 });
    expect(limits).toContain(stored.concurrency);
    const expected = {
      task_worker: { mode: 'inline', concurrency: stored.concurrency },
      login_worker: { mode: 'shared', url: SHARED_LOGIN_WORKER_URL, max_concurrent: 3 },
      pool: null,
    };
    expect(await backendConfig(slug)).toEqual(expected);
    expect(await registry(slug)).toMatchObject(expected);
    for (const replica of [a, b]) {
      expect((await rest(replica, 'GET', `/tenants/${slug}/worker-config`)).body).toMatchObject({
        task_mode: 'inline',
        concurrency: stored.concurrency,
        login_worker: { mode: 'shared', url: SHARED_LOGIN_WORKER_URL, max_concurrent: 3 },
        operation: { kind: 'workers', state: 'succeeded', current_step: null, last_error: null },
      });
    }
  }

  /** Ten concurrency changes and a login-worker change at once, spread over both replicas. */
  async function burst(slug: string) {
    const limits = Array.from({ length: 10 }, (_, i) => 11 + i);
    const answers = await Promise.all([
      ...limits.map((limit, i) => rest(i % 2 ? b : a, 'PUT', `/tenants/${slug}/concurrency`, { limit })),
      rest(b, 'PUT', `/tenants/${slug}/login-worker`, { mode: 'shared', max_concurrent: 3 }),
    ]);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    return limits;
  }

  it('eleven changes racing on both replicas while their operations run: the last stored settings are what registry, backend and API hold', async () => {
    const slug = await activeTenant('wcc');
    const limits = await burst(slug);
    const ops = await settled(slug);
    expect(ops).toHaveLength(11);
    await expectAgreement(slug, limits);

    // The last change's operation applied it. Each earlier one was cancelled by the change after
    // it, or had completed before that change was made: none completed after being superseded.
    expect(ops.at(-1)!.state).toBe('succeeded');
    expect(ops.at(-1)!.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
      'registry:done',
      'login-worker:done',
      'backend:done',
      'cleanup:done',
    ]);
    const completed = await sql<{ id: string; operation: string }>`
      select id, details->>'operationId' as operation from audit_log where action = 'tenant.workers.completed'`.execute(
      a.services.db,
    );
    const completedAt = new Map(completed.rows.map((r) => [r.operation, BigInt(r.id)]));
    for (const [i, op] of ops.slice(0, -1).entries()) {
      if (op.state === 'cancelled') expect(completedAt.has(op.id), `operation ${i}`).toBe(false);
      else {
        expect(op.state, `operation ${i}`).toBe('succeeded');
        expect(completedAt.get(op.id)! < BigInt(ops[i + 1]!.seq), `operation ${i}`).toBe(true);
      }
    }
  });

  it('eleven changes queued while the tenant is busy, taking its row out of the order they began: all but the last to commit are cancelled, and that one is the operation shown and applies the latest settings', async () => {
    const slug = await activeTenant('wcq');
    // The runner's per-tenant lock (runner.ts), held here: no operation of the tenant can start.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      const key = `tenant-operation:${await tenantId(slug)}`;
      await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
      // All eleven transactions begin, then wait here for the tenants table; let go at once, they
      // take the tenant's row in an order of the scheduler's choosing, not the order they began.
      await holder.query('begin');
      await holder.query('lock table tenants in exclusive mode');
      const started = burst(slug);
      await eventually(
        async () => (await waitingOn('%from "tenants"%for update')) === 11,
        10_000,
        'eleven changes waiting',
      );
      await holder.query('commit');
      const limits = await started;
      const queued = await workerOperations(slug);
      expect(queued).toHaveLength(11);
      // None started: every step of every operation is still pending.
      expect(new Set(queued.flatMap((o) => o.steps.map((s) => s.state)))).toEqual(new Set(['pending']));
      expect(queued.filter((o) => o.state !== 'cancelled').map((o) => o.id)).toEqual([queued.at(-1)!.id]);
      await holder.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);

      const ops = await settled(slug);
      expect(ops.map((o) => o.state)).toEqual([...Array(10).fill('cancelled'), 'succeeded']);
      // The cancelled ones never ran a step.
      for (const op of ops.slice(0, -1)) expect(op.steps.every((s) => s.state === 'pending')).toBe(true);
      await expectAgreement(slug, limits);
    } finally {
      await holder.end();
    }
  });

  it('a change made while the previous one is talking to the backend supersedes it: the old operation stays cancelled, the backend ends with the newer value', async () => {
    const slug = await activeTenant('wcs');
    // The first PUT to the backend is held for a while, then served.
    backend.faults.set(slug, { delayMs: 1500, times: 1, endpoints: ['PUT /cp/v1/worker-config'] });
    expect((await rest(a, 'PUT', `/tenants/${slug}/concurrency`, { limit: 31 })).status).toBe(200);
    await eventually(
      () => backend.faults.get(slug) === undefined,
      10_000,
      'the first backend call in flight',
    );
    expect((await rest(b, 'PUT', `/tenants/${slug}/concurrency`, { limit: 32 })).status).toBe(200);

    const ops = await settled(slug);
    expect(ops.map((o) => o.state)).toEqual(['cancelled', 'succeeded']);
    const completed = await sql<{ n: number }>`
      select count(*)::int as n from audit_log
       where action = 'tenant.workers.completed' and details->>'operationId' = ${ops[0]!.id}`.execute(
      a.services.db,
    );
    expect(completed.rows[0]!.n).toBe(0);
    expect(await backendConfig(slug)).toMatchObject({ task_worker: { concurrency: 32 } });
    expect(await registry(slug)).toMatchObject({ task_worker: { concurrency: 32 } });
    expect((await rest(a, 'GET', `/tenants/${slug}/worker-config`)).body).toMatchObject({
      concurrency: 32,
      operation: { state: 'succeeded' },
    });
  });

  /** Sessions of the test database waiting for a lock while running a statement matching `pattern`. */
  async function waitingOn(pattern: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
       where datname = ${database.name} and wait_event_type = 'Lock' and query ilike ${pattern}`.execute(
      a.services.db,
    );
    return rows[0]!.n;
  }

  it('deleting a pool while a tenant is being assigned to it: never both, never a tenant on a deleted pool', async () => {
    const slug = await activeTenant('wcp');
    const id = await tenantId(slug);
    const exists = async (pool: string) =>
      Boolean(
        await a.services.db
          .selectFrom('agent_pools')
          .select('id')
          .where('name', '=', pool)
          .executeTakeFirst(),
      );
    /** Starts the two requests, each on its own replica, in an order forced with a lock, or freely racing. */
    async function race(pool: string, first: 'assign' | 'delete' | 'none', round: number) {
      const assign = () => rest(round % 2 ? b : a, 'PUT', `/tenants/${slug}/pool`, { pool });
      const remove = () => rest(round % 2 ? a : b, 'DELETE', `/pools/${pool}`);
      if (first === 'none') {
        const [deleted, assigned] = await Promise.all([remove(), assign()]);
        return { deleted, assigned };
      }
      // Both write an audit entry last, before they commit: with the audit table locked here, the
      // first is held inside its transaction, its row locks taken, until the second meets them.
      // Nothing else of this tenant may be writing an audit entry meanwhile (an operation ending).
      if ((await workerOperations(slug)).length > 0) await settled(slug);
      const holder = new pg.Client({ connectionString: database.url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('lock table audit_log in share mode');
        const one = first === 'assign' ? assign() : remove();
        await eventually(
          async () => (await waitingOn('%insert into "audit_log"%')) === 1,
          10_000,
          `${first} held`,
        );
        const two = first === 'assign' ? remove() : assign();
        // The second is stopped too: by the first's row lock on the pool (or, were that lock
        // missing, by the audit table or a foreign-key check).
        await eventually(async () => (await waitingOn('%')) === 2, 10_000, 'the second request held');
        await holder.query('commit');
        const [r1, r2] = await Promise.all([one, two]);
        return first === 'assign' ? { assigned: r1, deleted: r2 } : { deleted: r1, assigned: r2 };
      } finally {
        await holder.end();
      }
    }

    const plan = ['assign', 'delete', 'none', 'none', 'none', 'none', 'assign', 'delete'] as const;
    const outcomes: string[] = [];
    for (const [round, first] of plan.entries()) {
      const pool = `race-${round}-${slug.slice(4)}`;
      expect((await rest(a, 'POST', '/pools', { name: pool })).status).toBe(201);
      const { deleted, assigned } = await race(pool, first, round);
      const outcome = `${deleted.status}/${assigned.status}`;
      outcomes.push(outcome);
      const config = await readWorkerConfig(a.services.db, id);
      if (first !== 'none')
        expect(outcome, JSON.stringify({ first, deleted: deleted.body, assigned: assigned.body })).toBe(
          first === 'assign' ? '409/200' : '200/404',
        );
      if (outcome === '200/404') {
        expect(deleted.body.name).toBe(pool);
        expect(assigned.body.error.code).toBe('POOL_NOT_FOUND');
        expect(await exists(pool)).toBe(false);
        expect(config.pool).toBeNull();
      } else {
        expect(outcome, JSON.stringify({ deleted: deleted.body, assigned: assigned.body })).toBe('409/200');
        expect(deleted.body.error.code).toBe('POOL_IN_USE');
        expect(await exists(pool)).toBe(true);
        expect(config.pool).toBe(pool);
        // Unassign and delete it for the next round.
        expect((await rest(a, 'PUT', `/tenants/${slug}/pool`, { pool: null })).status).toBe(200);
        expect((await rest(b, 'DELETE', `/pools/${pool}`)).status).toBe(200);
      }
    }
    expect(outcomes).toContain('409/200');
    expect(outcomes).toContain('200/404');
    // No tenant (deleted or not) names a pool that is gone.
    const dangling = await sql<{ n: number }>`
      select count(*)::int as n from tenant_worker_configs c
       where c.pool_id is not null and not exists (select 1 from agent_pools p where p.id = c.pool_id)`.execute(
      a.services.db,
    );
    expect(dangling.rows[0]!.n).toBe(0);
    const ops = await settled(slug);
    expect(ops.at(-1)!.state).toBe('succeeded');
    expect(await backendConfig(slug)).toMatchObject({ pool: null });
    expect(await registry(slug)).toMatchObject({ pool: null });
  });

  it('a backend refusing PUT /cp/v1/worker-config: the operation shows the failed step, its error and retry time, then succeeds on retry', async () => {
    const slug = await activeTenant('wcr');
    // The tenant API client retries a 5xx twice within one call: three refusals fail one attempt.
    backend.faults.set(slug, { status: 500, endpoints: ['PUT /cp/v1/worker-config'], times: 3 });
    expect((await rest(b, 'PUT', `/tenants/${slug}/concurrency`, { limit: 77 })).status).toBe(200);

    const failing = await eventually(
      async () => {
        const { operation } = (await rest(a, 'GET', `/tenants/${slug}/worker-config`)).body;
        return operation?.attempts === 1 && operation.steps[2].state === 'failed' ? operation : undefined;
      },
      10_000,
      'the backend step failed',
    );
    expect(failing).toMatchObject({
      kind: 'workers',
      state: 'running',
      current_step: 'backend',
      steps: [
        { name: 'registry', state: 'done', error: null },
        { name: 'login-worker', state: 'done', error: null },
        { name: 'backend', state: 'failed' },
        { name: 'cleanup', state: 'pending', error: null },
      ],
    });
    expect(failing.last_error).toMatch(/^backend: .*500/);
    expect(failing.steps[2].error).toMatch(/500/);
    expect(Date.parse(failing.next_attempt_at)).toBeGreaterThan(Date.now() - 2000);
    // The registry already has it; the backend not yet.
    expect(await registry(slug)).toMatchObject({ task_worker: { concurrency: 77 } });
    expect((await backendConfig(slug))?.task_worker?.concurrency).not.toBe(77);

    const done = await eventually(
      async () => {
        const body = (await rest(b, 'GET', `/tenants/${slug}/worker-config`)).body;
        return body.operation?.state === 'succeeded' ? body.operation : undefined;
      },
      10_000,
      'the retry to succeed',
    );
    expect(done).toMatchObject({ attempts: 1, last_error: null, next_attempt_at: null });
    expect(done.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(backend.faults.get(slug)).toBeUndefined();
    expect(await backendConfig(slug)).toMatchObject({ task_worker: { mode: 'inline', concurrency: 77 } });
  });

  it('a change made on replica A shows on replica B, and the shared pool scaled on A shows on B', async () => {
    const slug = await activeTenant('wcd');
    expect((await rest(a, 'PUT', `/tenants/${slug}/login-worker`, { mode: 'dedicated' })).status).toBe(200);
    const onB = (await rest(b, 'GET', `/tenants/${slug}/worker-config`)).body;
    expect(onB).toMatchObject({
      login_worker: { mode: 'dedicated', url: `http://login-worker-${slug}.justiam-mt.svc:8090` },
      operation: { kind: 'workers' },
    });
    await eventually(
      async () =>
        (await rest(b, 'GET', `/tenants/${slug}/worker-config`)).body.operation?.state === 'succeeded',
      10_000,
      'applied, as B sees it',
    );
    expect(await client.read('Deployment', 'apps/v1', `login-worker-${slug}`)).toBeDefined();

    expect((await rest(a, 'POST', '/shared-agent-pool/init')).status).toBe(200);
    const initialized = (await rest(b, 'GET', '/shared-agent-pool')).body;
    expect(initialized).toMatchObject({ initialized: true, replicas: 2 });
    expect((await rest(a, 'POST', '/shared-agent-pool/scale', { replicas: 3 })).status).toBe(200);
    expect((await rest(b, 'GET', '/shared-agent-pool')).body).toMatchObject({
      initialized: true,
      replicas: 3,
      key_id: initialized.key_id,
    });
    // B is not the leader and runs no pod informer: it lists the agents from the cluster.
    expect(b.services.leadership.isLeader()).toBe(false);
    await eventually(
      async () => {
        const s = (await rest(b, 'GET', '/shared-agent-pool')).body;
        return s.ready_replicas === 3 && s.agents.filter((p: { ready: boolean }) => p.ready).length === 3;
      },
      15_000,
      'three agents ready, as B sees them',
    );
    // And the other way round: B rotates, A shows the new key id.
    const rotated = (await rest(b, 'POST', '/shared-agent-pool/rotate-key')).body;
    expect((await rest(a, 'GET', '/shared-agent-pool')).body).toMatchObject({
      key_id: rotated.key_id,
      previous_key_id: initialized.key_id,
    });
  });
});
