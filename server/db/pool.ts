import pg from 'pg';

/**
 * A pg pool whose clients can lose their connection (the server restarts, an administrator
 * terminates the backend, `DROP DATABASE … WITH (FORCE)`) without crashing the process.
 *
 * pg-pool listens for errors only on idle clients. A client that is checked out but between
 * statements (inside a transaction, say) emits `error` with nobody listening, which Node turns into
 * an uncaught exception. Every client gets a listener of its own here; the statement that runs next
 * on it fails with pg's "not queryable" error, and the pool discards the client on release.
 */
export function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

function ignore(): void {}
