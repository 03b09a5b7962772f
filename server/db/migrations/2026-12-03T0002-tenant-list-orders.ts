import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * The tenant list in orders other than by slug: an index per order, so each keyset page is read
 * in order from the index rather than by sorting every tenant. Name compares case-insensitively in
 * the "C" collation (the same on every database server); state reuses (state, slug) with the id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index tenants_name_order on tenants ((lower(name) collate "C"), id)`.execute(db);
  await db.schema.createIndex('tenants_created_order').on('tenants').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('tenants_state_order').on('tenants').columns(['state', 'slug', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tenants_state_order').execute();
  await db.schema.dropIndex('tenants_created_order').execute();
  await db.schema.dropIndex('tenants_name_order').execute();
}
