import type pg from 'pg';
import type { Logger } from '../../../log.ts';

export type OperationLocks = {
  /** Takes the lock for `key` if nobody (in any replica) holds it. */
  tryLock(key: string): Promise<boolean>;
  unlock(key: string): Promise<void>;
  /** Changes whenever the lock connection was lost, which released every lock this process held. */
  generation(): number;
  close(): Promise<void>;
};

/**
 * Session-level PostgreSQL advisory locks on one dedicated connection. A crashed process loses its
 * connection, and with it its locks, so another replica (or the same one restarted) can resume the
 * work at once — no lease to wait out.
 */
export function createOperationLocks(connect: () => pg.Client, logger: Logger): OperationLocks {
  let client: Promise<pg.Client> | undefined;
  let generation = 0;
  let closed = false;
  // Advisory locks are re-entrant within a session: keep our own set so two local runs exclude each other too.
  const held = new Set<string>();
  // One query at a time on the shared connection (pg deprecates queuing on a busy client).
  let queue: Promise<unknown> = Promise.resolve();
  function query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<T>> {
    const run = queue.then(async () => (await connection()).query<T>(sql, params));
    queue = run.catch(() => {});
    return run;
  }

  function connection(): Promise<pg.Client> {
    if (closed) return Promise.reject(new Error('operation locks are closed'));
    client ??= (async () => {
      const c = connect();
      c.on('error', (error) => {
        logger.warn(
          { err: error },
          'operation lock connection lost; running operations stop at their next step',
        );
        generation += 1;
        held.clear();
        client = undefined;
        void c.end().catch(() => {});
      });
      await c.connect();
      return c;
    })().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  }

  return {
    async tryLock(key) {
      if (held.has(key)) return false;
      held.add(key);
      try {
        const { rows } = await query<{ ok: boolean }>(
          'select pg_try_advisory_lock(hashtextextended($1, 0)) as ok',
          [key],
        );
        if (!rows[0]!.ok) held.delete(key);
        return rows[0]!.ok;
      } catch (error) {
        held.delete(key);
        throw error;
      }
    },
    async unlock(key) {
      held.delete(key);
      await query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    },
    generation: () => generation,
    async close() {
      closed = true;
      const c = await client?.catch(() => undefined);
      await c?.end().catch(() => {});
    },
  };
}
