import { describe, expect, it } from 'vitest';
import { SELF_SERVICE_MUTATIONS } from '../../../../schema/auth.ts';
import { schema } from '../../../../schema/index.ts';
import type { Topic } from '../../../../server/events/topics.ts';
import { restRoutes } from '../../../../server/http/rest/routes.ts';
import { operationsFor } from '../../../support/schema-walk.ts';
import { gql, useTestServer } from '../../../support/server.ts';
import { collect, subscribed, unsubscribed, wsClient } from '../../../support/ws.ts';

const queries = operationsFor(schema.getQueryType()!, 'query');
const mutations = operationsFor(schema.getMutationType()!, 'mutation');
const subscriptions = operationsFor(schema.getSubscriptionType()!, 'subscription');

/** The bus topic each subscription listens on: its registration is the signal that it was accepted. */
const TOPIC_OF: Record<string, Topic> = {
  auditEvents: 'audit.recorded',
  tenantOperation: 'tenant.operation',
  tenantUpdated: 'tenant.updated',
  dashboardChanged: 'tenant.updated',
  licenseChanged: 'license.changed',
  agentPoolChanged: 'pool.changed',
  sharedAgentPoolChanged: 'shared-agent-pool.changed',
  workerUpgradeChanged: 'worker-upgrade.changed',
  infrastructureChanged: 'cluster.changed',
  tenantBackupChanged: 'tenant.backup',
};

describe('authorization on every field and route', () => {
  // The infrastructure feed lets go of the bus as soon as its last subscriber leaves.
  const server = useTestServer({ INFRASTRUCTURE_FEED_IDLE_MS: '0' });

  it('the schema has the fields this test walks', () => {
    expect(queries.map((q) => q.name)).toEqual(expect.arrayContaining(['tenants', 'auditLog', 'me', 'node']));
    expect(mutations.map((m) => m.name)).toEqual(
      expect.arrayContaining(['createTenant', 'deleteTenant', 'createApiToken']),
    );
    expect(subscriptions.length).toBeGreaterThanOrEqual(3);
  });

  it.each([...queries, ...mutations].map((op) => [op.name, op] as const))(
    '%s refuses a request without credentials: 401 UNAUTHENTICATED',
    async (_name, op) => {
      const { status, body } = await gql(server, op.query, op.variables, {});
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(status).toBe(401);
      expect(body.data?.[op.name as never] ?? null).toBeNull();
    },
  );

  it.each(
    mutations.filter((op) => !SELF_SERVICE_MUTATIONS.includes(op.name)).map((op) => [op.name, op] as const),
  )('mutation %s refuses a viewer: 403 FORBIDDEN', async (_name, op) => {
    const { status, body } = await gql(server, op.query, op.variables, server.viewerHeaders);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(status).toBe(403);
  });

  it.each(
    SELF_SERVICE_MUTATIONS.map((name) => mutations.find((op) => op.name === name)!).map(
      (op) => [op.name, op] as const,
    ),
  )('mutation %s on the caller’s own account is open to a viewer', async (_name, op) => {
    const { body } = await gql(server, op.query, op.variables, server.viewerHeaders);
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).not.toContain('FORBIDDEN');
    expect(codes).not.toContain('UNAUTHENTICATED');
  });

  it.each(queries.map((op) => [op.name, op] as const))('query %s is open to a viewer', async (_name, op) => {
    const { body } = await gql(server, op.query, op.variables, server.viewerHeaders);
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).not.toContain('FORBIDDEN');
    expect(codes).not.toContain('UNAUTHENTICATED');
  });

  it.each(subscriptions.map((op) => [op.name, op] as const))(
    'subscription %s: a connection without credentials is closed; a viewer may subscribe',
    async (_name, op) => {
      const anonymous = wsClient(server.url);
      const refused = collect(anonymous, op.query, op.variables);
      await expect.poll(() => refused.failure, { timeout: 5000 }).toBeTruthy();
      expect((refused.failure as { code?: number }).code).toBe(4403);
      await anonymous.dispose();

      const topic = TOPIC_OF[op.name];
      if (!topic)
        throw new Error(`add subscription ${op.name} to TOPIC_OF: which bus topic does it listen on?`);
      const viewer = wsClient(server.url, { authorization: server.viewerHeaders.authorization });
      const allowed = collect(viewer, op.query, op.variables);
      await subscribed(server.services.bus, topic);
      expect(allowed.failure).toBeUndefined();
      allowed.stop();
      await viewer.dispose();
      await unsubscribed(server.services.bus, topic);
    },
  );

  it.each(restRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'REST %s answers 401 without credentials, before reading the body',
    async (_name, route) => {
      const path = route.path.replace(/:([a-z_]+)/g, 'x');
      const res = await fetch(`${server.url}${path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        body: route.method === 'GET' ? undefined : '{not json',
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    },
  );

  it('refuses expired-looking, malformed and unknown bearer tokens alike', async () => {
    for (const authorization of [
      'Bearer cpt_nope',
      'Bearer ',
      'Basic abc',
      `Bearer ${server.headers.authorization!.slice(7)}x`,
    ]) {
      const { status } = await gql(server, '{ me { id } }', undefined, { authorization });
      expect(status).toBe(401);
    }
  });
});
