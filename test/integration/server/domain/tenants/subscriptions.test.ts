import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';
import { collect, wsClient } from '../../../../support/ws.ts';

type OperationEvent = {
  tenantOperation: {
    state: string;
    currentStep: string | null;
    steps: { name: string; state: string }[];
    tenant: { state: string };
  };
};

const CREATE_STEPS = ['record', 'secret', 'database', 'registry', 'handoff', 'license', 'smtp'];

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
      'subscription ($slug: String) { tenantOperation(slug: $slug) { state currentStep steps { name state } tenant { state } } }',
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
      // Every step publishes when it starts and when it ends, and each event is resolved from the
      // operation as it is when the resolver reads it (fresh, never a stale loader). Two events close
      // together may therefore both show the later step, so the check is: at least one event per
      // step, steps seen in their order only, progress never going back, and every step done at the end.
      const events = sub.results.map((e) => e.tenantOperation);
      // 'record' is done when the operation is created, before any event.
      expect(events.length).toBeGreaterThanOrEqual(CREATE_STEPS.length - 1);
      const seen = events.map((e) => e.currentStep).filter((s): s is string => s !== null);
      const order = seen.map((s) => CREATE_STEPS.indexOf(s));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      const done = events.map((e) => e.steps.filter((s) => s.state === 'DONE').length);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      const final = events.find((e) => e.state === 'SUCCEEDED')!;
      expect(final.steps.map((s) => s.name)).toEqual(CREATE_STEPS);
      expect(final.steps.every((s) => s.state === 'DONE')).toBe(true);
      const last = sub.results.find((e) => e.tenantOperation.state === 'SUCCEEDED')!;
      expect(last.tenantOperation.tenant.state).toBe('ACTIVE');
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});
