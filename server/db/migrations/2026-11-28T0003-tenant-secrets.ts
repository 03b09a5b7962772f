import { type Kysely, sql } from 'kysely';

// Frozen: this file imports no application code and is never edited after it has run anywhere.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Metadata of each tenant secret the control plane rotates. Never the values: those live only in
  // the tenant's Kubernetes Secret. No row means the value is still the one made at provisioning.
  await db.schema
    .createTable('tenant_secrets')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`name in ('jwt', 'login-worker-token', 'proxy-token', 'cp-token', 'bootstrap-token', 'admin-password')`,
        ),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('rotated_at', 'timestamptz')
    .addColumn('rotated_by', 'text')
    // The previous value stays valid (and in the Secret as <KEY>_PREVIOUS) until then.
    .addColumn('previous_expires_at', 'timestamptz')
    // A rotation whose new value is staged in the Secret but not yet switched to.
    .addColumn('pending_since', 'timestamptz')
    .addColumn('pending_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_error', 'text')
    .addColumn('pending_next_at', 'timestamptz')
    // Bootstrap token only: when it stops being accepted, and when it was revoked.
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('tenant_secrets_pkey', ['tenant_id', 'name'])
    .execute();
  // The leader's maintenance looks only at rows with work to do.
  await sql`create index tenant_secrets_grace on tenant_secrets (previous_expires_at) where previous_expires_at is not null`.execute(
    db,
  );
  await sql`create index tenant_secrets_pending on tenant_secrets (pending_next_at) where pending_since is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tenant_secrets').execute();
}
