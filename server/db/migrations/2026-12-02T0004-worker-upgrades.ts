import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * Worker version upgrades: each request to move a component (login workers or agents) to an image
 * tag, the Deployments it rolls and their progress, one running per component; the version each
 * component was last asked to run; and the leader's latest database-server figures.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table worker_upgrades (
      id uuid primary key default gen_random_uuid(),
      component text not null check (component in ('login-worker', 'agent')),
      version text not null,
      previous_version text,
      rollback_of uuid references worker_upgrades (id) on delete set null,
      state text not null default 'running'
        check (state in ('running', 'succeeded', 'stuck', 'failed', 'rolled_back')),
      deployments jsonb not null default '[]'::jsonb,
      planned boolean not null default false,
      error text,
      requested_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_progress_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create unique index worker_upgrades_one_running on worker_upgrades (component)
            where state = 'running'`.execute(db);
  await sql`create index worker_upgrades_by_component on worker_upgrades (component, created_at desc, id desc)`.execute(
    db,
  );
  await sql`
    create table worker_versions (
      component text primary key check (component in ('login-worker', 'agent')),
      version text not null,
      upgrade_id uuid references worker_upgrades (id) on delete set null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table database_server_status (
      id integer primary key default 1 check (id = 1),
      status jsonb,
      error text,
      refreshed_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists database_server_status`.execute(db);
  await sql`drop table if exists worker_versions`.execute(db);
  await sql`drop table if exists worker_upgrades`.execute(db);
}
