import type { TenantSecretRow } from '../../../db/schema.ts';
import type { Call } from '../../call.ts';
import { exclusively, requireTenantIn } from '../detail-access.ts';
import type { TenantServices } from '../services.ts';
import { adminPasswordHandshake } from './handshakes.ts';
import { type Revealed, revealSecret } from './reveal.ts';
import { rotateWithHandshake } from './rotation.ts';

/** The tenant's initial admin password, for the operator who asked; audited. */
export function revealAdminPassword(services: TenantServices, call: Call, slug: string): Promise<Revealed> {
  return revealSecret(services, call, slug, 'admin-password', (s) => s.ADMIN_INITIAL_PASSWORD);
}

/**
 * Gives the tenant's admin a new random password: staged in the Secret, set on the backend
 * (`PUT /cp/v1/admin-password`), then made current in the Secret, where `revealAdminPassword`
 * reads it. The old password keeps working until the backend has taken the new one.
 */
export async function resetAdminPassword(
  services: TenantServices,
  call: Call,
  slug: string,
): Promise<TenantSecretRow> {
  const tenant = await requireTenantIn(services, slug);
  return exclusively(services, tenant, 'admin-password', () =>
    rotateWithHandshake(services, call, tenant, adminPasswordHandshake),
  );
}
