import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenantSim, type TenantSim } from '../../../../server/dev/tenant-sim/index.ts';
import { createTenantApiClient } from '../../../../server/tenant-api/client.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { randomToken } from './helpers.ts';

describe('tenant simulator: schema bootstrap in the tenant database', () => {
  let database: TestDatabase;
  const sims: TenantSim[] = [];
  const token = randomToken();
  beforeAll(async () => {
    database = await createTestDatabase('tenant_sim');
    for (let i = 0; i < 3; i++)
      sims.push(
        await startTenantSim({ resolveTenant: async () => ({ databaseUrl: database.url, cpToken: token }) }),
      );
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await database?.drop();
  });

  it('three simulators meeting a new tenant at once create its schema once, without errors', async () => {
    const calls = sims.flatMap((sim) =>
      Array.from({ length: 4 }, () =>
        createTenantApiClient({ baseUrlTemplate: sim.baseUrlTemplate, retries: 0 })
          .forTenant('fresh', token)
          .migrations(),
      ),
    );
    const results = await Promise.all(calls);
    for (const r of results)
      expect(r.applied.map((m) => m.id)).toEqual(['0001_init', '0002_groups', '0003_apps']);

    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
      );
      expect(rows.map((r) => r.table_name)).toEqual([
        'admin_credentials',
        'apps',
        'groups',
        'license',
        'migrations',
        'secrets_state',
        'smtp_config',
        'users',
        'worker_config',
      ]);
      const { rows: migrations } = await c.query('select id from migrations');
      expect(migrations).toHaveLength(3);
    } finally {
      await c.end();
    }
  });

  it('applying 0004_sessions from two simulators at once creates the sessions table once', async () => {
    const apply = (sim: TenantSim) =>
      createTenantApiClient({ baseUrlTemplate: sim.baseUrlTemplate, retries: 0 })
        .forTenant('fresh', token)
        .applyMigrations();
    const [a, b] = await Promise.all([apply(sims[0]!), apply(sims[1]!)]);
    expect(a.pending).toEqual([]);
    expect(b).toEqual(a);
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      const { rows } = await c.query("select to_regclass('public.sessions') is not null as present");
      expect(rows[0].present).toBe(true);
    } finally {
      await c.end();
    }
  });
});
