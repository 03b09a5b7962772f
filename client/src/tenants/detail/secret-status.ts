import { formatTime } from '../../components/time.ts';
import type { RotatableTenantSecret, TenantSecretName } from '../../gql/graphql.ts';

/** What each secret is called on the page. */
export const SECRET_LABELS: Readonly<Record<TenantSecretName, string>> = {
  ADMIN_PASSWORD: 'Admin password',
  BOOTSTRAP_TOKEN: 'Bootstrap token',
  CP_TOKEN: 'CP token',
  JWT: 'JWT secret',
  LOGIN_WORKER_TOKEN: 'Login-worker token',
  PROXY_TOKEN: 'Proxy token',
};

/** The secrets the Secrets tab rotates; the others have a tab of their own. */
export const ROTATABLE_SECRETS: readonly RotatableTenantSecret[] = [
  'JWT',
  'LOGIN_WORKER_TOKEN',
  'PROXY_TOKEN',
];

export function isRotatable(secret: TenantSecretName): secret is RotatableTenantSecret {
  return (ROTATABLE_SECRETS as readonly string[]).includes(secret);
}

/** The metadata of a secret that says where it stands. */
export type SecretState = {
  pending: boolean;
  pendingError?: string | null;
  graceActive: boolean;
  graceUntil?: string | null;
};

export type SecretStatus =
  | { kind: 'pending'; label: string; detail: string }
  | { kind: 'grace'; label: string; detail: string }
  | { kind: 'current'; label: string; detail: null };

/** "45 s", "59 min", "2 h 5 min", "3 d 4 h": how long until an instant, for a running grace period. */
export function formatRemaining(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/**
 * Where a secret stands: a rotation stopped half-way (the control plane finishes it), a grace period
 * during which the previous value is still accepted, or just the current value. A grace period
 * whose end has passed on this clock is over, whatever the last answer said.
 */
export function secretStatus(secret: SecretState, now: number, locale?: string): SecretStatus {
  if (secret.pending) {
    return {
      kind: 'pending',
      label: 'Rotation pending',
      detail: secret.pendingError
        ? `Stopped half-way: ${secret.pendingError}. The current value stays in use; the control plane finishes the rotation.`
        : 'The current value stays in use; the control plane finishes the rotation.',
    };
  }
  const until = secret.graceUntil ? new Date(secret.graceUntil).getTime() : Number.NaN;
  if (secret.graceActive && secret.graceUntil && !(until <= now)) {
    const left = Number.isNaN(until) ? '' : ` (${formatRemaining(until - now)} left)`;
    return {
      kind: 'grace',
      label: 'Grace period',
      detail: `The previous value is accepted until ${formatTime(secret.graceUntil, locale)}${left}.`,
    };
  }
  return { kind: 'current', label: 'Current', detail: null };
}

/** "12.3 MB": a size in bytes, in the largest unit that keeps it at or above 1. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
