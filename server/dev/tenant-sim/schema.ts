import { sql, type Transaction } from 'kysely';
import type { TenantDatabase, TenantDb } from './tables.ts';

/**
 * The tenant database schema the simulator works on. Everything is idempotent (`if not exists`,
 * `on conflict do nothing`) and runs under one transaction-scoped advisory lock, so several
 * simulators (or several requests) bootstrapping the same database at once do not collide.
 */

/** Taken by every schema change in a tenant database; an arbitrary constant of this simulator. */
const SCHEMA_LOCK = 0x4a49_4d01;

/** Tables the simulator needs whatever the backend version: its own bookkeeping. */
const BASE_TABLES = [
  `create table if not exists migrations (
    id text primary key,
    applied_at timestamptz not null
  )`,
  `create table if not exists license (
    singleton boolean primary key default true check (singleton),
    token text not null,
    user_cap integer check (user_cap >= 0),
    updated_at timestamptz not null
  )`,
  `create table if not exists admin_credentials (
    singleton boolean primary key default true check (singleton),
    password_hash text not null,
    updated_at timestamptz not null
  )`,
  `create table if not exists worker_config (
    singleton boolean primary key default true check (singleton),
    config jsonb not null,
    updated_at timestamptz not null
  )`,
  `create table if not exists smtp_config (
    singleton boolean primary key default true check (singleton),
    config jsonb not null,
    password_hash text,
    updated_at timestamptz not null
  )`,
  `create table if not exists secrets_state (
    name text primary key,
    current_hash text not null,
    previous_hash text,
    previous_expires_at timestamptz,
    rotated_at timestamptz not null
  )`,
];

export type TenantMigration = { id: string; statements: string[] };

/** The backend's migrations, in order. The first `BOOTSTRAPPED` are applied when a tenant is first met. */
export const TENANT_MIGRATIONS: readonly TenantMigration[] = [
  {
    id: '0001_init',
    statements: [
      `create table if not exists users (
        id uuid primary key default gen_random_uuid(),
        email text not null unique,
        created_at timestamptz not null default now(),
        last_login_at timestamptz
      )`,
      'create index if not exists users_last_login_at on users (last_login_at)',
    ],
  },
  {
    id: '0002_groups',
    statements: [
      `create table if not exists groups (
        id uuid primary key default gen_random_uuid(),
        name text not null unique,
        created_at timestamptz not null default now()
      )`,
    ],
  },
  {
    id: '0003_apps',
    statements: [
      `create table if not exists apps (
        id uuid primary key default gen_random_uuid(),
        name text not null,
        created_at timestamptz not null default now()
      )`,
    ],
  },
  {
    id: '0004_sessions',
    statements: [
      `create table if not exists sessions (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`,
    ],
  },
];

/** How many of `TENANT_MIGRATIONS` a new tenant database starts with. */
export const BOOTSTRAPPED = 3;

async function lock(trx: Transaction<TenantDatabase>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${SCHEMA_LOCK})`.execute(trx);
}

async function applyIn(trx: Transaction<TenantDatabase>, migrations: readonly TenantMigration[], at: Date) {
  const done = new Set((await trx.selectFrom('migrations').select('id').execute()).map((r) => r.id));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    for (const statement of m.statements) await sql.raw(statement).execute(trx);
    await trx.insertInto('migrations').values({ id: m.id, applied_at: at }).execute();
    applied.push(m.id);
  }
  return applied;
}

/** Creates the simulator's tables and the first migrations in a tenant database, if not there yet. */
export async function ensureTenantSchema(db: TenantDb, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lock(trx);
    for (const statement of BASE_TABLES) await sql.raw(statement).execute(trx);
    await applyIn(trx, TENANT_MIGRATIONS.slice(0, BOOTSTRAPPED), now);
  });
}

/** Applies every migration not yet recorded, in order, in one transaction. Returns the ids applied. */
export async function applyPendingMigrations(db: TenantDb, now: Date): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await lock(trx);
    return applyIn(trx, TENANT_MIGRATIONS, now);
  });
}
