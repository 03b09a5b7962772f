import { setTimeout as sleep } from 'node:timers/promises';
import { tenantSecretName } from '../../cluster/labels.ts';
import type { TenantRow, TenantSecretName, TenantState } from '../../db/schema.ts';
import type { TenantApi } from '../../tenant-api/client.ts';
import { TenantApiError } from '../../tenant-api/errors.ts';
import { scrub } from '../../tenant-api/wire.ts';
import { ConflictError, DependencyError, NotFoundError } from '../errors.ts';
import { readTenantSecret } from './cluster-secret.ts';
import { findLiveTenant } from './repository.ts';
import type { TenantServices } from './services.ts';

/**
 * The tenant under `slug` if it is in one of `states` (default: active only): NotFoundError when
 * there is none, ConflictError TENANT_NOT_ACTIVE while it is being provisioned or deleted.
 */
export async function requireTenantIn(
  services: Pick<TenantServices, 'db'>,
  slug: string,
  states: readonly TenantState[] = ['active'],
): Promise<TenantRow> {
  const tenant = await findLiveTenant(services.db, slug);
  if (!tenant) throw new NotFoundError(`no tenant with slug "${slug}"`, 'TENANT_NOT_FOUND');
  if (!states.includes(tenant.state))
    throw new ConflictError(
      `tenant "${slug}" is ${tenant.state}: this needs it to be ${states.join(' or ')}`,
      'TENANT_NOT_ACTIVE',
    );
  return tenant;
}

/** The decoded Secret of a tenant, or a DependencyError saying why it cannot be had. */
export async function requireTenantSecret(
  services: Pick<TenantServices, 'cluster'>,
  slug: string,
): Promise<Record<string, string>> {
  let secret: Record<string, string> | undefined;
  try {
    secret = await readTenantSecret(services.cluster, slug);
  } catch (error) {
    throw new DependencyError(
      `Secret ${tenantSecretName(slug)} cannot be read: ${reasonOf(error)}`,
      'SECRET_UNAVAILABLE',
    );
  }
  if (!secret) throw new DependencyError(`Secret ${tenantSecretName(slug)} does not exist`, 'SECRET_MISSING');
  return secret;
}

/** The tenant API of a tenant, authenticated with the CP token its Secret holds now. */
export function apiOf(
  services: Pick<TenantServices, 'backends'>,
  slug: string,
  secret: Record<string, string>,
) {
  if (!secret.CP_TOKEN)
    throw new DependencyError(`Secret ${tenantSecretName(slug)} has no CP_TOKEN`, 'SECRET_INCOMPLETE');
  return services.backends.forTenant(slug, secret.CP_TOKEN);
}

/** Whether a tenant API failure means the backend looked at the request and said no (so nothing changed there). */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof TenantApiError &&
    error.kind === 'http' &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** A failure's message without any of `values` in it (they are replaced by `[redacted]`). */
export function reasonOf(error: unknown, values: readonly (string | undefined)[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  return scrub(
    message,
    values.filter((v): v is string => typeof v === 'string'),
  ).slice(0, 500);
}

/** Runs a read or action against a tenant's backend, turning its failures into a DependencyError. */
export async function callTenant<T>(api: TenantApi, call: (api: TenantApi) => Promise<T>): Promise<T> {
  try {
    return await call(api);
  } catch (error) {
    if (isRefusal(error))
      throw new DependencyError(`the tenant backend refused: ${reasonOf(error)}`, 'TENANT_BACKEND_REFUSED');
    throw new DependencyError(
      `the tenant backend is unavailable: ${reasonOf(error)}`,
      'TENANT_BACKEND_UNAVAILABLE',
    );
  }
}

const lockKey = (tenantId: string, name: TenantSecretName) => `tenant-secret:${tenantId}:${name}`;

/**
 * Runs `fn` holding the cross-replica lock of one tenant secret, so two rotations of it (or a
 * rotation and the grace-period cleanup) never interleave. Waits up to `waitMs` for a holder to
 * finish; `undefined` when the lock stayed taken.
 */
export async function withSecretLock<T>(
  services: Pick<TenantServices, 'locks'>,
  tenantId: string,
  name: TenantSecretName,
  waitMs: number,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const key = lockKey(tenantId, name);
  const until = Date.now() + waitMs;
  while (!(await services.locks.tryLock(key))) {
    if (Date.now() >= until) return { ran: false };
    await sleep(100);
  }
  try {
    return { ran: true, value: await fn() };
  } finally {
    await services.locks.unlock(key).catch(() => {});
  }
}

/** How long an operator's rotation waits for another one of the same secret before it is refused. */
export const LOCK_WAIT_MS = 3000;

/** `withSecretLock` for a request: a rotation still running after the wait is a ConflictError. */
export async function exclusively<T>(
  services: Pick<TenantServices, 'locks'>,
  tenant: TenantRow,
  name: TenantSecretName,
  fn: () => Promise<T>,
): Promise<T> {
  const result = await withSecretLock(services, tenant.id, name, LOCK_WAIT_MS, fn);
  if (!result.ran)
    throw new ConflictError(
      `another change of the ${name} of tenant "${tenant.slug}" is in progress; try again when it has finished`,
      'ROTATION_IN_PROGRESS',
    );
  return result.value;
}
