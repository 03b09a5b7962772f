import { Client, fetchExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { refetchOnReconnectExchange } from '../../../client/src/graphql/refetch-exchange.ts';

/** A client whose "API" counts requests per query, and a hand to fire the reconnect signal. */
function setUp() {
  const listeners: (() => void)[] = [];
  const requests: string[] = [];
  const client = new Client({
    url: 'http://api.test/graphql',
    preferGetMethod: false,
    fetch: async (_url, init) => {
      const { query } = JSON.parse(String(init?.body)) as { query: string };
      requests.push(query.includes('tenants') ? 'tenants' : 'other');
      return new Response(JSON.stringify({ data: { tenants: [] } }), {
        headers: { 'content-type': 'application/json' },
      });
    },
    exchanges: [refetchOnReconnectExchange((l) => listeners.push(l)), fetchExchange],
  });
  return {
    client,
    requests,
    reconnect: () => {
      for (const l of listeners) l();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('refetchOnReconnectExchange', () => {
  it('reads every query on screen again from the API when the live connection comes back', async () => {
    const { client, requests, reconnect } = setUp();
    const seen: unknown[] = [];
    const { unsubscribe } = client.query('query { tenants }', {}).subscribe((r) => seen.push(r.data));
    await settle();
    expect(requests).toEqual(['tenants']);
    reconnect();
    await settle();
    expect(requests).toEqual(['tenants', 'tenants']);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    unsubscribe();
  });

  it('forgets queries that left the screen', async () => {
    const { client, requests, reconnect } = setUp();
    const { unsubscribe } = client.query('query { tenants }', {}).subscribe(() => {});
    await settle();
    unsubscribe();
    reconnect();
    await settle();
    expect(requests).toEqual(['tenants']);
  });
});
