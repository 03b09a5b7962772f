import { tenantSecretName } from '../../../cluster/labels.ts';
import type { TenantRow } from '../../../db/schema.ts';
import { record } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { DependencyError, ValidationError } from '../../errors.ts';
import { patchTenantSecret } from '../cluster-secret.ts';
import { exclusively, reasonOf, requireTenantIn, requireTenantSecret } from '../detail-access.ts';
import type { TenantServices } from '../services.ts';
import { recordRevocation, recordRotation, secretRow } from './metadata.ts';
import { type Revealed, revealSecret } from './reveal.ts';
import {
  BOOTSTRAP_EXPIRES_KEY,
  clockOf,
  generateSecretValue,
  maskSecret,
  SECRET_SPECS,
} from './rotatable.ts';

const SPEC = SECRET_SPECS['bootstrap-token'];
/** The longest expiry a bootstrap token may be given. */
export const MAX_BOOTSTRAP_TTL_MS = 366 * 24 * 3600 * 1000;

/** What a tenant page shows of the Terraform bootstrap token: never the whole value. */
export type BootstrapTokenView = {
  set: boolean;
  /** Prefix and last four characters, e.g. `bst_••••••••k2Qa`; null when there is no token. */
  masked: string | null;
  expiresAt: Date | null;
  expired: boolean;
  version: number;
  rotatedAt: Date | null;
  rotatedBy: string | null;
  revokedAt: Date | null;
};

/** The bootstrap token as a tenant page shows it; reads the tenant's Secret. */
export async function bootstrapTokenView(
  services: TenantServices,
  tenant: TenantRow,
): Promise<BootstrapTokenView> {
  const secret = await requireTenantSecret(services, tenant.slug);
  const row = await secretRow(services.db, tenant.id, 'bootstrap-token');
  const token = secret[SPEC.key];
  const expires = secret[BOOTSTRAP_EXPIRES_KEY] ? new Date(secret[BOOTSTRAP_EXPIRES_KEY]) : null;
  const expiresAt = expires && !Number.isNaN(expires.getTime()) ? expires : null;
  return {
    set: Boolean(token),
    masked: token ? maskSecret(token) : null,
    expiresAt: token ? expiresAt : null,
    expired: Boolean(token && expiresAt && expiresAt <= clockOf(services)),
    version: row?.version ?? 1,
    rotatedAt: row?.rotated_at ?? null,
    rotatedBy: row?.rotated_by ?? null,
    revokedAt: token ? null : (row?.revoked_at ?? null),
  };
}

/** The whole bootstrap token, for the operator who asked; audited. */
export function revealBootstrapToken(services: TenantServices, call: Call, slug: string): Promise<Revealed> {
  return revealSecret(services, call, slug, 'bootstrap-token', (s) => s[SPEC.key]);
}

/**
 * Replaces the bootstrap token with a new one, valid until `expiresAt` (none: no expiry), or
 * issues one after a revocation. The backend reads it from the Secret, so one write switches it;
 * the old token stops working at once (it bootstraps, it is not in continuous use).
 */
export async function rotateBootstrapToken(
  services: TenantServices,
  call: Call,
  slug: string,
  expiresAt: Date | null | undefined,
): Promise<BootstrapTokenView> {
  const now = clockOf(services);
  if (expiresAt) {
    const ms = expiresAt.getTime() - now.getTime();
    if (Number.isNaN(ms) || ms <= 0 || ms > MAX_BOOTSTRAP_TTL_MS)
      throw new ValidationError('expiresAt must be in the future and at most 366 days away', [
        { path: 'expiresAt', message: 'must be in the future and at most 366 days away' },
      ]);
  }
  const tenant = await requireTenantIn(services, slug);
  return exclusively(services, tenant, SPEC.name, async () => {
    const token = generateSecretValue(SPEC);
    await write(services, tenant, {
      [SPEC.key]: token,
      [BOOTSTRAP_EXPIRES_KEY]: expiresAt ? expiresAt.toISOString() : null,
    });
    await services.db.transaction().execute(async (trx) => {
      const row = await recordRotation(trx, tenant.id, SPEC.name, {
        at: now,
        by: call.actor.label,
        previousExpiresAt: null,
        expiresAt: expiresAt ?? null,
      });
      await record(
        trx,
        services.bus,
        call,
        'tenant.secret.rotated',
        { kind: 'tenant', id: slug },
        {
          secret: SPEC.name,
          version: row.version,
          graceUntil: null,
          expiresAt: expiresAt?.toISOString() ?? null,
          background: false,
        },
      );
      await services.bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug, change: 'secrets' });
    });
    return bootstrapTokenView(services, tenant);
  });
}

/**
 * Removes the bootstrap token: the backend accepts none until a new one is issued. Revoking a
 * tenant that has none changes nothing and records nothing.
 */
export async function revokeBootstrapToken(
  services: TenantServices,
  call: Call,
  slug: string,
): Promise<BootstrapTokenView> {
  const tenant = await requireTenantIn(services, slug);
  return exclusively(services, tenant, SPEC.name, async () => {
    const secret = await requireTenantSecret(services, slug);
    if (!secret[SPEC.key]) return bootstrapTokenView(services, tenant);
    await write(services, tenant, { [SPEC.key]: null, [BOOTSTRAP_EXPIRES_KEY]: null });
    await services.db.transaction().execute(async (trx) => {
      const row = await recordRevocation(trx, tenant.id, SPEC.name, clockOf(services));
      await record(
        trx,
        services.bus,
        call,
        'tenant.secret.revoked',
        { kind: 'tenant', id: slug },
        { secret: SPEC.name, version: row.version },
      );
      await services.bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug, change: 'secrets' });
    });
    return bootstrapTokenView(services, tenant);
  });
}

async function write(services: TenantServices, tenant: TenantRow, changes: Record<string, string | null>) {
  try {
    await patchTenantSecret(services.cluster, tenant.slug, changes);
  } catch (error) {
    throw new DependencyError(
      `Secret ${tenantSecretName(tenant.slug)} could not be updated; nothing changed (${reasonOf(error)})`,
      'SECRET_UPDATE_FAILED',
    );
  }
}
