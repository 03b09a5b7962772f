import type { TenantRow } from '../../../db/schema.ts';
import type { AuditDetails } from '../../audit/actions.ts';
import { record } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { NotFoundError } from '../../errors.ts';
import { requireTenantIn, requireTenantSecret } from '../detail-access.ts';
import type { TenantServices } from '../services.ts';

/** Tenants whose secrets can be revealed: an active one, or one still being provisioned (to debug it). */
const REVEALABLE = ['provisioning', 'active'] as const;

export type Revealed = { tenant: TenantRow; value: string };

/**
 * Reads one value out of a tenant's Secret for the actor, recording that they saw it (never what
 * they saw). The audit entry is written before the value is handed out: no entry, no value.
 */
export async function revealSecret(
  services: TenantServices,
  call: Call,
  slug: string,
  secret: AuditDetails['tenant.secret.revealed']['secret'],
  pick: (values: Record<string, string>) => string | undefined,
): Promise<Revealed> {
  const tenant = await requireTenantIn(services, slug, REVEALABLE);
  const value = pick(await requireTenantSecret(services, slug));
  if (value === undefined || value === '')
    throw new NotFoundError(`tenant "${slug}" has no ${secret} set`, 'SECRET_NOT_SET');
  await services.db
    .transaction()
    .execute((trx) =>
      record(trx, services.bus, call, 'tenant.secret.revealed', { kind: 'tenant', id: slug }, { secret }),
    );
  return { tenant, value };
}
