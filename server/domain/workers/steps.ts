import { ClusterError } from '../../cluster/client.ts';
import { dedicatedLoginWorkerName, tenantSecretName } from '../../cluster/labels.ts';
import {
  dedicatedLoginWorker,
  dedicatedLoginWorkerService,
  LOGIN_WORKER_TOKEN_ANNOTATION,
} from '../../cluster/resources.ts';
import type { TenantRow } from '../../db/schema.ts';
import { workerImage } from '../infrastructure/versions.ts';
import { readTenantSecret } from '../tenants/cluster-secret.ts';
import type { Step } from '../tenants/operations/steps.ts';
import { writeRegistryEntry } from '../tenants/registry.ts';
import type { TenantServices } from '../tenants/services.ts';
import { readWorkerConfig } from './config.ts';

/** Removes a tenant's dedicated login worker (Deployment and Service); gone already counts as done. */
export async function removeDedicatedLoginWorker({ cluster }: Pick<TenantServices, 'cluster'>, slug: string) {
  await cluster.delete('Deployment', 'apps/v1', dedicatedLoginWorkerName(slug));
  await cluster.delete('Service', 'v1', dedicatedLoginWorkerName(slug));
}

/**
 * Applying a tenant's worker configuration (operation kind `workers`). Each step reads the
 * configuration as it is now, so the operation applies the latest change whatever it started for.
 */
export const WORKER_STEPS: readonly Step[] = [
  {
    name: 'registry',
    run: (services, tenant) => writeRegistryEntry(services, tenant),
  },
  {
    // Made before the backend is told to use it; removed only after (the `cleanup` step), so the
    // backend never points at a login worker that is not there.
    name: 'login-worker',
    async run(services, tenant) {
      const config = await readWorkerConfig(services.db, tenant.id);
      if (config.login.mode !== 'dedicated') return;
      const { namespace } = services.cluster;
      await services.cluster.ensure(
        dedicatedLoginWorker(
          namespace,
          tenant.slug,
          await workerImage(services.db, 'login-worker', services.workers.loginWorkerImage),
          await tokenVersion(services, tenant),
        ),
      );
      await services.cluster.ensure(dedicatedLoginWorkerService(namespace, tenant.slug));
    },
  },
  {
    name: 'backend',
    async run(services, tenant: TenantRow) {
      const config = await readWorkerConfig(services.db, tenant.id);
      const secret = await readTenantSecret(services.cluster, tenant.slug);
      if (!secret?.CP_TOKEN)
        throw new Error(`Secret ${tenantSecretName(tenant.slug)} is missing or lacks CP_TOKEN`);
      await services.backends.forTenant(tenant.slug, secret.CP_TOKEN).putWorkerConfig({
        taskWorker: { mode: config.taskMode, concurrency: config.concurrency },
        loginWorker: {
          mode: config.login.mode,
          url: config.login.url,
          maxConcurrent: config.login.maxConcurrent,
        },
        pool: config.pool,
      });
    },
  },
  {
    name: 'cleanup',
    async run(services, tenant) {
      const config = await readWorkerConfig(services.db, tenant.id);
      if (config.login.mode !== 'dedicated') await removeDedicatedLoginWorker(services, tenant.slug);
    },
  },
];

/** The login-worker token's version: its dedicated worker's pods restart when it changes. */
async function tokenVersion(services: Pick<TenantServices, 'db'>, tenant: TenantRow): Promise<number> {
  const row = await services.db
    .selectFrom('tenant_secrets')
    .select('version')
    .where('tenant_id', '=', tenant.id)
    .where('name', '=', 'login-worker-token')
    .executeTakeFirst();
  return row?.version ?? 1;
}

/**
 * After the tenant's login-worker token was rotated: its dedicated login worker (if it has one)
 * restarts to read the new value, before the previous one stops being valid.
 */
export async function rollDedicatedLoginWorker(
  services: Pick<TenantServices, 'cluster'>,
  slug: string,
  version: number,
): Promise<boolean> {
  try {
    await services.cluster.mergePatch('Deployment', 'apps/v1', dedicatedLoginWorkerName(slug), {
      spec: { template: { metadata: { annotations: { [LOGIN_WORKER_TOKEN_ANNOTATION]: String(version) } } } },
    });
    return true;
  } catch (error) {
    if (error instanceof ClusterError && error.status === 404) return false;
    throw error;
  }
}
