import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * SMTP relay fan-out, alerts that send, daily reports and the embedded stack's caught mail.
 * - `tenant_smtp`: each tenant's line of the SMTP fan-out (which generation of the relay settings it
 *   should hold and whether it does), claimed with a lease and a claim token as `tenant_licenses`.
 * - `alerts`: one row per alert condition; at most one row per `key` is not resolved (a unique
 *   partial index), so two evaluators inserting the same condition open it once. Notifications are
 *   claimed (`send_claimed_until`) before sending, so each is sent once.
 * - `daily_reports`: one row per local day, inserted before the report is sent.
 * - `caught_mail`: what the embedded mail catcher received (bounded by the writer).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tenant_smtp (
      tenant_id uuid primary key references tenants (id) on delete cascade,
      target_generation integer not null default 0,
      synced_generation integer,
      state text not null default 'pending' check (state in ('pending', 'synced', 'failed')),
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      claimed_until timestamptz,
      claim_token uuid,
      synced_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index tenant_smtp_due on tenant_smtp (next_attempt_at) where state <> 'synced'`.execute(
    db,
  );
  await sql`
    create table alerts (
      id uuid primary key default gen_random_uuid(),
      key text not null,
      kind text not null,
      severity text not null check (severity in ('critical', 'warning')),
      tenant_id uuid references tenants (id) on delete set null,
      subject text not null,
      detail text not null,
      state text not null check (state in ('pending', 'open', 'resolved')),
      observed_at timestamptz not null,
      opened_at timestamptz,
      resolved_at timestamptz,
      sent_at timestamptz,
      sent_to text,
      resolved_sent_at timestamptz,
      send_attempts integer not null default 0,
      send_error text,
      send_claimed_until timestamptz
    )`.execute(db);
  await sql`create unique index alerts_key_unresolved on alerts (key) where state <> 'resolved'`.execute(db);
  await sql`create index alerts_history on alerts (opened_at desc, id desc) where opened_at is not null`.execute(
    db,
  );
  await sql`
    create table daily_reports (
      day text primary key,
      time_zone text not null,
      created_at timestamptz not null,
      sent_at timestamptz,
      sent_to text,
      send_attempts integer not null default 0,
      send_error text,
      send_claimed_until timestamptz
    )`.execute(db);
  await sql`
    create table caught_mail (
      id bigserial primary key,
      received_at timestamptz not null,
      mail_from text not null,
      rcpt_to jsonb not null,
      subject text not null,
      body text not null,
      size integer not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists caught_mail`.execute(db);
  await sql`drop table if exists daily_reports`.execute(db);
  await sql`drop table if exists alerts`.execute(db);
  await sql`drop table if exists tenant_smtp`.execute(db);
}
