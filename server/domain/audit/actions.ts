/**
 * The audit vocabulary: every action and the exact shape of its details. Details are typed, not
 * free-form, so a secret value cannot reach the audit log by accident: there is no field to put it in.
 * Add an action here before recording it.
 */
export type AuditDetails = {
  'settings.alerts.updated': { changed: string[] };
  'tenant.create.requested': { name: string; operationId: string };
  'tenant.create.completed': { operationId: string; durationMs: number };
  'tenant.delete.requested': { operationId: string; cancelledOperationId: string | null };
  'tenant.delete.completed': { operationId: string; durationMs: number };
};

export type AuditAction = keyof AuditDetails;

export type AuditTarget = {
  kind: 'tenant' | 'settings' | 'license' | 'pool' | 'operator' | 'token';
  id: string;
};
