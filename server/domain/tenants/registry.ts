import type { ClusterClient } from '../../cluster/client.ts';
import { REGISTRY_CONFIGMAP, registryKey, tenantSecretName } from '../../cluster/labels.ts';
import type { Executor } from '../../db/database.ts';
import type { TenantRow } from '../../db/schema.ts';
import { readWorkerConfig } from '../workers/config.ts';

/**
 * A tenant's public entry in the tenant-registry ConfigMap: what routers and backends need to
 * find it — name, Secret name, backend URL, worker modes, pool, license allocation. No secret
 * values: those are in its Secret, named here.
 */
export async function registryEntry(
  services: { db: Executor; backendUrl(slug: string): string },
  tenant: TenantRow,
): Promise<string> {
  const [workers, license] = await Promise.all([
    readWorkerConfig(services.db, tenant.id),
    services.db
      .selectFrom('tenant_licenses')
      .select('user_cap')
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirst(),
  ]);
  return JSON.stringify({
    slug: tenant.slug,
    name: tenant.name,
    secret_name: tenantSecretName(tenant.slug),
    backend_url: services.backendUrl(tenant.slug),
    task_worker: { mode: workers.taskMode, concurrency: workers.concurrency },
    login_worker: {
      mode: workers.login.mode,
      url: workers.login.url,
      max_concurrent: workers.login.maxConcurrent,
    },
    pool: workers.pool,
    license: { user_cap: license?.user_cap ?? null },
  });
}

/** Writes the tenant's registry entry as it should be now (one key of the ConfigMap, nothing else). */
export async function writeRegistryEntry(
  services: { db: Executor; cluster: ClusterClient; backendUrl(slug: string): string },
  tenant: TenantRow,
): Promise<void> {
  await services.cluster.patchConfigMapKey(
    REGISTRY_CONFIGMAP,
    registryKey(tenant.slug),
    await registryEntry(services, tenant),
  );
}
