import { randomBytes } from 'node:crypto';
import type { TenantSecretKey } from '../../../cluster/resources.ts';

const token = (prefix: string, bytes = 32) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

/** The values generated for a new tenant, except DATABASE_URL, which is built from the role password. */
export type GeneratedSecrets = Record<Exclude<TenantSecretKey, 'DATABASE_URL'>, string> & {
  DB_PASSWORD: string;
};

/**
 * Fresh random secrets for a tenant: a 256-bit JWT secret, prefixed tokens (so a leaked one can be
 * recognised by scanners), a database password and an initial admin password.
 */
export function generateTenantSecrets(): GeneratedSecrets {
  return {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    LOGIN_WORKER_TOKEN: token('lwt_'),
    PROXY_TOKEN: token('pxt_'),
    CP_TOKEN: token('cpt_tenant_'),
    BOOTSTRAP_TOKEN: token('bst_'),
    ADMIN_INITIAL_PASSWORD: randomBytes(18).toString('base64url'),
    DB_PASSWORD: randomBytes(24).toString('base64url'),
  };
}
