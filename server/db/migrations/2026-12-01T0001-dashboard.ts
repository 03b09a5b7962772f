import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * The dashboard looks for tenants whose latest operation failed or is retrying. Those operations
 * are few; this index finds them without reading every operation, however many tenants there are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index tenant_operations_failing on tenant_operations (tenant_id, created_at)
            where state = 'failed' or (state = 'running' and attempts > 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists tenant_operations_failing`.execute(db);
}
