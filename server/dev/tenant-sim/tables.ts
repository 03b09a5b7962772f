import type { ColumnType, Generated, Kysely } from 'kysely';

/** The tenant database as the simulator sees it (the tables `schema.ts` creates). */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  created_at: Generated<Date>;
  last_login_at: Date | null;
}

export interface GroupsTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
}

export interface AppsTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
}

export interface MigrationsTable {
  id: string;
  applied_at: Timestamp;
}

/** Singleton rows carry `singleton = true` (primary key, checked), so there is at most one. */
export interface LicenseTable {
  singleton: Generated<boolean>;
  token: string;
  user_cap: number | null;
  updated_at: Timestamp;
}

export interface AdminCredentialsTable {
  singleton: Generated<boolean>;
  /** `scrypt$N$r$p$salt_b64$hash_b64` (passwords.ts). */
  password_hash: string;
  updated_at: Timestamp;
}

export interface WorkerConfigTable {
  singleton: Generated<boolean>;
  config: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

/** The SMTP relay as the backend holds it: the settings, and the password as a SHA-256 hash only. */
export interface SmtpConfigTable {
  singleton: Generated<boolean>;
  config: ColumnType<unknown, string, string>;
  password_hash: string | null;
  updated_at: Timestamp;
}

/** One row per rotatable secret: SHA-256 hashes only, never the values. */
export interface SecretsStateTable {
  name: string;
  current_hash: string;
  previous_hash: string | null;
  previous_expires_at: Date | null;
  rotated_at: Timestamp;
}

export interface TenantDatabase {
  users: UsersTable;
  groups: GroupsTable;
  apps: AppsTable;
  migrations: MigrationsTable;
  license: LicenseTable;
  admin_credentials: AdminCredentialsTable;
  worker_config: WorkerConfigTable;
  secrets_state: SecretsStateTable;
  smtp_config: SmtpConfigTable;
}

export type TenantDb = Kysely<TenantDatabase>;
