import { sql } from 'kysely';
import { z } from 'zod';
import type { Trx } from '../../db/database.ts';
import type { LicenseRow } from '../../db/schema.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { findLiveTenant } from '../tenants/repository.ts';
import { parseInput } from '../validate.ts';
import type { LicenseServices } from './services.ts';
import { getLicenseStatus, type LicenseStatus } from './status.ts';
import { markAllPending } from './sync.ts';
import { type VerifiedLicense, verifyLicense } from './token.ts';

/** After a renewal, the next automatic one waits a quarter of the new license's life, at least an hour. */
export function renewAgainAfterMs(verified: Pick<VerifiedLicense, 'expiresAt'>, now: Date): number {
  return Math.max(3_600_000, (verified.expiresAt.getTime() - now.getTime()) / 4);
}

/** Locks the license state row: every license change runs one at a time across replicas. */
async function lockState(trx: Trx) {
  return trx.selectFrom('license_state').selectAll().forUpdate().executeTakeFirstOrThrow();
}

async function allocatedSum(trx: Trx, exceptTenantId?: string): Promise<number> {
  const row = await sql<{ sum: string }>`
    select coalesce(sum(l.user_cap), 0) as sum from tenant_licenses l join tenants t on t.id = l.tenant_id
    where t.state <> 'deleted' and (${exceptTenantId ?? null}::uuid is null or l.tenant_id <> ${exceptTenantId ?? null}::uuid)`.execute(
    trx,
  );
  return Number(row.rows[0]!.sum);
}

function statusOf(services: LicenseServices, trx: Trx | LicenseServices['db']): Promise<LicenseStatus> {
  return getLicenseStatus(trx, {
    freeTierMaxUsers: services.licensing.freeTierMaxUsers,
    now: services.now(),
  });
}

/** The license status, as the `license` query and `GET /license` answer it. */
export function readLicenseStatus(
  services: Pick<LicenseServices, 'db' | 'now' | 'licensing'>,
): Promise<LicenseStatus> {
  return getLicenseStatus(services.db, {
    freeTierMaxUsers: services.licensing.freeTierMaxUsers,
    now: services.now(),
  });
}

/**
 * Puts a verified license in force inside `trx`: stored, the generation bumped, every tenant
 * marked to be told, audited (its id, never the token) and published. Refused when the tenants'
 * allocations already exceed its users. The caller kicks the fan-out after commit.
 */
