import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  /** The API token the entry was made with (`actor_id` is its operator); null otherwise. */
  actor_token_id: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  request_id: string | null;
}
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  updated_by: string | null;
}
export type SettingsRow = Selectable<SettingsTable>;

export type TenantState = 'provisioning' | 'active' | 'deleting' | 'deleted';

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  admin_email: string | null;
  state: TenantState;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  status: ColumnType<string, string | undefined, string>;
  status_error: string | null;
  backend_version: string | null;
  users: number | null;
  groups: number | null;
  apps: number | null;
  active_users: number | null;
  last_seen_at: Timestamp | null;
  status_checked_at: Timestamp | null;
  /** What the drift check last found missing or wrong (empty: nothing). */
  drift: ColumnType<string[], string | undefined, string>;
  drift_checked_at: Timestamp | null;
}
export type TenantRow = Selectable<TenantsTable>;

export type OperationKind = 'create' | 'delete' | 'repair' | 'workers';
export type OperationState = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepState = 'pending' | 'running' | 'done' | 'failed';
export type OperationStep = {
  name: string;
  state: StepState;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
};

export interface TenantOperationsTable {
  id: Generated<string>;
  tenant_id: string;
  kind: OperationKind;
  state: OperationState;
  steps: ColumnType<OperationStep[], string, string>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  actor_label: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}
export type TenantOperationRow = Selectable<TenantOperationsTable>;

/** A tenant secret the control plane rotates (`tenant_secrets.name`). */
export type TenantSecretName =
  | 'jwt'
  | 'login-worker-token'
  | 'proxy-token'
  | 'cp-token'
  | 'bootstrap-token'
  | 'admin-password';

/** Metadata of a tenant secret; the value itself is only ever in the tenant's Kubernetes Secret. */
export interface TenantSecretsTable {
  tenant_id: string;
  name: TenantSecretName;
  version: ColumnType<number, number | undefined, number>;
  rotated_at: Timestamp | null;
  rotated_by: string | null;
  previous_expires_at: Timestamp | null;
  pending_since: Timestamp | null;
  pending_attempts: ColumnType<number, number | undefined, number>;
  pending_error: string | null;
  pending_next_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  updated_at: Timestamp;
}
export type TenantSecretRow = Selectable<TenantSecretsTable>;

export type Role = 'admin' | 'viewer';

export interface OperatorsTable {
  id: Generated<string>;
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  role: Role;
  created_at: Timestamp;
  last_login_at: Timestamp | null;
  deleted_at: Timestamp | null;
}
export type OperatorRow = Selectable<OperatorsTable>;

export interface SessionsTable {
  id_hash: string;
  operator_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  operator_id: string;
  name: string;
  prefix: string;
  hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
export type ApiTokenRow = Selectable<ApiTokensTable>;

export interface AuthRequestsTable {
  state: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: Timestamp;
}

/** Every verified license token ever activated; the one in force is `license_state.license_id`. */
export interface LicensesTable {
  id: Generated<string>;
  lid: string;
  licensee: string;
  /** The signed token itself: sent to tenants and to the renewal URL, never shown or logged. */
  token: string;
  max_users: number;
  features: ColumnType<string[], string, string>;
  issued_at: Timestamp | null;
  not_before: Timestamp;
  expires_at: Timestamp;
  renewal_url: string | null;
  key_id: string | null;
  source: 'activate' | 'renew';
  activated_at: Timestamp;
  activated_by: string;
}
export type LicenseRow = Selectable<LicensesTable>;

/** One row: the license in force (null: free tier), the change counter and the renewal's progress. */
export interface LicenseStateTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  license_id: string | null;
  generation: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  updated_by: string | null;
  renewal_attempts: ColumnType<number, number | undefined, number>;
  renewal_error: string | null;
  renewal_failed_at: Timestamp | null;
  renewal_next_at: Timestamp | null;
  renewed_at: Timestamp | null;
}
export type LicenseStateRow = Selectable<LicenseStateTable>;

