import type { TenantSecretName } from '../../../db/schema.ts';
import { TenantApiError } from '../../../tenant-api/errors.ts';
import type { SecretRotation } from '../../../tenant-api/types.ts';
import { apiOf } from '../detail-access.ts';
import { type RotatableSecret, SECRET_SPECS } from './rotatable.ts';
import type { Handshake } from './rotation.ts';

/** Field of `PUT /cp/v1/secrets` each secret travels in. */
const WIRE_FIELD: Record<RotatableSecret | 'cp-token', keyof Omit<SecretRotation, 'graceSeconds'>> = {
  jwt: 'jwtSecret',
  'login-worker-token': 'loginWorkerToken',
  'proxy-token': 'proxyToken',
  'cp-token': 'cpToken',
};

/** JWT secret, login-worker token, proxy token: the backend is told through `PUT /cp/v1/secrets`. */
function sharedSecret(name: RotatableSecret): Handshake {
  return {
    spec: SECRET_SPECS[name],
    async push(services, tenant, secret, next, graceSeconds) {
      await apiOf(services, tenant.slug, secret).putSecrets({ [WIRE_FIELD[name]]: next, graceSeconds });
    },
  };
}

/**
 * The CP token authenticates the control plane itself, so it is sent with the current token and
 * switched to only once a call made with the new one succeeds. When the current token is refused
 * (the backend took the staged token during an earlier attempt and the grace period has run out
 * since), the staged token is tried: sending the value the backend already has changes nothing.
 */
export const cpTokenHandshake: Handshake = {
  spec: SECRET_SPECS['cp-token'],
  async push(services, tenant, secret, next, graceSeconds) {
    const body: SecretRotation = { cpToken: next, graceSeconds };
    try {
      await apiOf(services, tenant.slug, secret).putSecrets(body);
    } catch (error) {
      if (!(error instanceof TenantApiError && error.status === 401)) throw error;
      await services.backends.forTenant(tenant.slug, next).putSecrets(body);
    }
  },
  async verify(services, tenant, next) {
    await services.backends.forTenant(tenant.slug, next).status();
  },
};

/** The initial admin password: the backend stores its hash through `PUT /cp/v1/admin-password`. */
export const adminPasswordHandshake: Handshake = {
  spec: SECRET_SPECS['admin-password'],
  async push(services, tenant, secret, next) {
    await apiOf(services, tenant.slug, secret).setAdminPassword(next);
  },
};

/** Every secret rotated with a handshake, by name (the maintenance task finishes pending ones). */
export const HANDSHAKES: Partial<Record<TenantSecretName, Handshake>> = {
  jwt: sharedSecret('jwt'),
  'login-worker-token': sharedSecret('login-worker-token'),
  'proxy-token': sharedSecret('proxy-token'),
  'cp-token': cpTokenHandshake,
  'admin-password': adminPasswordHandshake,
};
