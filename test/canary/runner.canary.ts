import pg from 'pg';
import { expect, it } from 'vitest';
import { serverUrl } from '../support/db.ts';

// Run only by scripts/test-canary.ts, which requires this file to make vitest exit non-zero.

it('reaches the PostgreSQL the global setup provides', async () => {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  } finally {
    await client.end();
  }
});

it('fails on purpose', () => {
  expect('the canary').toBe('a failure the runner must report');
});
