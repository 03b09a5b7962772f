import { tenantSecretName } from '../../../cluster/labels.ts';
import type { TenantRow, TenantSecretRow } from '../../../db/schema.ts';
import { SYSTEM_ACTOR } from '../../actor.ts';
import type { AuditDetails } from '../../audit/actions.ts';
import { record } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { DependencyError } from '../../errors.ts';
import { rollDedicatedLoginWorker } from '../../workers/steps.ts';
import { patchTenantSecret } from '../cluster-secret.ts';
import { isRefusal, reasonOf, requireTenantSecret } from '../detail-access.ts';
import { retryDelayMs } from '../operations/runner.ts';
import type { TenantServices } from '../services.ts';
import { clearPending, markPending, pendingFailed, recordRotation, secretRow } from './metadata.ts';
import {
  clockOf,
  generateSecretValue,
  graceSecondsOf,
  pendingKey,
  previousExpiresKey,
  previousKey,
  type SecretSpec,
} from './rotatable.ts';

/**
 * How one secret is rolled out. The control plane's side of the value lives in the tenant's
 * Secret; the backend's side is changed by `push`. A rotation is a handshake between the two:
 *
 * 1. **stage**: the new value is written to the Secret as `<KEY>_PENDING` (after noting in our
 *    database that a rotation is pending), so it is never held only in memory: whatever fails
 *    later, it can be found and the rotation finished.
 * 2. **tenant**: `push` tells the backend. A refusal (4xx) means the backend did not take it: the
 *    staged value is dropped and nothing changed. Any other failure (timeout, lost connection,
 *    5xx) leaves it unknown whether the backend took it, so the value stays staged and the
 *    rotation is finished later (by the next request or the leader's maintenance) rather than
 *    abandoned: a backend that did take it accepts the current value only for the grace period.
 * 3. **verify** (CP token): a call authenticated with the new value proves the backend uses it.
 * 4. **switch**: one merge patch makes the new value current, keeps the old one as
 *    `<KEY>_PREVIOUS` with `<KEY>_PREVIOUS_EXPIRES_AT`, and removes the staged copy.
 *
 * Until the switch the Secret's current value is untouched, so every failure leaves the old
 * value working, and the error says at which stage it stopped.
 */
export type Handshake = {
  spec: SecretSpec;
  push(
    services: TenantServices,
    tenant: TenantRow,
    secret: Record<string, string>,
    next: string,
    graceSeconds: number,
  ): Promise<void>;
  verify?(services: TenantServices, tenant: TenantRow, next: string): Promise<void>;
};

type Stage = AuditDetails['tenant.secret.rotation_failed']['stage'];

export type RotationOptions = {
  /** Finishing a pending rotation in the background: failures are not audited again, only retried. */
  background?: boolean;
};

/**
 * Rotates one secret of an active tenant through the handshake above. The caller holds the
 * secret's lock. Returns the secret's metadata afterwards; throws a DependencyError naming the
 * stage that failed and what state it left.
 */
