import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * The deployment license: every verified token activated (history), the one in force and the
 * renewal's progress (one row), and each tenant's allocation and sync state. `generation` counts
 * changes of what tenants should hold; a tenant is synced when it holds its `target_generation`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table licenses (
      id uuid primary key default gen_random_uuid(),
      lid text not null,
      licensee text not null,
      token text not null,
      max_users integer not null check (max_users > 0),
      features jsonb not null default '[]'::jsonb,
      issued_at timestamptz,
      not_before timestamptz not null,
      expires_at timestamptz not null,
      renewal_url text,
      key_id text,
      source text not null check (source in ('activate', 'renew')),
      activated_at timestamptz not null default now(),
      activated_by text not null
    )`.execute(db);
  await sql`
    create table license_state (
      singleton boolean primary key default true check (singleton),
      license_id uuid references licenses (id),
      generation integer not null default 0,
      updated_at timestamptz not null default now(),
      updated_by text,
      renewal_attempts integer not null default 0,
      renewal_error text,
      renewal_failed_at timestamptz,
      renewal_next_at timestamptz,
      renewed_at timestamptz
    )`.execute(db);
  await sql`insert into license_state default values`.execute(db);
  await sql`
    create table tenant_licenses (
      tenant_id uuid primary key references tenants (id) on delete cascade,
      user_cap integer check (user_cap is null or user_cap > 0),
      target_generation integer not null default 0,
      synced_generation integer,
      state text not null default 'pending' check (state in ('pending', 'synced', 'failed')),
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      claimed_until timestamptz,
      synced_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tenant_licenses_due on tenant_licenses (next_attempt_at) where state <> 'synced'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists tenant_licenses`.execute(db);
  await sql`drop table if exists license_state`.execute(db);
  await sql`drop table if exists licenses`.execute(db);
}
