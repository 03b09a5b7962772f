import pg from 'pg';

/** What the PostgreSQL server went through while one batch ran. */
export type ServerLoad = { checkpoints: number; peakConnections: number };

export type ServerWatch = {
  maxConnections: number;
  /** Runs `work`, noting checkpoints completed and the most client connections seen meanwhile. */
  observe<T>(work: () => Promise<T>): Promise<T & ServerLoad>;
  /**
   * Ends the tenant simulator's idle connections to a tenant's database (see the `release` option
   * of the benchmark); returns how many it ended.
   */
  releaseBackendConnections(slug: string): Promise<number>;
  stop(): Promise<void>;
};

/**
 * Watches the PostgreSQL server the tenants live on. Provisioning writes a lot of WAL (each new
 * database is a copy of template1), so checkpoints happen mid-run and explain outliers on either
 * side; the connection count shows how close the run came to `max_connections`.
 */
export async function watchServer(serverUrl: string): Promise<ServerWatch> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'tenants-bench-watch' });
  await client.connect();
  const max = Number(
    (await client.query<{ max_connections: string }>('show max_connections')).rows[0]!.max_connections,
  );
  // PostgreSQL 17 moved the checkpoint counters from pg_stat_bgwriter to pg_stat_checkpointer.
  const { rows } = await client.query<{ v17: boolean }>(
    `select to_regclass('pg_catalog.pg_stat_checkpointer') is not null as v17`,
  );
  const checkpointSql = rows[0]!.v17
    ? 'select (num_timed + num_requested)::int as n from pg_stat_checkpointer'
    : 'select (checkpoints_timed + checkpoints_req)::int as n from pg_stat_bgwriter';
  // One connection, one query at a time: the sampler and the batch's own queries take turns.
  let queue: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> => {
    const next = queue.then(() => client.query<R>(text, values));
    queue = next.catch(() => {});
    return next;
  };
  const checkpoints = async () => (await query<{ n: number }>(checkpointSql)).rows[0]!.n;

  let peak = 0;
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where backend_type = 'client backend'`,
    )
      .then((r) => {
        peak = Math.max(peak, r.rows[0]!.n);
      })
      .catch(() => {})
      .finally(() => {
        sampling = false;
      });
  }, 100);

  return {
    maxConnections: max,
    async observe(work) {
      peak = 0;
      const before = await checkpoints();
      const result = await work();
      // The counters are updated when a checkpoint ends and reach the statistics a moment later.
      await new Promise((r) => setTimeout(r, 100));
      return { ...result, checkpoints: (await checkpoints()) - before, peakConnections: peak };
    },
    async releaseBackendConnections(slug) {
      const r = await query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = $1 and application_name = 'justiam-tenant-sim' and state = 'idle'`,
        [`tenant_${slug}`],
      );
      return r.rowCount ?? 0;
    },
    async stop() {
      clearInterval(timer);
      await client.end().catch(() => {});
    },
  };
}