export async function rotateWithHandshake(
  services: TenantServices,
  call: Call,
  tenant: TenantRow,
  handshake: Handshake,
  options: RotationOptions = {},
): Promise<TenantSecretRow> {
  const { spec } = handshake;
  const { db } = services;
  const staged = pendingKey(spec.key);
  const graceSeconds = graceSecondsOf(services);
  let secret = await requireTenantSecret(services, tenant.slug);
  let next = secret[staged];
  const current = secret[spec.key];
  const values = () => [next, current, secret.CP_TOKEN];
  const failure = (stage: Stage, error: unknown, pending: boolean, code: string, message: string) =>
    fail(
      services,
      call,
      tenant,
      spec,
      { stage, pending, code, message, reason: reasonOf(error, values()) },
      options,
    );

  if (next === undefined) {
    next = generateSecretValue(spec);
    await markPending(db, tenant.id, spec.name, clockOf(services));
    try {
      await patchTenantSecret(services.cluster, tenant.slug, { [staged]: next });
    } catch (error) {
      await clearPending(db, tenant.id, spec.name);
      return failure(
        'stage',
        error,
        false,
        'SECRET_UPDATE_FAILED',
        `the new ${spec.label} could not be staged in Secret ${tenantSecretName(tenant.slug)}; nothing changed`,
      );
    }
    secret = { ...secret, [staged]: next };
  } else {
    await markPending(db, tenant.id, spec.name, clockOf(services));
  }

  try {
    await handshake.push(services, tenant, secret, next, graceSeconds);
  } catch (error) {
    if (isRefusal(error)) {
      const dropped = await patchTenantSecret(services.cluster, tenant.slug, { [staged]: null }).then(
        () => true,
        () => false,
      );
      if (dropped) await clearPending(db, tenant.id, spec.name);
      return failure(
        'tenant',
        error,
        !dropped,
        'TENANT_BACKEND_REFUSED',
        `the tenant backend refused the new ${spec.label}; nothing changed: the current value stays in use`,
      );
    }
    return failure(
      'tenant',
      error,
      true,
      'TENANT_BACKEND_UNAVAILABLE',
      `the tenant backend did not confirm the new ${spec.label}; the current value stays in use and the rotation is finished automatically once the backend answers`,
    );
  }

  if (handshake.verify) {
    try {
      await handshake.verify(services, tenant, next);
    } catch (error) {
      return failure(
        'verify',
        error,
        true,
        'TENANT_BACKEND_UNAVAILABLE',
        `the tenant backend took the new ${spec.label} but did not answer a call made with it; the control plane keeps using the current one and finishes the switch automatically`,
      );
    }
  }

  const now = clockOf(services);
  const changes: Record<string, string | null> = { [spec.key]: next, [staged]: null };
  let graceUntil: Date | null = null;
  if (spec.grace) {
    if (current !== undefined && graceSeconds > 0) {
      graceUntil = new Date(now.getTime() + graceSeconds * 1000);
      changes[previousKey(spec.key)] = current;
      changes[previousExpiresKey(spec.key)] = graceUntil.toISOString();
    } else {
      changes[previousKey(spec.key)] = null;
      changes[previousExpiresKey(spec.key)] = null;
    }
  }
  try {
    await patchTenantSecret(services.cluster, tenant.slug, changes);
  } catch (error) {
    return failure(
      'switch',
      error,
      true,
      'SECRET_UPDATE_FAILED',
      `the tenant backend took the new ${spec.label} but Secret ${tenantSecretName(tenant.slug)} could not be updated; the current value stays valid for the grace period and the switch is finished automatically`,
    );
  }

  const rotated = await db.transaction().execute(async (trx) => {
    const row = await recordRotation(trx, tenant.id, spec.name, {
      at: now,
      by: call.actor.label,
      previousExpiresAt: graceUntil,
    });
    await record(
      trx,
      services.bus,
      call,
      'tenant.secret.rotated',
      { kind: 'tenant', id: tenant.slug },
      {
        secret: spec.name,
        version: row.version,
        graceUntil: graceUntil?.toISOString() ?? null,
        expiresAt: null,
        background: options.background ?? false,
      },
    );
    await services.bus.publishIn(trx, 'tenant.updated', {
      id: tenant.id,
      slug: tenant.slug,
      change: 'secrets',
    });
    return row;
  });
  // A dedicated login worker read the token at start: restart it onto the new one while the
  // previous one is still valid. A failure is logged; the next worker-settings change rolls it too.
  if (spec.name === 'login-worker-token') {
    await rollDedicatedLoginWorker(services, tenant.slug, rotated.version).catch((error: unknown) =>
      services.logger.warn(
        { err: error, tenant: tenant.slug },
        'the dedicated login worker could not be restarted onto the rotated token',
      ),
    );
  }
  return rotated;
}

/**
 * Finishes a rotation left pending (by a failure half-way or a crash), as the control plane. When
 * nothing is staged any more there is nothing to finish: the mark is cleared. Returns whether the
 * rotation was finished.
 */
export async function finishPendingRotation(
  services: TenantServices,
  tenant: TenantRow,
  handshake: Handshake,
): Promise<boolean> {
  const secret = await requireTenantSecret(services, tenant.slug);
  if (secret[pendingKey(handshake.spec.key)] === undefined) {
    // Staging never happened (or the switch did and only our bookkeeping is behind).
    const row = await secretRow(services.db, tenant.id, handshake.spec.name);
    await clearPending(services.db, tenant.id, handshake.spec.name);
    const expires = secret[previousExpiresKey(handshake.spec.key)];
    if (row && expires && !row.previous_expires_at && !Number.isNaN(Date.parse(expires))) {
      await services.db
        .updateTable('tenant_secrets')
        .set({ previous_expires_at: new Date(expires) })
        .where('tenant_id', '=', tenant.id)
        .where('name', '=', handshake.spec.name)
        .execute();
    }
    return false;
  }
  await rotateWithHandshake(services, { actor: SYSTEM_ACTOR }, tenant, handshake, { background: true });
  return true;
}

type Failure = { stage: Stage; pending: boolean; code: string; message: string; reason: string };

async function fail(
  services: TenantServices,
  call: Call,
  tenant: TenantRow,
  spec: SecretSpec,
  f: Failure,
  options: RotationOptions,
): Promise<never> {
  const { db, bus, logger } = services;
  logger.warn(
    {
      tenant: tenant.slug,
      secretName: spec.name,
      stage: f.stage,
      code: f.code,
      pending: f.pending,
      reason: f.reason,
    },
    'secret rotation stopped',
  );
  if (f.pending) {
    const row = await secretRow(db, tenant.id, spec.name);
    const attempts = (row?.pending_attempts ?? 0) + 1;
    const nextAt = new Date(clockOf(services).getTime() + retryDelayMs(attempts));
    await pendingFailed(db, tenant.id, spec.name, `${f.stage}: ${f.reason}`, nextAt);
  }
  if (!options.background) {
    await db.transaction().execute(async (trx) => {
      await record(
        trx,
        bus,
        call,
        'tenant.secret.rotation_failed',
        { kind: 'tenant', id: tenant.slug },
        { secret: spec.name, stage: f.stage, code: f.code, reason: f.reason, pending: f.pending },
      );
      await bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'secrets' });
    });
  }
  throw new DependencyError(`${f.message} (${f.reason})`, f.code);
}
