import type { TenantSecretKey } from '../../../cluster/resources.ts';
import type { TenantSecretName, TenantSecretRow } from '../../../db/schema.ts';
import type { TenantServices } from '../services.ts';
import { generateTenantSecrets } from './generate.ts';

/** The secrets an operator rotates through `rotateTenantSecret`; the others have their own operations. */
export const ROTATABLE_SECRETS = ['jwt', 'login-worker-token', 'proxy-token'] as const;
export type RotatableSecret = (typeof ROTATABLE_SECRETS)[number];

/** Every secret whose metadata the control plane keeps, in the order a tenant page shows them. */
export const TENANT_SECRET_NAMES: readonly TenantSecretName[] = [
  'jwt',
  'login-worker-token',
  'proxy-token',
  'cp-token',
  'bootstrap-token',
  'admin-password',
];

export type SecretSpec = {
  name: TenantSecretName;
  /** Its key in the tenant's Secret. */
  key: Exclude<TenantSecretKey, 'DATABASE_URL'>;
  /** Words for messages: "the JWT secret". */
  label: string;
  /** Whether the previous value stays valid for the grace period (as `<KEY>_PREVIOUS` in the Secret). */
  grace: boolean;
};

export const SECRET_SPECS: Record<TenantSecretName, SecretSpec> = {
  jwt: { name: 'jwt', key: 'JWT_SECRET', label: 'JWT secret', grace: true },
  'login-worker-token': {
    name: 'login-worker-token',
    key: 'LOGIN_WORKER_TOKEN',
    label: 'login-worker token',
    grace: true,
  },
  'proxy-token': { name: 'proxy-token', key: 'PROXY_TOKEN', label: 'proxy token', grace: true },
  'cp-token': { name: 'cp-token', key: 'CP_TOKEN', label: 'CP token', grace: true },
  'bootstrap-token': {
    name: 'bootstrap-token',
    key: 'BOOTSTRAP_TOKEN',
    label: 'bootstrap token',
    grace: false,
  },
  'admin-password': {
    name: 'admin-password',
    key: 'ADMIN_INITIAL_PASSWORD',
    label: 'admin password',
    grace: false,
  },
};

/** Secret keys next to a value: the one it replaced (valid until its expiry) and one being rolled out. */
export const previousKey = (key: string) => `${key}_PREVIOUS`;
export const previousExpiresKey = (key: string) => `${key}_PREVIOUS_EXPIRES_AT`;
export const pendingKey = (key: string) => `${key}_PENDING`;
/** When the bootstrap token stops being valid (ISO 8601); absent = no expiry. */
export const BOOTSTRAP_EXPIRES_KEY = 'BOOTSTRAP_TOKEN_EXPIRES_AT';

/** A fresh value of the same form as the one made at provisioning (same length and prefix). */
export function generateSecretValue(spec: SecretSpec): string {
  return generateTenantSecrets()[spec.key];
}

/**
 * Enough of a token to tell two apart, not enough to use: its prefix (`bst_`) and last four
 * characters. Short values show nothing at all.
 */
export function maskSecret(value: string): string {
  if (value.length < 16) return '••••••••';
  const prefix = /^[a-z]+_/.exec(value)?.[0] ?? '';
  return `${prefix}••••••••${value.slice(-4)}`;
}

export const clockOf = (services: Pick<TenantServices, 'now'>) => services.now?.() ?? new Date();
export const graceSecondsOf = (services: Pick<TenantServices, 'secretGraceSeconds'>) =>
  services.secretGraceSeconds ?? 3600;

/** What a tenant page shows of one secret: never its value. */
export type SecretStatus = {
  name: TenantSecretName;
  /** 1 = the value made at provisioning; +1 per rotation. */
  version: number;
  rotatedAt: Date | null;
  rotatedBy: string | null;
  /** Until when the previous value stays valid, while that is in the future. */
  graceUntil: Date | null;
  /** A rotation is staged but not finished (the current value is still in use). */
  pending: boolean;
  pendingError: string | null;
  /** Bootstrap token only. */
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export function secretStatus(
  name: TenantSecretName,
  row: TenantSecretRow | undefined,
  now: Date,
): SecretStatus {
  const previous = row?.previous_expires_at ?? null;
  return {
    name,
    version: row?.version ?? 1,
    rotatedAt: row?.rotated_at ?? null,
    rotatedBy: row?.rotated_by ?? null,
    graceUntil: previous && previous > now ? previous : null,
    pending: Boolean(row?.pending_since),
    pendingError: row?.pending_since ? (row.pending_error ?? null) : null,
    expiresAt: row?.expires_at ?? null,
    revokedAt: row?.revoked_at ?? null,
  };
}
