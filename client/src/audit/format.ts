type Actor = { kind: string; label: string };
type Target = { kind: string; id: string } | null | undefined;

/** "alice@example.com (operator)"; the kind tells an operator from a token or the system. */
export function formatActor(actor: Actor): string {
  return actor.label === actor.kind ? actor.label : `${actor.label} (${actor.kind})`;
}

/** "tenant acme", or an em dash when the action had no single target. */
export function formatTarget(target: Target): string {
  return target ? `${target.kind} ${target.id}` : '—';
}

/**
 * Puts a live entry on top of those already received. An entry seen twice (a reconnect can replay)
 * stays once; the list keeps at most `limit` entries so a busy log cannot grow the page without end.
 */
export function prependUnique<T extends { id: string }>(
  entries: readonly T[],
  entry: T,
  limit = 500,
): readonly T[] {
  if (entries.some((e) => e.id === entry.id)) return entries;
  return [entry, ...entries].slice(0, limit);
}

/** The entries whose ids are not in `seen`: a refetched page must not repeat a row shown live. */
export function withoutIds<T extends { id: string }>(entries: readonly T[], seen: ReadonlySet<string>): T[] {
  return entries.filter((e) => !seen.has(e.id));
}

/** Every action the API records, in words; a test checks none is missing (test/unit/client/audit-labels.test.ts). */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  'auth.login': 'Signed in',
  'auth.login_failed': 'Sign-in failed',
  'auth.logout': 'Signed out',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'tenant.create.requested': 'Tenant creation requested',
  'tenant.create.completed': 'Tenant provisioned',
  'tenant.delete.requested': 'Tenant deletion requested',
  'tenant.delete.completed': 'Tenant deleted',
  'tenant.repair.requested': 'Tenant repair requested',
  'tenant.repair.completed': 'Tenant repaired',
  'tenant.operation.retried': 'Tenant operation retried',
  'tenant.workers.updated': 'Worker settings changed',
  'tenant.workers.completed': 'Worker settings applied',
  'tenant.migrations.applied': 'Database migrations applied',
  'tenant.secret.revealed': 'Secret revealed',
  'tenant.secret.rotated': 'Secret rotated',
  'tenant.secret.rotation_failed': 'Secret rotation failed',
  'tenant.secret.revoked': 'Secret revoked',
  'tenant.secret.previous_removed': 'Previous secret value removed',
  'tenant.backup.requested': 'Backup requested',
  'tenant.backup.completed': 'Backup completed',
  'tenant.backup.failed': 'Backup failed',
  'tenant.backup.downloaded': 'Backup downloaded',
  'tenant.backup.deleted': 'Backup deleted',
  'tenant.backup.verified': 'Backup verified',
  'tenant.backup.settings_updated': 'Backup schedule changed',
  'license.activated': 'License activated',
  'license.cleared': 'License removed',
  'license.allocation.set': 'License allocation set',
  'license.renewal_failed': 'License renewal failed',
  'pool.created': 'Agent pool created',
  'pool.updated': 'Agent pool changed',
  'pool.deleted': 'Agent pool deleted',
  'pool.shared.initialized': 'Shared agent pool created',
  'pool.shared.scaled': 'Shared agent pool scaled',
  'pool.shared.key_rotated': 'Shared agent pool key rotated',
  'pool.shared.previous_key_removed': 'Shared agent pool previous key removed',
  'workers.upgrade.requested': 'Worker upgrade requested',
  'workers.upgrade.completed': 'Worker upgrade ended',
  'workers.upgrade.rolled_back': 'Worker upgrade rolled back',
  'settings.alerts.updated': 'Alert settings changed',
  'settings.smtp.updated': 'SMTP relay changed',
  'settings.smtp.tested': 'SMTP test e-mail sent',
  'settings.smtp.cleared': 'SMTP relay removed',
};

/** An action in words for people ("Tenant provisioned"); unknown actions as the API names them. */
export function describeAction(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

const DOMAIN_COLORS: Readonly<Record<string, string>> = {
  tenant: 'brand',
  settings: 'grape',
  license: 'yellow',
  pool: 'cyan',
  operator: 'pink',
  token: 'pink',
  auth: 'pink',
  workers: 'teal',
};

/** A colour per domain of actions (the part before the first dot), so a busy log scans at a glance. */
export function actionColor(action: string): string {
  return DOMAIN_COLORS[action.split('.')[0] ?? ''] ?? 'gray';
}
