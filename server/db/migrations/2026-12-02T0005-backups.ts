import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * Tenant backups (one row per pg_dump run, with its file's size, sha256 and per-table row counts)
 * and each tenant's backup schedule and retention.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tenant_backups (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id) on delete cascade,
      state text not null default 'running' check (state in ('running', 'succeeded', 'failed')),
      trigger text not null check (trigger in ('manual', 'schedule')),
      requested_by text not null,
      phase text,
      progress_bytes bigint not null default 0,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      size_bytes bigint,
      sha256 text,
      storage_key text,
      table_counts jsonb,
      server_version text,
      pg_dump_version text,
      error text,
      verify_state text not null default 'none'
        check (verify_state in ('none', 'running', 'passed', 'failed')),
      verified_at timestamptz,
      verify_error text
    )`.execute(db);
  await sql`create index tenant_backups_by_tenant on tenant_backups (tenant_id, started_at desc, id desc)`.execute(
    db,
  );
  // The dashboard's alert for a failed verification finds them without reading every backup.
  await sql`create index tenant_backups_verify_failed on tenant_backups (tenant_id) where verify_state = 'failed'`.execute(
    db,
  );
  // One backup per tenant at a time, whatever replica runs it.
  await sql`create unique index tenant_backups_one_running on tenant_backups (tenant_id) where state = 'running'`.execute(
    db,
  );
  await sql`
    create table tenant_backup_settings (
      tenant_id uuid primary key references tenants (id) on delete cascade,
      schedule_time text check (schedule_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      keep integer not null check (keep between 1 and 1000),
      updated_at timestamptz not null default now(),
      updated_by text
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists tenant_backup_settings`.execute(db);
  await sql`drop table if exists tenant_backups`.execute(db);
}