export type LicenseSyncState = 'pending' | 'synced' | 'failed';

/** A tenant's share of the license and whether its backend holds what it should. */
export interface TenantLicensesTable {
  tenant_id: string;
  /** Users this tenant may have; null: it shares what no allocation holds. */
  user_cap: number | null;
  target_generation: ColumnType<number, number | undefined, number>;
  synced_generation: number | null;
  state: ColumnType<LicenseSyncState, LicenseSyncState | undefined, LicenseSyncState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  /** The claim that may record this row's result (set with claimed_until). */
  claim_token: string | null;
  synced_at: Timestamp | null;
  updated_at: Timestamp;
}
export type TenantLicenseRow = Selectable<TenantLicensesTable>;

/** A group of external task agents tenants can be assigned to. */
export interface AgentPoolsTable {
  id: Generated<string>;
  name: string;
  labels: ColumnType<string[], string, string>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
}
export type AgentPoolRow = Selectable<AgentPoolsTable>;

export type TaskWorkerMode = 'inline' | 'agent';
export type LoginWorkerMode = 'inline' | 'shared' | 'dedicated';

/** How a tenant runs tasks and login scripts; no row: the defaults (everything inline). */
export interface TenantWorkerConfigsTable {
  tenant_id: string;
  task_mode: TaskWorkerMode;
  concurrency: number | null;
  login_mode: LoginWorkerMode;
  login_url: string | null;
  login_max_concurrent: number | null;
  pool_id: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}
export type TenantWorkerConfigRow = Selectable<TenantWorkerConfigsTable>;

export type WorkerComponent = 'login-worker' | 'agent';
export type WorkerUpgradeState = 'running' | 'succeeded' | 'stuck' | 'failed' | 'rolled_back';

/** One Deployment an upgrade rolls, and how far its rollout has come. */
export type UpgradeDeployment = {
  name: string;
  tenant: string | null;
  pool: string | null;
  /** The image it ran before (what a rollback returns it to) and the one it is moved to. */
  fromImage: string;
  toImage: string;
  /** Whether the new image has been written to it. */
  applied: boolean;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  /** Pods of any template, old ones included. */
  totalReplicas: number;
  generation: number;
  observedGeneration: number;
  done: boolean;
  /** It no longer exists (deleted during the upgrade). */
  gone: boolean;
};

/** A request to move a worker component to an image tag, and its rollout (server/domain/infrastructure/upgrades.ts). */
export interface WorkerUpgradesTable {
  id: Generated<string>;
  component: WorkerComponent;
  version: string;
  previous_version: string | null;
  rollback_of: string | null;
  state: Generated<WorkerUpgradeState>;
  deployments: ColumnType<UpgradeDeployment[], string | undefined, string>;
  planned: Generated<boolean>;
  error: string | null;
  requested_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_progress_at: Timestamp;
  finished_at: Timestamp | null;
}
export type WorkerUpgradeRow = Selectable<WorkerUpgradesTable>;

/** The version each worker component was last asked to run; no row: the configured image. */
export interface WorkerVersionsTable {
  component: WorkerComponent;
  version: string;
  upgrade_id: string | null;
  updated_at: Timestamp;
}

/** The leader's latest reading of the tenants' database server (one row). */
export interface DatabaseServerStatusTable {
  id: Generated<number>;
  status: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  error: string | null;
  refreshed_at: Timestamp;
}
export type BackupState = 'running' | 'succeeded' | 'failed';
export type BackupTrigger = 'manual' | 'schedule';
export type BackupVerifyState = 'none' | 'running' | 'passed' | 'failed';

