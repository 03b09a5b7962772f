import { Kysely, PostgresDialect } from 'kysely';
import { createPool } from '../../db/pool.ts';
import type { TenantDatabase, TenantDb } from './tables.ts';

type Entry = {
  db: TenantDb;
  /** Set once the pool's first user has run `prepare` (schema bootstrap) successfully. */
  prepared?: Promise<void>;
  active: number;
  lastUsed: number;
};

export type PoolCacheOptions = {
  /** Most pools kept open at once; idle ones are closed, least recently used first, to make room. */
  maxPools: number;
  /** Pools unused this long are closed by `sweep()`. */
  idleMs: number;
  /** Connections per pool. */
  connectionsPerPool: number;
  /** Run once per pool before its first use (retried on the next use if it fails). */
  prepare: (db: TenantDb) => Promise<void>;
  clock?: () => number;
};

/**
 * A small connection pool per tenant database, with an LRU cap and idle expiry, so serving
 * thousands of tenants holds a bounded number of PostgreSQL connections. Pools in use are never
 * closed; when every pool is busy the cap is exceeded until one frees up.
 */
export class PoolCache {
  // Map order is recency order: a used entry is moved to the end.
  readonly #entries = new Map<string, Entry>();
  readonly #closing = new Set<Promise<void>>();
  readonly #clock: () => number;

  constructor(private readonly options: PoolCacheOptions) {
    this.#clock = options.clock ?? Date.now;
  }

  /** Runs `fn` with the pool of `databaseUrl`, opening (and preparing) it first if needed. */
  async use<T>(databaseUrl: string, fn: (db: TenantDb) => Promise<T>): Promise<T> {
    let entry = this.#entries.get(databaseUrl);
    if (entry) this.#entries.delete(databaseUrl);
    else {
      entry = { db: this.#open(databaseUrl), active: 0, lastUsed: 0 };
      this.#evictFor(1);
    }
    this.#entries.set(databaseUrl, entry);
    entry.active++;
    entry.lastUsed = this.#clock();
    try {
      const e = entry;
      e.prepared ??= this.options.prepare(e.db).catch((error: unknown) => {
        e.prepared = undefined;
        throw error;
      });
      await e.prepared;
      return await fn(e.db);
    } finally {
      entry.active--;
      entry.lastUsed = this.#clock();
    }
  }

  /** Closes pools idle for longer than `idleMs`. */
  sweep(): void {
    const now = this.#clock();
    for (const [url, entry] of this.#entries)
      if (entry.active === 0 && now - entry.lastUsed > this.options.idleMs) this.#close(url, entry);
  }

  /** How many pools are open. */
  get size(): number {
    return this.#entries.size;
  }

  /** Closes every pool; waits for pools already closing. */
  async closeAll(): Promise<void> {
    for (const [url, entry] of this.#entries) this.#close(url, entry);
    await Promise.allSettled([...this.#closing]);
  }

  #open(databaseUrl: string): TenantDb {
    const pool = createPool({
      connectionString: databaseUrl,
      max: this.options.connectionsPerPool,
      application_name: 'justiam-tenant-sim',
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: Math.min(this.options.idleMs, 10_000),
    });
    return new Kysely<TenantDatabase>({ dialect: new PostgresDialect({ pool }) });
  }

  #evictFor(incoming: number): void {
    let excess = this.#entries.size + incoming - this.options.maxPools;
    for (const [url, entry] of this.#entries) {
      if (excess <= 0) return;
      if (entry.active > 0) continue;
      this.#close(url, entry);
      excess--;
    }
  }

  #close(url: string, entry: Entry): void {
    this.#entries.delete(url);
    const closing = entry.db.destroy().catch(() => {});
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }
}
