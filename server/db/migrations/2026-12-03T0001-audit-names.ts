import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * Names in the audit log, and finding actors by them.
 * - `audit_log.actor_token_id`: the API token an entry was made with (its operator is `actor_id`),
 *   so the log shows the token's name. No foreign key: entries outlive tokens and operators.
 * - `operators_search`: the words of each operator's name and e-mail (split at spaces, `@`, `.`,
 *   `_`, `+`, `-`), for `auditActors` to find an operator by any word's prefix through the index.
 *   The query in server/domain/audit/actors.ts repeats this expression exactly, or the index is
 *   not used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log add column actor_token_id uuid`.execute(db);
  await sql`
    create index operators_search on operators using gin (
      to_tsvector('simple', translate(lower(coalesce(name, '') || ' ' || coalesce(email, '')), '@._+-', '     '))
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index operators_search`.execute(db);
  await sql`alter table audit_log drop column actor_token_id`.execute(db);
}
