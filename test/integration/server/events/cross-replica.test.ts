import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { eventually } from '../../../support/kube.ts';
import { gql, startTestServer, type TestServer } from '../../../support/server.ts';
import { collect, wsClient } from '../../../support/ws.ts';

type AuditEvent = {
  auditEvents: { action: string; details: { changed: string[] }; actor: { kind: string } };
};

const SUBSCRIPTION = 'subscription { auditEvents(action: "settings.*") { action details actor { kind } } }';
const MUTATION = `mutation ($email: String) {
  updateAlertSettings(input: { alertEmail: $email }) { __typename }
}`;

/** Waits until each server has registered `count` audit listeners (graphql-ws acknowledges nothing). */
const settle = (servers: TestServer[], count = 1) =>
  eventually(
    () => servers.every((s) => s.services.bus.subscriberCount('audit.recorded') >= count),
    5000,
    'subscribers',
  );

describe('event bus across replicas', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([startTestServer(database.url), startTestServer(database.url)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });
  // Each test starts with no subscriber left over from the one before.
  beforeEach(() =>
    eventually(
      () => [a, b].every((s) => s.services.bus.subscriberCount('audit.recorded') === 0),
      5000,
      'no subscribers',
    ),
  );

  it('delivers to a graphql-ws subscriber on instance A an event caused by a mutation on instance B', async () => {
    const client = wsClient(a.url, a.connectionParams);
    const sub = collect<AuditEvent>(client, SUBSCRIPTION);
    try {
      await settle([a]);
      const { body } = await gql(b, MUTATION, { email: 'ops-b@example.com' });
      expect(body.data).toEqual({
        updateAlertSettings: { __typename: 'MutationUpdateAlertSettingsSuccess' },
      });
      const [event] = await sub.waitFor(1);
      expect(event?.auditEvents).toEqual({
        action: 'settings.alerts.updated',
        details: { changed: ['alertEmail'] },
        actor: { kind: 'token' },
      });
    } finally {
      sub.stop();
      await client.dispose();
    }
  });

  it('delivers every event, in commit order, to subscribers on both instances', async () => {
    const clients = [wsClient(a.url, a.connectionParams), wsClient(b.url, b.connectionParams)];
    const subs = clients.map((c) => collect<AuditEvent>(c, SUBSCRIPTION));
    try {
      await settle([a, b]);
      for (let i = 0; i < 5; i++) await gql(i % 2 ? a : b, MUTATION, { email: `o${i}@example.com` });
      const [onA, onB] = await Promise.all(subs.map((s) => s.waitFor(5)));
      expect(onA).toHaveLength(5);
      expect(onB).toEqual(onA);
    } finally {
      for (const s of subs) s.stop();
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it('sends nothing for a change that was refused', async () => {
    const client = wsClient(a.url, a.connectionParams);
    const sub = collect<AuditEvent>(client, SUBSCRIPTION);
    try {
      await settle([a]);
      const { body } = await gql(b, MUTATION, { email: 'not-an-email' });
      expect(body.data).toEqual({ updateAlertSettings: { __typename: 'ValidationError' } });
      // Events arrive in commit order: once a later change's event is in, any event of the
      // refused one would be in too.
      await gql(b, MUTATION, { email: 'after-the-refusal@example.com' });
      const [first] = await sub.waitFor(1);
      expect(first?.auditEvents.details).toEqual({ changed: ['alertEmail'] });
      expect(sub.results).toHaveLength(1);
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});
