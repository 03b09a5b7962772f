import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';
import { collect, wsClient } from '../../../../support/ws.ts';

type OperationEvent = {
  tenantOperation: { state: string; currentStep: string | null; tenant: { state: string } };
};

describe('tenant subscriptions', () => {
  const slug = uniqueSlug('sub');
  const server = useTestServer();
  afterAll(async () => {
    await dropTenantDatabases([slug]);
  });

  it('tenantOperation streams every step, and nested fields are fresh at each event (no stale loaders)', async () => {
    const client = wsClient(server.url, server.connectionParams);
    const sub = collect<OperationEvent>(
      client,
      'subscription ($slug: String) { tenantOperation(slug: $slug) { state currentStep tenant { state } } }',
      { slug },
    );
    try {
      await expect.poll(() => server.services.bus.subscriberCount('tenant.operation')).toBeGreaterThan(0);
      const res = await fetch(`${server.url}/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...server.headers },
        body: JSON.stringify({ slug, name: 'Subscribed' }),
      });
      expect(res.status).toBe(201);
      await expect
        .poll(() => sub.results.some((e) => e.tenantOperation.state === 'SUCCEEDED'), { timeout: 15_000 })
        .toBe(true);
      const steps = sub.results.map((e) => e.tenantOperation.currentStep).filter(Boolean);
      expect(new Set(steps)).toEqual(
        new Set(['secret', 'database', 'registry', 'handoff', 'license', 'smtp']),
      );
      const last = sub.results.find((e) => e.tenantOperation.state === 'SUCCEEDED')!;
      expect(last.tenantOperation.tenant.state).toBe('ACTIVE');
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});
