import { reuseConnections } from '../cluster/agents.ts';
import type { KubeConnection } from '../cluster/connect.ts';
import type { KubeConfigChoice } from '../config.ts';
import type { Logger } from '../log.ts';
import { startKubeSim } from './kube-sim/index.ts';
import { devLicenseSigner, type LicenseSigner, renewalBy } from './license-key.ts';
import { createDevIssuer } from './oidc-issuer.ts';
import { startTenantSim, type TenantSim } from './tenant-sim/index.ts';
import { secretResolver } from './tenant-sim/resolver.ts';

/**
 * The embedded stack's stand-ins for a cluster, tenant backends and an identity provider. Product
 * code reaches this module only through one dynamic import in server/runtime.ts, made when the
 * configuration leaves one of them unset, so a production process never loads the simulators or
 * oidc-provider (config.ts refuses them there).
 */

/** Starts the cluster simulator and connects to it as to a real cluster, through a kubeconfig in DATA_DIR. */
export async function startClusterSimulator(
  choice: Extract<KubeConfigChoice, { kind: 'simulator' }>,
  logger: Logger,
): Promise<KubeConnection> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const sim = await startKubeSim({
    port: choice.port,
    podStartDelayMs: choice.podDelayMs,
    unpullableTags: choice.unpullableTags,
    persistFile: choice.persistFile,
    // The `job` backup runner's Jobs really run here: pg_dump as a process, BACKUP_DIR a host path.
    runJobs: choice.runJobs ? { path: choice.runJobs.path } : false,
    namespaces: ['default', choice.namespace],
    logger: logger.child({ component: 'kube-sim' }),
  });
  await sim.writeKubeconfig(choice.kubeconfigPath, { namespace: choice.namespace });
  const kubeConfig = reuseConnections(new KubeConfig());
  kubeConfig.loadFromFile(choice.kubeconfigPath);
  logger.info(
    { url: sim.url, kubeconfig: choice.kubeconfigPath, persisted: Boolean(choice.persistFile) },
    `no cluster configured: started the cluster simulator (try: KUBECONFIG=${choice.kubeconfigPath} kubectl get pods -n ${choice.namespace})`,
  );
  return {
    kubeConfig,
    namespace: choice.namespace,
    describe: `simulator at ${sim.url}`,
    stop: () => sim.stop(),
  };
}

/**
 * Starts the reference tenant backend, which finds each tenant's database and CP token in its
 * Secret as a real backend pod would.
 */
export async function startTenantSimulator(
  kube: KubeConnection,
  logger: Logger,
  licenseSigner?: LicenseSigner,
): Promise<TenantSim> {
  const sim = await startTenantSim({
    ...(licenseSigner ? { renewLicense: renewalBy(licenseSigner) } : {}),
    resolveTenant: secretResolver(kube.kubeConfig, kube.namespace),
    logger,
    // One PostgreSQL server hosts every simulated tenant here: keep few connections open.
    maxPools: 16,
    poolIdleMs: 5000,
  });
  logger.info({ url: sim.url }, 'TENANT_API_URL is not set: started the tenant simulator');
  return sim;
}

export { startMailCatcher } from './mail-catcher.ts';
export { createDevIssuer, devLicenseSigner };
