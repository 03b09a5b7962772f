import {
  dedicatedLoginWorkerName,
  REGISTRY_CONFIGMAP,
  registryKey,
  tenantSecretName,
} from '../../cluster/labels.ts';
import { dedicatedLoginWorker, dedicatedLoginWorkerService } from '../../cluster/resources.ts';
import type { TenantRow } from '../../db/schema.ts';
import { readTenantSecret } from '../tenants/cluster-secret.ts';
import type { Step } from '../tenants/operations/steps.ts';
import { registryEntry } from '../tenants/registry.ts';
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
    async run(services, tenant) {
      await services.cluster.patchConfigMapKey(
        REGISTRY_CONFIGMAP,
        registryKey(tenant.slug),
        await registryEntry(services, tenant),
      );
    },
  },
  {
    name: 'login-worker',
    async run(services, tenant) {
      const config = await readWorkerConfig(services.db, tenant.id);
      if (config.login.mode !== 'dedicated') return removeDedicatedLoginWorker(services, tenant.slug);
      const { namespace } = services.cluster;
      await services.cluster.ensure(
        dedicatedLoginWorker(namespace, tenant.slug, services.workers.loginWorkerImage),
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
];
