import { Kysely, PostgresDialect, sql } from 'kysely';
import { createPool } from '../../db/pool.ts';
import { verifyPassword } from './passwords.ts';
import { ensureTenantSchema } from './schema.ts';
import { adminPasswordHash, readLicense, readSmtpConfig, readWorkerConfig } from './store.ts';
import type { TenantDatabase, TenantDb } from './tables.ts';

/** Test helpers that look into a tenant database directly, bypassing the API. */

async function withTenantDb<T>(databaseUrl: string, fn: (db: TenantDb) => Promise<T>): Promise<T> {
  const pool = createPool({ connectionString: databaseUrl, max: 1 });
  const db = new Kysely<TenantDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await ensureTenantSchema(db, new Date());
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

export type SeedCounts = {
  users?: number;
  groups?: number;
  apps?: number;
  /** How many of the users logged in a day before `now`; the rest logged in 45 days before or never. */
  activeUsers?: number;
};

/**
 * Adds users, groups and apps to a tenant database (creating its schema if needed), so that
 * `GET /cp/v1/status` has something to count. `now` should be the simulator's clock.
 */
export async function seedTenantData(
  databaseUrl: string,
  counts: SeedCounts,
  now = new Date(),
): Promise<void> {
  const users = counts.users ?? 0;
  const active = counts.activeUsers ?? 0;
  if (active > users) throw new RangeError(`activeUsers (${active}) cannot exceed users (${users})`);
  const day = 24 * 3600 * 1000;
  const recent = new Date(now.getTime() - day);
  const stale = new Date(now.getTime() - 45 * day);
  await withTenantDb(databaseUrl, async (db) => {
    await sql`
      insert into users (email, created_at, last_login_at)
      select 'seed-' || gen_random_uuid() || '@example.test', ${stale},
        case when g <= ${active}::int then ${recent}::timestamptz when g % 2 = 0 then null else ${stale}::timestamptz end
      from generate_series(1, ${users}::int) g
    `.execute(db);
    await sql`
      insert into groups (name) select 'seed-group-' || gen_random_uuid() from generate_series(1, ${counts.groups ?? 0}::int)
    `.execute(db);
    await sql`
      insert into apps (name) select 'seed-app-' || gen_random_uuid() from generate_series(1, ${counts.apps ?? 0}::int)
    `.execute(db);
  });
}

/** Whether `password` is the tenant's admin password as stored by `PUT /cp/v1/admin-password`. */
export async function verifyAdminPassword(databaseUrl: string, password: string): Promise<boolean> {
  const stored = await withTenantDb(databaseUrl, adminPasswordHash);
  return stored !== undefined && (await verifyPassword(password, stored));
}

/** Reads a tenant database's raw rows (license, worker config, secret state) for assertions. */
export async function readTenantState(databaseUrl: string) {
  return withTenantDb(databaseUrl, async (db) => ({
    license: await readLicense(db),
    workerConfig: await readWorkerConfig(db),
    secrets: await db
      .selectFrom('secrets_state')
      .select(['name', 'current_hash', 'previous_hash', 'previous_expires_at'])
      .orderBy('name')
      .execute(),
    adminPasswordHash: await adminPasswordHash(db),
    smtp: await readSmtpConfig(db),
  }));
}
