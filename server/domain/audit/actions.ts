/**
 * The audit vocabulary: every action and the exact shape of its details. Details are typed, not
 * free-form, so a secret value cannot reach the audit log by accident: there is no field to put it in.
 * Add an action here before recording it.
 */
export type AuditDetails = {
  'settings.alerts.updated': { changed: string[] };
};

export type AuditAction = keyof AuditDetails;

export type AuditTarget = {
  kind: 'tenant' | 'settings' | 'license' | 'pool' | 'operator' | 'token';
  id: string;
};
