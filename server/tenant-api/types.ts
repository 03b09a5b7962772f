/** The camelCase side of the tenant API contract (DESIGN.md, "Tenant API"); `wire.ts` converts. */

export type TenantStats = {
  users: number;
  groups: number;
  apps: number;
  /** Users who logged in within the last 30 days. */
  activeUsers: number;
};

export type TenantStatus = {
  /** The backend's version, e.g. `1.4.0`. */
  version: string;
  /** `ok` when healthy; other values are the backend's own words. */
  status: string;
  stats: TenantStats;
};

export type AppliedMigration = { id: string; appliedAt: Date };

export type TenantMigrations = {
  applied: AppliedMigration[];
  /** Ids of the migrations the backend knows but has not applied, in the order it would apply them. */
  pending: string[];
};

export type TaskWorkerMode = 'inline' | 'agent';
export type LoginWorkerMode = 'inline' | 'shared' | 'dedicated';

export type WorkerConfig = {
  taskWorker: { mode: TaskWorkerMode; concurrency: number };
  /** `url` is where the login worker listens; `null` in `inline` mode. */
  loginWorker: { mode: LoginWorkerMode; url: string | null; maxConcurrent: number };
  /** The agent pool the tenant's tasks go to; `null` for none. */
  pool: string | null;
};

/**
 * New secret values for a tenant. Only the given ones change; the backend keeps accepting each
 * previous value for `graceSeconds` (the backend's default when omitted).
 */
export type SecretRotation = {
  jwtSecret?: string;
  loginWorkerToken?: string;
  proxyToken?: string;
  cpToken?: string;
  graceSeconds?: number;
};

/** How a relay is reached: STARTTLS on a plain connection (default), TLS from the start, or neither. */
export type SmtpTls = 'starttls' | 'tls' | 'none';

/** The deployment-wide SMTP relay every tenant sends its e-mail through. */
export type SmtpRelay = {
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  from: string;
  tls: SmtpTls;
};
