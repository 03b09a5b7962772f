import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * Agent pools, each tenant's worker configuration (task worker mode and concurrency, login worker
 * mode, its pool), and an operation kind that makes registry, cluster and backend agree with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agent_pools (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      labels jsonb not null default '[]'::jsonb,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table tenant_worker_configs (
      tenant_id uuid primary key references tenants (id) on delete cascade,
      task_mode text not null default 'inline' check (task_mode in ('inline', 'agent')),
      concurrency integer check (concurrency between 1 and 1000),
      login_mode text not null default 'inline' check (login_mode in ('inline', 'shared', 'dedicated')),
      login_url text,
      login_max_concurrent integer check (login_max_concurrent between 1 and 1000),
      pool_id uuid references agent_pools (id) on delete restrict,
      updated_at timestamptz not null default now(),
      updated_by text
    )`.execute(db);
  await sql`create index tenant_worker_configs_pool on tenant_worker_configs (pool_id) where pool_id is not null`.execute(
    db,
  );
  await sql`alter table tenant_operations drop constraint if exists tenant_operations_kind_check`.execute(db);
  await sql`alter table tenant_operations add constraint tenant_operations_kind_check
            check (kind in ('create', 'delete', 'repair', 'workers'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from tenant_operations where kind = 'workers'`.execute(db);
  await sql`alter table tenant_operations drop constraint if exists tenant_operations_kind_check`.execute(db);
  await sql`alter table tenant_operations add constraint tenant_operations_kind_check
            check (kind in ('create', 'delete', 'repair'))`.execute(db);
  await sql`drop table if exists tenant_worker_configs`.execute(db);
  await sql`drop table if exists agent_pools`.execute(db);
}
