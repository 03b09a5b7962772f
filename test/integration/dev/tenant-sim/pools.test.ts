import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from '../../../support/db.ts';
import { eventually } from '../../../support/kube.ts';
import { type SimHarness, startSimWithTenants } from './helpers.ts';

async function simConnections(database: string): Promise<number> {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'justiam-tenant-sim'",
      [database],
    );
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}

describe('tenant simulator: database pools per tenant', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimWithTenants(['p1', 'p2', 'p3', 'p4'], { maxPools: 2, poolIdleMs: 1500 });
  });
  afterAll(() => h?.stop());

  it('uses at most 2 connections per tenant database under 20 concurrent calls', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => h.api('p1').status()));
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    const connections = await simConnections(h.databases.get('p1')!.name);
    expect(connections).toBeGreaterThan(0);
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('keeps at most maxPools pools open, closing the least recently used, and still serves every tenant', async () => {
    for (const slug of ['p1', 'p2', 'p3', 'p4', 'p1']) {
      expect((await h.api(slug).status()).status).toBe('ok');
      expect(h.sim.openPools()).toBeLessThanOrEqual(2);
    }
    // p1 and p4 were used last: p4's pool is open (checked first, well inside poolIdleMs, which
    // would otherwise close it on a slow machine); p2's and p3's connections are gone.
    expect(await simConnections(h.databases.get('p4')!.name)).toBeGreaterThan(0);
    await eventually(
      async () => (await simConnections(h.databases.get('p2')!.name)) === 0,
      5000,
      'p2 pool closed',
    );
    await eventually(
      async () => (await simConnections(h.databases.get('p3')!.name)) === 0,
      5000,
      'p3 pool closed',
    );
  });

  it('closes pools idle for longer than poolIdleMs, and reopens on the next call', async () => {
    await h.api('p2').status();
    expect(h.sim.openPools()).toBeGreaterThan(0);
    await eventually(() => h.sim.openPools() === 0, 5000, 'all pools closed');
    await eventually(
      async () => (await simConnections(h.databases.get('p2')!.name)) === 0,
      5000,
      'no connections',
    );
    expect((await h.api('p2').status()).status).toBe('ok');
    expect(h.sim.openPools()).toBe(1);
  });
});
