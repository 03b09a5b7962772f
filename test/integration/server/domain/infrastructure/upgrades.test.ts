import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../../server/cluster/client.ts';
import {
  dedicatedLoginWorker,
  sharedAgentPool,
  sharedLoginWorker,
} from '../../../../../server/cluster/resources.ts';
import { prepareCreate } from '../../../../../server/dev/kube-sim/objects.ts';
import { startTenantSim, type TenantSim } from '../../../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../../../server/dev/tenant-sim/resolver.ts';
import { POD } from '../../../../bench/cluster-informer/seed.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../../support/kube.ts';
import { gql, rest, startTestServer, type TestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';
import { collect, wsClient } from '../../../../support/ws.ts';

const MISSING = '9.9.9-missing';
type Upgrade = {
  id: string;
  state: string;
  version: string;
  previous_version: string | null;
  rollback_of: string | null;
  error: string | null;
  deployments: {
    name: string;
    from_version: string;
    to_version: string;
    done: boolean;
    updated_replicas: number;
  }[];
};

/**
 * Worker version upgrades against a cluster simulator run here (so the test can drop its watches),
 * with the simulator's registry lacking one tag: an upgrade rolls every Deployment of a component
 * and every pod reaches the new tag; one to the missing tag stalls and is reported stuck; a
 * rollback restores each Deployment's old image; requests are validated, serialized per component
 * and audited; workers made after an upgrade start on its version; a dropped watch mid-upgrade
 * does not lose the rollout.
 */
describe('worker version upgrades', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let client: ClusterClient;
  let backend: TenantSim;
  let dir: string;
  let server: TestServer;
  const slug = uniqueSlug('upg');

  const deploymentImage = async (name: string) =>
    (await client.read<V1Deployment>('Deployment', 'apps/v1', name))?.spec?.template?.spec?.containers?.[0]
      ?.image;
  const podsOf = async (app: string) =>
    (await client.list<V1Pod>('Pod', 'v1', `app.kubernetes.io/name=${app}`)).filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
  const allOn = async (app: string, tag: string, count: number) => {
    const pods = await podsOf(app);
    return (
      pods.length === count &&
      pods.every(
        (p) =>
          p.spec?.containers?.[0]?.image?.endsWith(`:${tag}`) &&
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
    );
  };
  const upgrade = async (id: string) =>
    (await rest(server, 'GET', `/infrastructure/upgrades/${id}`)).body as Upgrade;
  const ended = (id: string, timeoutMs = 15_000) =>
    eventually(
      async () => {
        const u = await upgrade(id);
        return u.state !== 'running' ? u : undefined;
      },
      timeoutMs,
      `upgrade ${id} ended`,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster({ podStartDelayMs: 20, watchHistory: 50, unpullableTags: [MISSING] });
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    backend = await startTenantSim({
      resolveTenant: secretResolver(cluster.kubeConfig, cluster.namespace),
      resolveCacheMs: 0,
    });
    dir = await mkdtemp(join(tmpdir(), 'cp-upgrades-'));
    await cluster.sim.writeKubeconfig(join(dir, 'kubeconfig'));
    server = await startTestServer(database.url, {
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: join(dir, 'kubeconfig'),
      TENANT_API_URL: backend.baseUrlTemplate,
      STATUS_POLL_INTERVAL_MS: '3600000',
      DRIFT_CHECK_INTERVAL_MS: '3600000',
      UPGRADE_POLL_INTERVAL_MS: '50',
      UPGRADE_PROGRESS_DEADLINE_SECONDS: '2',
      LOGIN_WORKER_IMAGE: 'ghcr.io/justiam/login-worker:1.4.0',
    });
    const ns = cluster.namespace;
    await client.ensure(sharedLoginWorker(ns, 'ghcr.io/justiam/login-worker:1.4.0', 2));
    await client.ensure(dedicatedLoginWorker(ns, 'acme', 'ghcr.io/justiam/login-worker:1.4.0'));
    await client.ensure(sharedAgentPool(ns, 'registry.local:5000/justiam/agent:2.0.0', 2));
    await eventually(() => allOn('justiam-login-worker', '1.4.0', 3), 10_000, 'login workers ready');
    await eventually(() => allOn('justiam-agent', '2.0.0', 2), 10_000, 'agents ready');
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
    await cluster?.stop();
    await dropTenantDatabases([slug]);
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses bad requests with 400 and records nothing', async () => {
    for (const [body, field] of [
      [{ component: 'backend', version: '1.0.0' }, 'component'],
      [{ component: 'login-worker', version: 'bad tag!' }, 'version'],
      [{ component: 'login-worker', version: '-1.0' }, 'version'],
      [{ component: 'login-worker', version: 'x'.repeat(129) }, 'version'],
      [{ component: 'login-worker' }, 'version'],
      [{ component: 'agent', version: '1.0.0', extra: true }, '(input)'],
    ] as const) {
      const res = await rest(server, 'POST', '/infrastructure/upgrades', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error), JSON.stringify(body)).toContain(
        field === '(input)' ? '' : field,
      );
    }
    expect((await rest(server, 'GET', '/infrastructure/upgrades')).body.upgrades).toEqual([]);
    expect(await deploymentImage('login-worker-shared')).toBe('ghcr.io/justiam/login-worker:1.4.0');
  });

  it('rolls every login-worker Deployment, shared and dedicated, to the new tag', async () => {
    const res = await rest(server, 'POST', '/infrastructure/upgrades', {
      component: 'login-worker',
      version: '1.4.2',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      component: 'login_worker',
      version: '1.4.2',
      previous_version: '1.4.0',
    });
    const done = await ended(res.body.id);
    expect(done.state).toBe('succeeded');
    expect(done.deployments.map((d) => [d.name, d.from_version, d.to_version, d.done])).toEqual([
      ['login-worker-acme', '1.4.0', '1.4.2', true],
      ['login-worker-shared', '1.4.0', '1.4.2', true],
    ]);
    await eventually(
      () => allOn('justiam-login-worker', '1.4.2', 3),
      10_000,
      'every login-worker pod on 1.4.2',
    );
    // The agents were not touched.
    expect(await allOn('justiam-agent', '2.0.0', 2)).toBe(true);
    const infra = (await rest(server, 'GET', '/infrastructure')).body;
    const login = infra.components.find((c: { component: string }) => c.component === 'login_worker');
    expect(login).toMatchObject({ versions: ['1.4.2'], requested_version: '1.4.2', version_drift: false });
    const audit = (await rest(server, 'GET', '/audit?target_kind=workers')).body.entries.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['workers.upgrade.requested', 'workers.upgrade.completed']));
  });

  it('flags drift when a worker runs another version than the one requested', async () => {
    // Someone sets one Deployment back by hand: its pods leave the requested version.
    await client.modify<V1Deployment>('Deployment', 'apps/v1', 'login-worker-acme', (d) => {
      d.spec!.template!.spec!.containers[0]!.image = 'ghcr.io/justiam/login-worker:1.4.0';
      return true;
    });
    const login = await eventually(
      async () => {
        const c = (await rest(server, 'GET', '/infrastructure')).body.components.find(
          (x: { component: string }) => x.component === 'login_worker',
        );
        return c.version_drift && c.versions.includes('1.4.0') ? c : undefined;
      },
      10_000,
      'drift flagged',
    );
    expect(login.requested_version).toBe('1.4.2');
    await client.modify<V1Deployment>('Deployment', 'apps/v1', 'login-worker-acme', (d) => {
      d.spec!.template!.spec!.containers[0]!.image = 'ghcr.io/justiam/login-worker:1.4.2';
      return true;
    });
    await eventually(() => allOn('justiam-login-worker', '1.4.2', 3), 10_000, 'back on 1.4.2');
  });

  it('reports a stalled rollout as stuck, serializes requests, and rolls back to the old tag', async () => {
    const res = await rest(server, 'POST', '/infrastructure/upgrades', {
      component: 'agent',
      version: MISSING,
    });
    expect(res.status).toBe(202);
    // One upgrade per component at a time; another component is free.
    const second = await rest(server, 'POST', '/infrastructure/upgrades', {
      component: 'agent',
      version: '2.0.1',
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('UPGRADE_IN_PROGRESS');

    const stuck = await ended(res.body.id);
    expect(stuck.state).toBe('stuck');
    expect(stuck.error).toContain(`agent-shared: 0 of 2 replicas ready on ${MISSING} (ImagePullBackOff)`);
    // The old pods keep serving while the new ones cannot start.
    const pods = await podsOf('justiam-agent');
    expect(
      pods.filter(
        (p) =>
          p.spec?.containers?.[0]?.image?.endsWith(':2.0.0') &&
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      ),
    ).toHaveLength(2);

    const rollback = await rest(server, 'POST', `/infrastructure/upgrades/${res.body.id}/rollback`);
    expect(rollback.status).toBe(202);
    expect(rollback.body).toMatchObject({
      version: '2.0.0',
      previous_version: MISSING,
      rollback_of: res.body.id,
    });
    const back = await ended(rollback.body.id);
    expect(back.state).toBe('succeeded');
    expect(await deploymentImage('agent-shared')).toBe('registry.local:5000/justiam/agent:2.0.0');
    await eventually(
      () => allOn('justiam-agent', '2.0.0', 2),
      10_000,
      'agents back on 2.0.0, no new pod left',
    );
    expect((await upgrade(res.body.id)).state).toBe('rolled_back');

    // Rolling back twice, or an upgrade that is not the latest, is refused; unknown ids are 404.
    const again = await rest(server, 'POST', `/infrastructure/upgrades/${res.body.id}/rollback`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_LATEST_UPGRADE');
    for (const id of ['5f0c6d2e-8f43-4f7e-9d6b-1c2a3b4c5d6e', 'not-a-uuid']) {
      expect((await rest(server, 'POST', `/infrastructure/upgrades/${id}/rollback`)).status).toBe(404);
      expect((await rest(server, 'GET', `/infrastructure/upgrades/${id}`)).status).toBe(404);
    }
  });

  it('starts workers made after an upgrade on its version', async () => {
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'tenant active',
    );
    expect((await rest(server, 'PUT', `/tenants/${slug}/login-worker`, { mode: 'dedicated' })).status).toBe(
      200,
    );
    const image = await eventually(() => deploymentImage(`login-worker-${slug}`), 15_000, 'dedicated worker');
    expect(image).toBe('ghcr.io/justiam/login-worker:1.4.2');
  });

  it('follows a rollout across dropped watches (410 Gone on resume)', async () => {
    const res = await rest(server, 'POST', '/infrastructure/upgrades', {
      component: 'login-worker',
      version: '1.5.0',
    });
    expect(res.status).toBe(202);
    // Drop every watch while the rollout runs, with more pod changes meanwhile than the simulator
    // keeps: resuming from the last resourceVersion gets 410 Gone, and the informers list again.
    const relists = () => server.services.workloads.status().reduce((n, s) => n + s.relists, 0);
    const before = relists();
    for (let i = 0; i < 3; i++) {
      cluster.sim.store.closeAllWatches();
      // In the same turn, before any watch can resume: 60 pod changes, more than the 50 kept.
      for (let j = 0; j < 60; j++) {
        const name = `churn-${i}-${j}`;
        cluster.sim.store.create(
          POD,
          prepareCreate(
            POD,
            { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
            cluster.namespace,
          ),
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await eventually(() => relists() > before, 10_000, 'the informers listed again');
    const done = await ended(res.body.id);
    expect(done.state).toBe('succeeded');
    await eventually(() => allOn('justiam-login-worker', '1.5.0', 4), 10_000, 'every login worker on 1.5.0');
    const read = () =>
      gql<{ infrastructure: any }>(
        server,
        'query { infrastructure { components { component versions versionDrift } upgrades { version state } } }',
      );
    const loginOf = (data: { infrastructure: any }) =>
      data.infrastructure.components.find((c: { component: string }) => c.component === 'LOGIN_WORKER');
    // The simulator is there first; the informers' view follows it, the old pods' deletions last.
    await eventually(
      async () => loginOf((await read()).body.data!).versions.join() === '1.5.0',
      10_000,
      'the informers see only 1.5.0',
    );
    const { body } = await read();
    const login = loginOf(body.data!);
    expect(login).toEqual({ component: 'LOGIN_WORKER', versions: ['1.5.0'], versionDrift: false });
    expect(body.data!.infrastructure.upgrades).toEqual(
      expect.arrayContaining([
        { version: '1.5.0', state: 'SUCCEEDED' },
        { version: '2.0.0', state: 'SUCCEEDED' },
      ]),
    );
  });

  it('resumes a recorded upgrade the leader had not finished', async () => {
    // As a crash leaves it: recorded and planned, one Deployment's image not yet written.
    const db = server.services.db;
    const row = await db
      .insertInto('worker_upgrades')
      .values({
        component: 'agent',
        version: '2.1.0',
        previous_version: '2.0.0',
        rollback_of: null,
        error: null,
        requested_by: 'admin@test.local',
        planned: true,
        deployments: JSON.stringify([
          {
            name: 'agent-shared',
            tenant: null,
            pool: null,
            fromImage: 'registry.local:5000/justiam/agent:2.0.0',
            toImage: 'registry.local:5000/justiam/agent:2.1.0',
            applied: false,
            replicas: 2,
            updatedReplicas: 0,
            readyReplicas: 0,
            totalReplicas: 0,
            generation: 0,
            observedGeneration: 0,
            done: false,
            gone: false,
          },
        ]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const done = await ended(row.id);
    expect(done.state).toBe('succeeded');
    await eventually(() => allOn('justiam-agent', '2.1.0', 2), 10_000, 'agents on 2.1.0');

    // Subscribing after it ended still tells how it ended: the first message is the upgrade now.
    const ws = wsClient(server.url, server.connectionParams);
    const sub = collect<{ workerUpgradeChanged: { id: string; state: string } }>(
      ws,
      'subscription ($id: ID!) { workerUpgradeChanged(id: $id) { id state } }',
      { id: row.id },
    );
    const [first] = await sub.waitFor(1, 5000);
    expect(first!.workerUpgradeChanged).toEqual({ id: row.id, state: 'SUCCEEDED' });
    sub.stop();
    await ws.dispose();
  });
});
