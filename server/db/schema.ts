import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
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
}
export type TenantRow = Selectable<TenantsTable>;

export type OperationKind = 'create' | 'delete';
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

export interface Database {
  audit_log: AuditLogTable;
  settings: SettingsTable;
  tenants: TenantsTable;
  tenant_operations: TenantOperationsTable;
}
