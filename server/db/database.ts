import { Kysely, Migrator, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migration-list.ts';
import { createPool } from './pool.ts';
import type { Database } from './schema.ts';
import { serverTypes } from './timestamps.ts';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: repository functions accept both. */
export type Executor = Db | Trx;

// int8 (bigserial ids, counts) as string, timestamptz as Date: pg's defaults, stated here on
// purpose. The pool reads timestamptz with a faster parser of the same result (timestamps.ts).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/** Creates the pool and the kysely instance for one PostgreSQL database. */
export function createDb(options: { url: string; max: number; applicationName?: string }): {
  db: Db;
  pool: pg.Pool;
} {
  const pool = createPool({
    connectionString: options.url,
    max: options.max,
    application_name: options.applicationName ?? 'justiam-cp',
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    types: serverTypes,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Brings the schema to the latest migration. Safe to run from several replicas at once: kysely's
 * PostgreSQL adapter serialises migrators with a transaction-scoped advisory lock, so the second
 * replica waits, then finds nothing left to do.
 */
export async function migrateToLatest(db: Db): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${failed ?? '(unknown)'} failed: ${reason}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** True when the database answers and every known migration has been applied. */
export async function isReady(db: Db): Promise<boolean> {
  try {
    const migrator = new Migrator({ db, provider: migrationProvider });
    const migrations = await migrator.getMigrations();
    return migrations.every((m) => m.executedAt !== undefined);
  } catch {
    return false;
  }
}

/** Round-trips one query; used by readiness and start-up checks. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
