import type { OperationKind, TenantSecretName } from '../../db/schema.ts';

/**
 * The audit vocabulary: every action and the exact shape of its details. Details are typed, not
 * free-form, so a secret value cannot reach the audit log by accident: there is no field to put it in.
 * Add an action here before recording it.
 */
export type AuditDetails = {
  'settings.alerts.updated': { changed: string[] };
  'settings.smtp.updated': { changed: string[] };
  'settings.smtp.tested': { to: string; outcome: string };
  'settings.smtp.cleared': Record<string, never>;
  'license.activated': {
    lid: string;
    licensee: string;
    maxUsers: number;
    expiresAt: string;
    keyId: string;
    source: 'activate' | 'renew';
    previousLid: string | null;
  };
  'license.cleared': { lid: string };
  'license.allocation.set': { userCap: number | null; previous: number | null };
  'license.renewal_failed': { lid: string; trigger: 'manual' | 'automatic'; reason: string };
  'auth.login': { issuer: string; role: 'admin' | 'viewer' };
  'auth.login_failed': { reason: string };
  'auth.logout': Record<string, never>;
  'token.created': { name: string; prefix: string; expiresAt: string };
  'token.revoked': { name: string; prefix: string };
  'tenant.create.requested': { name: string; operationId: string };
  'tenant.create.completed': { operationId: string; durationMs: number };
  'tenant.delete.requested': {
    operationId: string;
    cancelledOperationId: string | null;
    /** The tenant's backups are removed with it rather than kept (DELETED_TENANT_BACKUP_RETENTION_DAYS). */
    purgeBackups?: boolean;
  };
  'tenant.delete.completed': { operationId: string; durationMs: number };
  'tenant.repair.requested': { operationId: string; drift: string[] };
  'tenant.repair.completed': { operationId: string; durationMs: number };
  /** An operator ran a failing operation again before its backoff ended (or a stopped one again). */
  'tenant.operation.retried': {
    operationId: string;
    kind: OperationKind;
    attempts: number;
    wasFailed: boolean;
  };
  'tenant.workers.updated': { changed: string[]; operationId: string };
  'tenant.workers.completed': { operationId: string; durationMs: number };
  'pool.created': { labels: string[] };
  'pool.updated': { labels: string[]; previous: string[] };
  'pool.deleted': Record<string, never>;
  'pool.shared.initialized': { keyId: string; replicas: number; image: string };
  'pool.shared.scaled': { replicas: number; previous: number | null };
  'pool.shared.key_rotated': { keyId: string; previousKeyId: string; previousExpiresAt: string };
  'pool.shared.previous_key_removed': { keyId: string };
  /** A secret value was shown to the actor (never recorded itself). */
  'tenant.secret.revealed': { secret: TenantSecretName | 'database-password' };
  /** A secret got a new value; `graceUntil`: until when the previous one stays valid. */
  'tenant.secret.rotated': {
    secret: TenantSecretName;
    version: number;
    graceUntil: string | null;
    expiresAt: string | null;
    /** Finished by the control plane after the request that started it had failed half-way. */
    background: boolean;
  };
  /** A rotation stopped at `stage`; `pending`: its new value stays staged and is finished later. */
  'tenant.secret.rotation_failed': {
    secret: TenantSecretName;
    stage: 'stage' | 'tenant' | 'verify' | 'switch';
    code: string;
    reason: string;
    pending: boolean;
  };
  'tenant.secret.revoked': { secret: TenantSecretName; version: number };
  /** The grace period ended: the previous value was removed from the Secret. */
  'tenant.secret.previous_removed': { secret: TenantSecretName; version: number };
  'tenant.migrations.applied': { applied: string[]; pending: string[] };
  /** A worker component (target id `login-worker` or `agent`) was asked to move to an image tag. */
  'workers.upgrade.requested': { upgradeId: string; version: string; previousVersion: string | null };
  /** An upgrade was rolled back by a new one (`rollbackId`) returning to `version`. */
  'workers.upgrade.rolled_back': {
    upgradeId: string;
    rollbackId: string;
    version: string;
    fromVersion: string;
  };
  /** The leader finished following an upgrade: every rollout done, or stuck without progress. */
  'workers.upgrade.completed': {
    upgradeId: string;
    state: 'succeeded' | 'stuck' | 'failed';
    durationMs: number;
    error: string | null;
  };
  'tenant.backup.requested': { backupId: string; trigger: 'manual' | 'schedule' };
  'tenant.backup.completed': { backupId: string; sizeBytes: number; sha256: string; durationMs: number };
  'tenant.backup.failed': { backupId: string; reason: string };
  /** A backup file (or a byte range of it, `range` as `start-end`) was sent to the actor. */
  'tenant.backup.downloaded': { backupId: string; range: string | null };
  'tenant.backup.deleted': { backupId: string; reason: 'request' | 'retention' | 'purge' };
  'tenant.backup.verified': { backupId: string; passed: boolean; reason: string | null };
  'tenant.backup.settings_updated': { schedule: string | null; keep: number };
};

export type AuditAction = keyof AuditDetails;

export type AuditTarget = {
  kind: 'tenant' | 'settings' | 'license' | 'pool' | 'operator' | 'token' | 'workers';
  id: string;
};