export async function installLicense(
  services: LicenseServices,
  trx: Trx,
  call: Call,
  token: string,
  verified: VerifiedLicense,
  source: 'activate' | 'renew',
): Promise<LicenseRow> {
  const state = await lockState(trx);
  const allocated = await allocatedSum(trx);
  if (allocated > verified.maxUsers) {
    throw new ConflictError(
      `tenant allocations hold ${allocated} users, ${allocated - verified.maxUsers} more than this license's ${verified.maxUsers}: lower allocations first; the current license stays in force`,
      'LICENSE_OVER_ALLOCATED',
    );
  }
  const previous = state.license_id
    ? await trx.selectFrom('licenses').select('lid').where('id', '=', state.license_id).executeTakeFirst()
    : undefined;
  const now = services.now();
  const license = await trx
    .insertInto('licenses')
    .values({
      lid: verified.lid,
      licensee: verified.licensee,
      token,
      max_users: verified.maxUsers,
      features: JSON.stringify(verified.features),
      issued_at: verified.issuedAt,
      not_before: verified.notBefore,
      expires_at: verified.expiresAt,
      renewal_url: verified.renewalUrl,
      key_id: verified.keyId,
      source,
      activated_at: now,
      activated_by: call.actor.label,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const generation = state.generation + 1;
  await trx
    .updateTable('license_state')
    .set({
      license_id: license.id,
      generation,
      updated_at: now,
      updated_by: call.actor.label,
      // A new license starts its own renewal history.
      renewal_attempts: 0,
      renewal_error: null,
      renewal_failed_at: null,
      // After a renewal the leader waits before renewing again, even when an issuer's short-lived
      // licenses leave this one inside the renewal window: never once per tick.
      renewal_next_at: source === 'renew' ? new Date(now.getTime() + renewAgainAfterMs(verified, now)) : null,
      renewed_at: source === 'renew' ? now : null,
    })
    .execute();
  await markAllPending(trx, generation, now);
  await record(
    trx,
    services.bus,
    call,
    'license.activated',
    { kind: 'license', id: verified.lid },
    {
      lid: verified.lid,
      licensee: verified.licensee,
      maxUsers: verified.maxUsers,
      expiresAt: verified.expiresAt.toISOString(),
      keyId: verified.keyId,
      source,
      previousLid: previous?.lid ?? null,
    },
  );
  await services.bus.publishIn(trx, 'license.changed', { change: 'activated' });
  return license;
}

/**
 * Activates a license: verifies it (signature by a trusted key, dates, claims, size), stores it and
 * fans it out to every tenant. A refused license changes nothing; the old one stays in force.
 */
export async function activateLicense(
  services: LicenseServices,
  call: Call,
  token: string,
): Promise<LicenseStatus> {
  const verified = await verifyLicense(token, services.licensing.keys, services.now());
  const status = await services.db.transaction().execute(async (trx) => {
    await installLicense(services, trx, call, token.trim(), verified, 'activate');
    return statusOf(services, trx);
  });
  services.licensing.kick();
  return status;
}

/** Clears the license: every tenant returns to the free tier, tracked and retried like activation. */
export async function clearLicense(services: LicenseServices, call: Call): Promise<LicenseStatus> {
  const result = await services.db.transaction().execute(async (trx) => {
    const state = await lockState(trx);
    if (!state.license_id) return { status: await statusOf(services, trx), changed: false };
    const license = await trx
      .selectFrom('licenses')
      .select('lid')
      .where('id', '=', state.license_id)
      .executeTakeFirstOrThrow();
    const now = services.now();
    const generation = state.generation + 1;
    await trx
      .updateTable('license_state')
      .set({
        license_id: null,
        generation,
        updated_at: now,
        updated_by: call.actor.label,
        renewal_attempts: 0,
        renewal_error: null,
        renewal_failed_at: null,
        renewal_next_at: null,
      })
      .execute();
    await markAllPending(trx, generation, now);
    await record(
      trx,
      services.bus,
      call,
      'license.cleared',
      { kind: 'license', id: license.lid },
      { lid: license.lid },
    );
    await services.bus.publishIn(trx, 'license.changed', { change: 'cleared' });
    return { status: await statusOf(services, trx), changed: true };
  });
  if (result.changed) services.licensing.kick();
  return result.status;
}

export const userCapSchema = z
  .number({ message: 'must be a whole number or null' })
  .int('must be a whole number')
  .min(1, 'must be at least 1 (null removes the allocation)')
  .max(1_000_000_000, 'must be at most 1,000,000,000')
  .nullable();

/**
 * Sets (or with null removes) a tenant's share of the license. Allocations together never exceed
 * the license's users; unallocated tenants share what is left, so they are told again too.
 */
export async function setLicenseAllocation(
  services: LicenseServices,
  call: Call,
  input: { slug: string; userCap: number | null },
): Promise<LicenseStatus> {
  const { userCap } = parseInput(
    z.object({ userCap: userCapSchema }),
    { userCap: input.userCap },
    'allocation',
  );
  const result = await services.db.transaction().execute(async (trx) => {
    const state = await lockState(trx);
    const tenant = await findLiveTenant(trx, input.slug);
    if (!tenant)
      throw new NotFoundError(`no tenant has the slug "${input.slug.slice(0, 80)}"`, 'TENANT_NOT_FOUND');
    const license = state.license_id
      ? await trx
          .selectFrom('licenses')
          .select(['lid', 'max_users'])
          .where('id', '=', state.license_id)
          .executeTakeFirstOrThrow()
      : undefined;
    const current = await trx
      .selectFrom('tenant_licenses')
      .select('user_cap')
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirst();
    const previous = current?.user_cap ?? null;
    if (previous === userCap)
      return { status: await statusOf(services, trx), changed: false, tenantId: null };
    // With no license, allocations kept from the last one can still be removed or lowered, so a
    // smaller license can be activated next; only granting more needs a license to grant from.
    const lowers = userCap === null || (previous !== null && userCap < previous);
    if (!license && !lowers) {
      throw new ConflictError(
        'no license is active: allocations divide a license’s users; activate a license first (removing or lowering an allocation works without one)',
        'NO_LICENSE',
      );
    }
    if (license && userCap !== null) {
      const others = await allocatedSum(trx, tenant.id);
      if (others + userCap > license.max_users) {
        throw new ConflictError(
          `allocations would total ${others + userCap} users, ${others + userCap - license.max_users} more than the license's ${license.max_users} (other tenants hold ${others}); nothing was changed`,
          'LICENSE_OVER_ALLOCATED',
        );
      }
    }
    const now = services.now();
    const generation = state.generation + 1;
    await trx
      .updateTable('license_state')
      .set({ generation, updated_at: now, updated_by: call.actor.label })
      .execute();
    await trx
      .insertInto('tenant_licenses')
      .values({
        tenant_id: tenant.id,
        user_cap: userCap,
        target_generation: generation,
        next_attempt_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet({
          user_cap: userCap,
          target_generation: generation,
          state: 'pending',
          attempts: 0,
          last_error: null,
          next_attempt_at: now,
          updated_at: now,
        }),
      )
      .execute();
    // What the unallocated tenants share changed: they are told their new limit.
    await sql`
      update tenant_licenses l set target_generation = ${generation}, state = 'pending', attempts = 0,
        last_error = null, next_attempt_at = ${now}, updated_at = ${now}
      from tenants t where t.id = l.tenant_id and t.state in ('provisioning', 'active') and l.user_cap is null`.execute(
      trx,
    );
    await record(
      trx,
      services.bus,
      call,
      'license.allocation.set',
      { kind: 'tenant', id: tenant.slug },
      { userCap, previous },
    );
    await services.bus.publishIn(trx, 'license.changed', { change: 'allocation' });
    return { status: await statusOf(services, trx), changed: true, tenantId: tenant.id };
  });
  if (result.changed) {
    services.licensing.kick();
    await services.licensing
      .refreshRegistry(result.tenantId!)
      .catch((error: unknown) =>
        services.logger.warn(
          { err: error, tenant: input.slug },
          'the registry entry keeps the old allocation until the drift check finds it',
        ),
      );
  }
  return result.status;
}
