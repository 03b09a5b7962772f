import type { V1ConfigMap } from '@kubernetes/client-node';
import { REGISTRY_CONFIGMAP, registryKey, tenantSecretName } from '../../../cluster/labels.ts';
import { TENANT_SECRET_KEYS } from '../../../cluster/resources.ts';
import type { TenantRow } from '../../../db/schema.ts';
import { type LeaderTask, periodicJob } from '../../../jobs/periodic.ts';
import type { Call } from '../../call.ts';
import { mapConcurrent } from '../../concurrency.ts';
import { ConflictError } from '../../errors.ts';
import { readTenantSecret } from '../cluster-secret.ts';
import { registryEntry } from '../registry.ts';
import { newSteps } from '../repository.ts';
import type { TenantServices } from '../services.ts';
import { type LifecycleServices, requireTenant, type StartedOperation } from './lifecycle.ts';
import { startOperation } from './start.ts';
import { REPAIR_STEPS } from './steps.ts';

/**
 * What an active tenant lacks of what provisioning made, in words an operator can act on: its
 * Secret or some of its values, its registry entry, its database role or database. Empty when
 * nothing is missing. Reads only; says nothing about the values themselves.
 */
export async function findDrift(services: TenantServices, tenant: TenantRow): Promise<string[]> {
  const { cluster, databases } = services;
  const drift: string[] = [];
  const secret = await readTenantSecret(cluster, tenant.slug);
  if (!secret) drift.push(`Secret ${tenantSecretName(tenant.slug)} is missing`);
  else {
    const missing = TENANT_SECRET_KEYS.filter((key) => !secret[key]);
    if (missing.length) drift.push(`Secret ${tenantSecretName(tenant.slug)} lacks ${missing.join(', ')}`);
  }
  const registry = await cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
  const entry = registry?.data?.[registryKey(tenant.slug)];
  if (!entry) drift.push('its tenant-registry entry is missing');
  else if (!(await applyingWorkers(services, tenant))) {
    const stale = staleFields(entry, await registryEntry(services, tenant));
    if (stale.length) drift.push(`its tenant-registry entry is out of date (${stale.join(', ')})`);
  }
  const db = await databases.exists(tenant.slug);
  if (!db.role) drift.push('its database role is missing');
  if (!db.database) drift.push('its database is missing');
  return drift;
}

/** Whether worker settings are being applied to the tenant: its registry entry is then on its way. */
async function applyingWorkers(services: TenantServices, tenant: TenantRow): Promise<boolean> {
  const op = await services.db
    .selectFrom('tenant_operations')
    .select('id')
    .where('tenant_id', '=', tenant.id)
    .where('kind', '=', 'workers')
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Boolean(op);
}

/** The top-level fields of a registry entry that differ from what it should say. */
function staleFields(stored: string, wanted: string): string[] {
  let current: Record<string, unknown>;
  try {
    current = JSON.parse(stored) as Record<string, unknown>;
  } catch {
    return ['not JSON'];
  }
  const desired = JSON.parse(wanted) as Record<string, unknown>;
  return Object.keys(desired).filter((k) => JSON.stringify(current[k]) !== JSON.stringify(desired[k]));
}

/**
 * The leader's drift check: every active tenant, a few at a time, compared with what it should
 * have; what it finds is kept on the tenant (shown on its page and in the dashboard's alerts) and
 * announced when it changed. Repair is an operator's decision (repairTenant).
 */
export function createDriftCheck(
  services: TenantServices,
  options: { intervalMs: number; concurrency: number },
): LeaderTask & { checkOnce(): Promise<{ checked: number; drifted: number }> } {
  const { db, bus, logger } = services;
  async function checkOnce() {
    const tenants = await db.selectFrom('tenants').selectAll().where('state', '=', 'active').execute();
    let drifted = 0;
    await mapConcurrent(tenants, options.concurrency, async (tenant) => {
      let drift: string[];
      try {
        drift = await findDrift(services, tenant);
      } catch (error) {
        logger.warn({ err: error, tenant: tenant.slug }, 'drift check failed');
        return;
      }
      if (drift.length) drifted++;
      const changed = JSON.stringify(drift) !== JSON.stringify(tenant.drift);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('tenants')
          .set({ drift: JSON.stringify(drift), drift_checked_at: new Date() })
          .where('id', '=', tenant.id)
          .where('state', '=', 'active')
          .execute();
        if (changed)
          await bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'drift' });
      });
      if (changed && drift.length) logger.warn({ tenant: tenant.slug, drift }, 'tenant drift found');
    });
    return { checked: tenants.length, drifted };
  }
  return { ...periodicJob('tenant-drift', options.intervalMs, checkOnce, logger), checkOnce };
}

/**
 * Starts a repair of an active tenant: a recorded, resumable operation that re-creates its Secret
 * (values still there are kept), database and role, and registry entry. Refused while another
 * operation of the tenant runs. Audited with the drift found at the time.
 */
export async function repairTenant(
  { tenants: services, runner }: LifecycleServices,
  call: Call,
  slug: string,
): Promise<StartedOperation> {
  const { db, bus } = services;
  const existing = await requireTenant(services, slug);
  if (existing.state !== 'active') {
    throw new ConflictError(
      `tenant "${slug}" is ${existing.state}; only an active tenant is repaired`,
      'TENANT_NOT_ACTIVE',
    );
  }
  // Looked at outside the transaction: it reads the cluster and the database server.
  const drift = await findDrift(services, existing);
  const started = await db.transaction().execute(async (trx) => {
    const tenant = await trx
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', existing.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (tenant.state !== 'active') {
      throw new ConflictError(
        `tenant "${slug}" is ${tenant.state}; only an active tenant is repaired`,
        'TENANT_NOT_ACTIVE',
      );
    }
    const running = await trx
      .selectFrom('tenant_operations')
      .select(['id', 'kind'])
      .where('tenant_id', '=', tenant.id)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (running) {
      throw new ConflictError(
        `tenant "${slug}" has a ${running.kind} operation under way; wait for it to end`,
        'OPERATION_IN_PROGRESS',
      );
    }
    const operation = await startOperation(trx, bus, call, {
      tenant,
      kind: 'repair',
      steps: newSteps(REPAIR_STEPS.map((s) => s.name)),
      action: 'tenant.repair.requested',
      details: (operationId) => ({ operationId, drift }),
    });
    return { tenant, operation };
  });
  return { ...started, attempt: runner.run(started.operation.id, started.tenant.id) };
}
