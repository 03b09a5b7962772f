import type { TenantSecretRow } from '../../../db/schema.ts';
import type { Call } from '../../call.ts';
import { ValidationError } from '../../errors.ts';
import { exclusively, requireTenantIn } from '../detail-access.ts';
import type { TenantServices } from '../services.ts';
import { cpTokenHandshake, HANDSHAKES } from './handshakes.ts';
import { ROTATABLE_SECRETS, type RotatableSecret } from './rotatable.ts';
import { rotateWithHandshake } from './rotation.ts';

function isRotatable(name: string): name is RotatableSecret {
  return (ROTATABLE_SECRETS as readonly string[]).includes(name);
}

/**
 * Rotates the JWT secret, login-worker token or proxy token of an active tenant with zero
 * downtime: the backend accepts the previous value for the grace period, which the Secret keeps
 * as `<KEY>_PREVIOUS` until the leader's maintenance removes it. See `rotateWithHandshake`.
 */
export async function rotateTenantSecret(
  services: TenantServices,
  call: Call,
  slug: string,
  name: string,
): Promise<TenantSecretRow> {
  if (!isRotatable(name))
    throw new ValidationError(`unknown secret "${name}": must be one of ${ROTATABLE_SECRETS.join(', ')}`, [
      { path: 'secret', message: `must be one of ${ROTATABLE_SECRETS.join(', ')}` },
    ]);
  const tenant = await requireTenantIn(services, slug);
  const handshake = HANDSHAKES[name]!;
  return exclusively(services, tenant, name, () => rotateWithHandshake(services, call, tenant, handshake));
}

/**
 * Rotates the token the control plane uses to call the tenant's backend, with a handshake: the new
 * token is sent authenticated by the current one and the Secret switches only after a call made
 * with the new token succeeded. A failure at any point leaves the control plane with a token the
 * backend accepts (the current one, valid at least for the grace period), and a staged token is
 * finished by the leader's maintenance before that runs out.
 */
export async function rotateCpToken(
  services: TenantServices,
  call: Call,
  slug: string,
): Promise<TenantSecretRow> {
  const tenant = await requireTenantIn(services, slug);
  return exclusively(services, tenant, 'cp-token', () =>
    rotateWithHandshake(services, call, tenant, cpTokenHandshake),
  );
}
