import { sql } from 'kysely';
import { TENANT_MIGRATIONS } from './schema.ts';
import type { SecretsStateTable, TenantDb } from './tables.ts';

/** Queries on a tenant database. Each takes the database first; times come from the caller's clock. */

const ACTIVE_WINDOW_MS = 30 * 24 * 3600 * 1000;

export type TenantCounts = { users: number; groups: number; apps: number; activeUsers: number };

/** Real counts; active users are those who logged in within the 30 days before `now`. */
export async function countTenantData(db: TenantDb, now: Date): Promise<TenantCounts> {
  const since = new Date(now.getTime() - ACTIVE_WINDOW_MS);
  const { rows } = await sql<{ users: number; groups: number; apps: number; active_users: number }>`
    select
      (select count(*)::int from users) as users,
      (select count(*)::int from groups) as groups,
      (select count(*)::int from apps) as apps,
      (select count(*)::int from users where last_login_at >= ${since}) as active_users
  `.execute(db);
  const r = rows[0]!;
  return { users: r.users, groups: r.groups, apps: r.apps, activeUsers: r.active_users };
}

export type MigrationState = { applied: { id: string; appliedAt: Date }[]; pending: string[] };

/** Applied migrations (as recorded) and the known ones not applied yet, in order. */
export async function migrationState(db: TenantDb): Promise<MigrationState> {
  const rows = await db.selectFrom('migrations').select(['id', 'applied_at']).orderBy('id').execute();
  const done = new Set(rows.map((r) => r.id));
  return {
    applied: rows.map((r) => ({ id: r.id, appliedAt: r.applied_at })),
    pending: TENANT_MIGRATIONS.map((m) => m.id).filter((id) => !done.has(id)),
  };
}

export async function putLicense(
  db: TenantDb,
  token: string,
  userCap: number | null,
  now: Date,
): Promise<void> {
  await db
    .insertInto('license')
    .values({ token, user_cap: userCap, updated_at: now })
    .onConflict((oc) => oc.column('singleton').doUpdateSet({ token, user_cap: userCap, updated_at: now }))
    .execute();
}

/** Back to the free tier: no license row. */
export async function clearLicense(db: TenantDb): Promise<void> {
  await db.deleteFrom('license').execute();
}

export async function readLicense(
  db: TenantDb,
): Promise<{ token: string; userCap: number | null } | undefined> {
  const row = await db.selectFrom('license').select(['token', 'user_cap']).executeTakeFirst();
  return row && { token: row.token, userCap: row.user_cap };
}

export async function putWorkerConfig(db: TenantDb, config: unknown, now: Date): Promise<void> {
  const json = JSON.stringify(config);
  await db
    .insertInto('worker_config')
    .values({ config: json, updated_at: now })
    .onConflict((oc) => oc.column('singleton').doUpdateSet({ config: json, updated_at: now }))
    .execute();
}

export async function readWorkerConfig(db: TenantDb): Promise<unknown> {
  const row = await db.selectFrom('worker_config').select('config').executeTakeFirst();
  return row?.config;
}

/** The relay's settings (no password) and the password's hash; null clears it. */
export async function putSmtpConfig(
  db: TenantDb,
  smtp: { config: unknown; passwordHash: string | null } | null,
  now: Date,
): Promise<void> {
  if (smtp === null) {
    await db.deleteFrom('smtp_config').execute();
    return;
  }
  const json = JSON.stringify(smtp.config);
  await db
    .insertInto('smtp_config')
    .values({ config: json, password_hash: smtp.passwordHash, updated_at: now })
    .onConflict((oc) =>
      oc.column('singleton').doUpdateSet({ config: json, password_hash: smtp.passwordHash, updated_at: now }),
    )
    .execute();
}

export async function readSmtpConfig(
  db: TenantDb,
): Promise<{ config: unknown; passwordHash: string | null } | undefined> {
  const row = await db.selectFrom('smtp_config').select(['config', 'password_hash']).executeTakeFirst();
  return row && { config: row.config, passwordHash: row.password_hash };
}

export async function setAdminPasswordHash(db: TenantDb, hash: string, now: Date): Promise<void> {
  await db
    .insertInto('admin_credentials')
    .values({ password_hash: hash, updated_at: now })
    .onConflict((oc) => oc.column('singleton').doUpdateSet({ password_hash: hash, updated_at: now }))
    .execute();
}

export async function adminPasswordHash(db: TenantDb): Promise<string | undefined> {
  const row = await db.selectFrom('admin_credentials').select('password_hash').executeTakeFirst();
  return row?.password_hash;
}

export type SecretRotationRow = {
  name: string;
  hash: string;
  /** Used as the previous value when the secret has no row yet (the value it had before the simulator knew it). */
  initialPreviousHash?: string;
};

/**
 * Rotates secrets in one transaction: each new hash becomes current and the old current stays
 * valid until `now + graceSeconds`. Repeating a rotation to the value already current changes
 * nothing, so a retried request keeps the real previous value valid.
 */
export async function rotateSecrets(
  db: TenantDb,
  rotations: SecretRotationRow[],
  graceSeconds: number,
  now: Date,
): Promise<void> {
  const expires = new Date(now.getTime() + graceSeconds * 1000);
  await db.transaction().execute(async (trx) => {
    for (const r of rotations) {
      await trx
        .insertInto('secrets_state')
        .values({
          name: r.name,
          current_hash: r.hash,
          previous_hash: r.initialPreviousHash ?? null,
          previous_expires_at: r.initialPreviousHash ? expires : null,
          rotated_at: now,
        })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({
              previous_hash: sql<string>`secrets_state.current_hash`,
              previous_expires_at: expires,
              current_hash: r.hash,
              rotated_at: now,
            })
            .where('secrets_state.current_hash', '<>', r.hash),
        )
        .execute();
    }
  });
}

export type SecretState = Pick<SecretsStateTable, 'current_hash' | 'previous_hash' | 'previous_expires_at'>;

export async function secretState(db: TenantDb, name: string): Promise<SecretState | undefined> {
  return db
    .selectFrom('secrets_state')
    .select(['current_hash', 'previous_hash', 'previous_expires_at'])
    .where('name', '=', name)
    .executeTakeFirst();
}
