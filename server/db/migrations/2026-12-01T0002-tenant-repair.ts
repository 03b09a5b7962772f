import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * Repairs: an operation kind that re-creates what an active tenant lost (its Secret, registry
 * entry, role or database), and the drift the leader last found on each tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenant_operations drop constraint if exists tenant_operations_kind_check`.execute(db);
  await sql`alter table tenant_operations add constraint tenant_operations_kind_check
            check (kind in ('create', 'delete', 'repair'))`.execute(db);
  await db.schema
    .alterTable('tenants')
    .addColumn('drift', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('drift_checked_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('drift').dropColumn('drift_checked_at').execute();
  await sql`alter table tenant_operations drop constraint if exists tenant_operations_kind_check`.execute(db);
  await sql`alter table tenant_operations add constraint tenant_operations_kind_check
            check (kind in ('create', 'delete'))`.execute(db);
}
