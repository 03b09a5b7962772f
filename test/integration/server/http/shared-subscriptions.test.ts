import { describe, expect, it } from 'vitest';
import { eventually } from '../../../support/kube.ts';
import { gql, useTestServer } from '../../../support/server.ts';
import { collect, wsClient } from '../../../support/ws.ts';

type AuditEvent = { auditEvents: { action: string; details: { changed: string[] } } };

const SUBSCRIPTION = 'subscription { auditEvents(action: "settings.*") { action details } }';
const MUTATION = `mutation ($email: String) { updateAlertSettings(input: { alertEmail: $email }) { __typename } }`;

describe('subscribers of the same subscription share one execution per event', () => {
  const server = useTestServer();

  const counts = () => server.app.subscriptions();

  it('shares by operator and document, keeps each subscriber its own queue, and stops with the last one', async () => {
    const viewerParams = { authorization: server.viewerHeaders.authorization };
    const clients = [
      wsClient(server.url, server.connectionParams),
      wsClient(server.url, server.connectionParams),
      wsClient(server.url, viewerParams),
    ];
    const [a, b, viewer] = clients.map((c) => collect<AuditEvent>(c, SUBSCRIPTION));
    try {
      // Two admin sockets (same operator, same document) share; the viewer has an execution of its own.
      await eventually(() => counts().subscribers === 3, 5000, 'three subscribers');
      expect(counts().executions).toBe(2);

      await gql(server, MUTATION, { email: 'first@example.com' });
      for (const s of [a!, b!, viewer!]) {
        const [event] = await s.waitFor(1);
        expect(event!.auditEvents.action).toBe('settings.alerts.updated');
      }

      // One admin leaves: the other admin still receives, from the same execution.
      a!.stop();
      await eventually(() => counts().subscribers === 2, 5000, 'two subscribers');
      expect(counts().executions).toBe(2);
      await gql(server, MUTATION, { email: 'second@example.com' });
      await b!.waitFor(2);
      await viewer!.waitFor(2);
      expect(a!.results).toHaveLength(1);

      b!.stop();
      viewer!.stop();
      await eventually(() => counts().subscribers === 0, 5000, 'no subscribers');
      expect(counts().executions).toBe(0);
      expect(server.services.bus.subscriberCount('audit.recorded')).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it('a subscription refused for its caller is refused for that caller alone', async () => {
    const admin = wsClient(server.url, server.connectionParams);
    const bad = wsClient(server.url, server.connectionParams);
    const ok = collect<AuditEvent>(admin, SUBSCRIPTION);
    const refused = collect(bad, 'subscription { auditEvents(action: "settings.*") { nope } }');
    try {
      await eventually(() => refused.failure !== undefined, 5000, 'the invalid document refused');
      await eventually(() => counts().subscribers === 1, 5000, 'one subscriber');
      await gql(server, MUTATION, { email: 'third@example.com' });
      await ok.waitFor(1);
    } finally {
      ok.stop();
      await Promise.all([admin.dispose(), bad.dispose()]);
    }
  });
});
