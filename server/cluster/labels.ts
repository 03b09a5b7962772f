/** Labels and names of the Kubernetes contract (DESIGN.md, "Kubernetes contract"). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'justiam-control-plane';
export const APP_NAME = 'app.kubernetes.io/name';
export const TENANT_LABEL = 'justiam.io/tenant';
/** The agent pool an agent pod serves (`justiam.io/pool: <name>`). */
export const POOL_LABEL = 'justiam.io/pool';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** The `app.kubernetes.io/name` values of the workloads the control plane watches. */
export const APP_NAMES = ['justiam-backend', 'justiam-login-worker', 'justiam-agent'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Selects every pod or deployment the informers follow. */
export const WORKLOAD_SELECTOR = `${APP_NAME} in (${APP_NAMES.join(',')})`;

export const REGISTRY_CONFIGMAP = 'tenant-registry';
export const SHARED_LOGIN_WORKER = 'login-worker-shared';
export const SHARED_AGENT_POOL = 'agent-shared';
export const AGENT_HMAC_SECRET = 'agent-shared-hmac';
export const LEASE_NAME = 'justiam-control-plane';

export const tenantSecretName = (slug: string) => `tenant-${slug}`;
export const dedicatedLoginWorkerName = (slug: string) => `login-worker-${slug}`;
export const registryKey = (slug: string) => `${slug}.json`;

/** Labels every object the control plane creates carries; `tenant` adds the tenant label. */
export function managedLabels(
  extra: { tenant?: string; app?: AppName | 'justiam-backup' } = {},
): Record<string, string> {
  return {
    [MANAGED_BY]: MANAGED_BY_VALUE,
    ...(extra.app ? { [APP_NAME]: extra.app } : {}),
    ...(extra.tenant ? { [TENANT_LABEL]: extra.tenant } : {}),
  };
}
