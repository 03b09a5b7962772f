import { type Kysely, sql } from 'kysely';

// Frozen: this file imports no application code and is never edited after it has run anywhere.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('admin_email', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('provisioning', 'active', 'deleting', 'deleted')`),
    )
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    // The latest status the poller saw; read by lists so they never call a backend per row.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('status_error', 'text')
    .addColumn('backend_version', 'text')
    .addColumn('users', 'integer')
    .addColumn('groups', 'integer')
    .addColumn('apps', 'integer')
    .addColumn('active_users', 'integer')
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('status_checked_at', 'timestamptz')
    .execute();
  // A slug is unique among tenants that exist; a deleted tenant's row stays for the audit trail
  // and its slug may be used again.
  await sql`create unique index tenants_live_slug on tenants (slug) where state <> 'deleted'`.execute(db);
  await db.schema.createIndex('tenants_slug_id').on('tenants').columns(['slug', 'id']).execute();
  await db.schema.createIndex('tenants_state').on('tenants').columns(['state', 'slug']).execute();

  await db.schema
    .createTable('tenant_operations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('create', 'delete')`))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('running', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn('steps', 'jsonb', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('tenant_operations_tenant')
    .on('tenant_operations')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await sql`create index tenant_operations_running on tenant_operations (next_attempt_at) where state = 'running'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tenant_operations').execute();
  await db.schema.dropTable('tenants').execute();
}
