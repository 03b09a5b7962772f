import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../../../server/db/pool.ts';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../support/db.ts';
import { eventually } from '../../../support/kube.ts';

describe('createPool', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('cp_pool');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('survives the backend of a checked-out client being terminated, and discards that client', async () => {
    const pool = createPool({ connectionString: database.url, max: 2, application_name: 'pool-test' });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      await client.query('begin');
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');

      // Terminated between statements: pg-pool listens only on idle clients.
      const admin = new pg.Client({ connectionString: serverUrl() });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();

      // No listener of the test's own: the pool's must be the one that takes the error.
      await eventually(
        () => !(client as unknown as { _queryable: boolean })._queryable,
        5000,
        'connection lost',
      );
      await expect(client.query('select 1')).rejects.toThrow(/not queryable|terminat/i);
      client.release();
      expect(pool.totalCount).toBe(0);

      // The pool opens a fresh connection for the next caller.
      const next = await pool.query<{ one: number }>('select 1 as one');
      expect(next.rows[0]!.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
    }
  });
});
