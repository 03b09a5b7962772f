import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, isReady, migrateToLatest } from '../../../../server/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('apply once even when several replicas migrate the same database at the same moment', async () => {
    const replicas = Array.from({ length: 4 }, () => createDb({ url: database.url, max: 2 }));
    try {
      expect(await isReady(replicas[0]!.db)).toBe(false);
      const results = await Promise.all(replicas.map((r) => migrateToLatest(r.db)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied).toEqual([
        '2026-11-28T0001-foundation',
        '2026-11-28T0002-tenants',
        '2026-11-28T0003-tenant-secrets',
        '2026-11-28T0004-operators',
        '2026-12-01T0001-dashboard',
        '2026-12-01T0002-tenant-repair',
        '2026-12-02T0001-license',
        '2026-12-02T0002-license-claims',
        '2026-12-02T0003-workers',
        '2026-12-02T0004-worker-upgrades',
        '2026-12-02T0005-backups',
        '2026-12-02T0006-settings-smtp-alerts',
        '2026-12-03T0001-audit-names',
        '2026-12-03T0002-tenant-list-orders',
        '2026-12-04T0001-auth-revocation-events',
        '2026-12-04T0002-private-database',
      ]);
      expect(await isReady(replicas[0]!.db)).toBe(true);
      // Idempotent: a later start finds nothing to do.
      expect((await migrateToLatest(replicas[1]!.db)).applied).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.db.destroy()));
    }
  });

  it('leaves the database closed to the other roles of its server (a tenant role, say)', async () => {
    const role = `cp_outsider_${process.pid}`;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`create role "${role}" login password 'outsider-pass'`);
      const as = (name: string) => {
        const url = new URL(database.url);
        url.username = role;
        url.password = 'outsider-pass';
        url.pathname = `/${name}`;
        return new pg.Client({ connectionString: url.toString() });
      };
      // Another database of the server still lets it in: the refusal is this database's own.
      const elsewhere = as('postgres');
      await elsewhere.connect();
      await elsewhere.end();
      await expect(as(database.name).connect()).rejects.toThrow(/permission denied for database/);
    } finally {
      await admin.query(`drop role if exists "${role}"`);
      await admin.end();
    }
  });
});