/** One pg_dump of a tenant database: its file in backup storage, checksum and row counts. */
export interface TenantBackupsTable {
  id: Generated<string>;
  tenant_id: string;
  state: ColumnType<BackupState, BackupState | undefined, BackupState>;
  trigger: BackupTrigger;
  requested_by: string;
  /** What a running backup is doing: counting, dumping, storing. */
  phase: string | null;
  progress_bytes: ColumnType<string, number | undefined, number>;
  started_at: ColumnType<Date, Date | undefined, Date>;
  finished_at: Timestamp | null;
  /** bigint: pg answers it as a string. */
  size_bytes: ColumnType<string | null, number | null | undefined, number | null>;
  sha256: string | null;
  /** The file's key in backup storage, set once it is complete. */
  storage_key: string | null;
  /** Rows per table (`schema.table`) in the snapshot the dump was taken from. */
  table_counts: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  server_version: string | null;
  pg_dump_version: string | null;
  error: string | null;
  verify_state: ColumnType<BackupVerifyState, BackupVerifyState | undefined, BackupVerifyState>;
  verified_at: Timestamp | null;
  verify_error: string | null;
}
export type TenantBackupRow = Selectable<TenantBackupsTable>;

/** A tenant's backup schedule and retention; no row: the configured defaults. */
export interface TenantBackupSettingsTable {
  tenant_id: string;
  /** Daily at this UTC time (HH:MM); null: no scheduled backups. */
  schedule_time: string | null;
  keep: number;
  updated_at: Timestamp;
  updated_by: string | null;
}
export type TenantBackupSettingsRow = Selectable<TenantBackupSettingsTable>;
/** A tenant's line of the SMTP relay fan-out (the generation is the `smtp` settings row's version). */
export interface TenantSmtpTable {
  tenant_id: string;
  target_generation: ColumnType<number, number | undefined, number>;
  synced_generation: number | null;
  state: ColumnType<LicenseSyncState, LicenseSyncState | undefined, LicenseSyncState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  claim_token: string | null;
  synced_at: Timestamp | null;
  updated_at: Timestamp;
}

export type AlertState = 'pending' | 'open' | 'resolved';

/** One alert condition: pending (held, not yet long enough), open (notified), resolved. */
export interface AlertsTable {
  id: Generated<string>;
  key: string;
  kind: string;
  severity: 'critical' | 'warning';
  tenant_id: string | null;
  subject: string;
  detail: string;
  state: AlertState;
  observed_at: Timestamp;
  opened_at: Timestamp | null;
  resolved_at: Timestamp | null;
  sent_at: Timestamp | null;
  sent_to: string | null;
  resolved_sent_at: Timestamp | null;
  send_attempts: ColumnType<number, number | undefined, number>;
  send_error: string | null;
  send_claimed_until: Timestamp | null;
}
export type AlertRow = Selectable<AlertsTable>;

/** One daily report per local day, inserted before it is sent. */
export interface DailyReportsTable {
  day: string;
  time_zone: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  sent_to: string | null;
  send_attempts: ColumnType<number, number | undefined, number>;
  send_error: string | null;
  send_claimed_until: Timestamp | null;
}

/** A message the embedded mail catcher received. */
export interface CaughtMailTable {
  id: Generated<string>;
  received_at: Timestamp;
  mail_from: string;
  rcpt_to: ColumnType<string[], string, string>;
  subject: string;
  body: string;
  size: number;
}
export type CaughtMailRow = Selectable<CaughtMailTable>;

export interface Database {
  operators: OperatorsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  auth_requests: AuthRequestsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  tenants: TenantsTable;
  tenant_operations: TenantOperationsTable;
  tenant_secrets: TenantSecretsTable;
  licenses: LicensesTable;
  license_state: LicenseStateTable;
  tenant_licenses: TenantLicensesTable;
  agent_pools: AgentPoolsTable;
  tenant_worker_configs: TenantWorkerConfigsTable;
  worker_upgrades: WorkerUpgradesTable;
  worker_versions: WorkerVersionsTable;
  database_server_status: DatabaseServerStatusTable;
  tenant_backups: TenantBackupsTable;
  tenant_backup_settings: TenantBackupSettingsTable;
  tenant_smtp: TenantSmtpTable;
  alerts: AlertsTable;
  daily_reports: DailyReportsTable;
  caught_mail: CaughtMailTable;
}
