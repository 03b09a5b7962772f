import type { TenantRow, TenantSecretRow } from '../../../db/schema.ts';
import { type LeaderTask, periodicJob } from '../../../jobs/periodic.ts';
import { SYSTEM_ACTOR } from '../../actor.ts';
import { record } from '../../audit/record.ts';
import { patchTenantSecret } from '../cluster-secret.ts';
import { reasonOf, withSecretLock } from '../detail-access.ts';
import type { TenantServices } from '../services.ts';
import { HANDSHAKES } from './handshakes.ts';
import { clearPrevious, dueSecretWork, type SecretWork, secretRow } from './metadata.ts';
import { clockOf, previousExpiresKey, previousKey, SECRET_SPECS } from './rotatable.ts';
import { finishPendingRotation } from './rotation.ts';

const BATCH = 100;

export type MaintenanceRound = { removed: number; finished: number; failed: number; skipped: number };

/**
 * The leader's secret maintenance, every `intervalMs`: removes `<KEY>_PREVIOUS` (and its expiry)
 * from a tenant's Secret once its grace period is over, and finishes rotations left pending by a
 * failure half-way or a crash, with backoff per secret. Only rows with work due are read, so an
 * idle round is one indexed query. Each secret is handled under its rotation lock; one held by a
 * rotation under way is skipped until the next round.
 */
export function createSecretMaintenance(
  services: TenantServices,
  options: { intervalMs: number },
): LeaderTask & { runOnce(): Promise<MaintenanceRound> } {
  const { logger } = services;

  async function handle(work: SecretWork, round: MaintenanceRound) {
    const result = await withSecretLock(services, work.tenant_id, work.name, 0, async () => {
      const tenant = await services.db
        .selectFrom('tenants')
        .selectAll()
        .where('id', '=', work.tenant_id)
        .executeTakeFirst();
      if (tenant?.state !== 'active') return;
      // Read again under the lock: a rotation may have finished since the round's query.
      const row = await secretRow(services.db, tenant.id, work.name);
      if (!row) return;
      const handshake = HANDSHAKES[row.name];
      const now = clockOf(services);
      if (row.pending_since && handshake && row.pending_next_at && row.pending_next_at <= now) {
        if (await finishPendingRotation(services, tenant, handshake)) round.finished += 1;
        // A finished rotation replaced the previous value (and its grace period) with its own.
        return;
      }
      if (row.previous_expires_at && row.previous_expires_at <= now) {
        await removePrevious(tenant, row);
        round.removed += 1;
      }
    });
    if (!result.ran) round.skipped += 1;
  }

  async function removePrevious(tenant: TenantRow, work: TenantSecretRow) {
    const { key } = SECRET_SPECS[work.name];
    await patchTenantSecret(services.cluster, tenant.slug, {
      [previousKey(key)]: null,
      [previousExpiresKey(key)]: null,
    });
    await services.db.transaction().execute(async (trx) => {
      const row = await clearPrevious(trx, tenant.id, work.name);
      await record(
        trx,
        services.bus,
        { actor: SYSTEM_ACTOR },
        'tenant.secret.previous_removed',
        { kind: 'tenant', id: tenant.slug },
        { secret: work.name, version: row?.version ?? work.version },
      );
      await services.bus.publishIn(trx, 'tenant.updated', {
        id: tenant.id,
        slug: tenant.slug,
        change: 'secrets',
      });
    });
    logger.info({ tenant: tenant.slug, secretName: work.name }, 'grace period over: previous value removed');
  }

  async function runOnce(): Promise<MaintenanceRound> {
    const round: MaintenanceRound = { removed: 0, finished: 0, failed: 0, skipped: 0 };
    const due = await dueSecretWork(services.db, clockOf(services), BATCH);
    for (const work of due) {
      try {
        await handle(work, round);
      } catch (error) {
        round.failed += 1;
        logger.warn(
          { tenant: work.slug, secretName: work.name, reason: reasonOf(error) },
          'secret maintenance failed; retried next round',
        );
      }
    }
    return round;
  }

  const task = periodicJob('secret-maintenance', options.intervalMs, runOnce, services.logger);
  return { ...task, runOnce };
}
