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

export interface Database {
  audit_log: AuditLogTable;
  settings: SettingsTable;
}
