import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * Who holds a tenant's license-sync claim: a result is recorded only by the claim that told the
 * tenant, so a claim that lapsed (a paused process) cannot mark a newer push as done.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenant_licenses add column claim_token uuid`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenant_licenses drop column claim_token`.execute(db);
}
