import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

/**
 * The infrastructure view against the cluster simulator and real PostgreSQL: pods grouped by
 * component with their versions and drift, and the tenants' database server with each tenant's size.
 */
describe('infrastructure status', () => {
  const server = useTestServer({ KUBE_SIM_POD_DELAY_MS: '20', STATUS_POLL_INTERVAL_MS: '3600000' });
  const slug = uniqueSlug('infra');
  afterAll(() => dropTenantDatabases([slug]));

  const pod = (name: string, app: string, image: string, labels: Record<string, string> = {}): V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: server.services.cluster.namespace,
      labels: { 'app.kubernetes.io/name': app, ...labels },
    },
    spec: { containers: [{ name: 'main', image }] },
  });

  beforeAll(async () => {
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug, admin_email: null })).status).toBe(
      201,
    );
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'active',
    );
    const cluster = server.services.cluster;
    await cluster.ensure(pod('backend-a', 'justiam-backend', 'ghcr.io/justiam/backend:1.4.0'));
    await cluster.ensure(pod('backend-b', 'justiam-backend', 'ghcr.io/justiam/backend:1.4.1'));
    await cluster.ensure(
      pod(`login-worker-${slug}-x`, 'justiam-login-worker', 'ghcr.io/justiam/login-worker:1.4.0', {
        'justiam.io/tenant': slug,
      }),
    );
    await cluster.ensure(
      pod('agent-gpu-0', 'justiam-agent', 'registry.local:5000/justiam/agent:2.0.0', {
        'justiam.io/pool': 'gpu',
      }),
    );
    await cluster.ensure(pod('cp-0', 'justiam-control-plane', 'ghcr.io/justiam/control-plane:0.1.0'));
    expect((await rest(server, 'POST', '/pools', { name: 'gpu', labels: ['gpu'] })).status).toBe(201);
    await cluster.ensure(pod('unrelated', 'something-else', 'nginx:1'));
  }, 30_000);

  it('groups pods by component with versions, drift and readiness, on REST and GraphQL', async () => {
    const body = await eventually(
      async () => {
        const b = (await rest(server, 'GET', '/infrastructure')).body;
        const ready = b.components
          .flatMap((c: { pods: { ready: boolean }[] }) => c.pods)
          .every((p: { ready: boolean }) => p.ready);
        return ready &&
          b.components.find((c: { component: string }) => c.component === 'backend').pods.length === 2
          ? b
          : undefined;
      },
      10_000,
      'every pod ready',
    );
    const byName = Object.fromEntries(body.components.map((c: { component: string }) => [c.component, c]));
    expect(Object.keys(byName)).toEqual(['backend', 'login_worker', 'agent', 'control_plane']);
    expect(byName.backend).toMatchObject({ versions: ['1.4.0', '1.4.1'], version_drift: true });
    expect(byName.login_worker).toMatchObject({ versions: ['1.4.0'], version_drift: false });
    expect(byName.login_worker.pods[0]).toMatchObject({
      tenant: slug,
      phase: 'Running',
      ready: true,
      restarts: 0,
    });
    expect(byName.agent.pods[0]).toMatchObject({ name: 'agent-gpu-0', version: '2.0.0', pool: 'gpu' });
    expect(byName.control_plane.pods.map((p: { name: string }) => p.name)).toEqual(['cp-0']);
    expect(JSON.stringify(body)).not.toContain('unrelated');
    expect(body.agent_pools).toEqual([
      expect.objectContaining({
        name: 'gpu',
        agents: [expect.objectContaining({ name: 'agent-gpu-0', version: '2.0.0' })],
      }),
    ]);

    expect(body.database_error).toBeNull();
    expect(body.database.server_version).toMatch(/^\d+/);
    expect(body.database.max_connections).toBeGreaterThan(0);
    expect(body.database.connections).toBeGreaterThan(0);
    const mine = body.database.tenants.find((t: { slug: string }) => t.slug === slug);
    expect(mine.size_bytes).toBeGreaterThan(1_000_000);

    const viaGraphql = await gql<{
      infrastructure: { components: { component: string; versionDrift: boolean }[] };
    }>(server, '{ infrastructure { components { component versionDrift } } }');
    expect(viaGraphql.body.data!.infrastructure.components).toContainEqual({
      component: 'BACKEND',
      versionDrift: true,
    });
  });

  it('needs a signed-in operator', async () => {
    expect((await rest(server, 'GET', '/infrastructure', undefined, {})).status).toBe(401);
    expect((await rest(server, 'GET', '/infrastructure', undefined, server.viewerHeaders)).status).toBe(200);
  });
});
