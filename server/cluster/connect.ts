import { KubeConfig } from '@kubernetes/client-node';
import type { KubeConfigChoice } from '../config.ts';
import { startKubeSim } from '../dev/kube-sim/index.ts';
import type { Logger } from '../log.ts';

export type KubeConnection = {
  kubeConfig: KubeConfig;
  namespace: string;
  /** Where the API server is, for logs and the infrastructure page. */
  describe: string;
  stop(): Promise<void>;
};

/**
 * Connects to Kubernetes as configured: the pod's service account, a kubeconfig file, or the
 * built-in cluster simulator (the embedded default), which is started here and gets a kubeconfig
 * written under DATA_DIR so `kubectl` can look at it while the control plane runs.
 */
export async function connectKube(choice: KubeConfigChoice, logger: Logger): Promise<KubeConnection> {
  const kubeConfig = new KubeConfig();
  if (choice.kind === 'in-cluster') {
    kubeConfig.loadFromCluster();
    logger.info({ namespace: choice.namespace }, 'Kubernetes: in-cluster service account');
    return { kubeConfig, namespace: choice.namespace, describe: 'in-cluster', stop: async () => {} };
  }
  if (choice.kind === 'kubeconfig') {
    kubeConfig.loadFromFile(choice.path);
    logger.info({ kubeconfig: choice.path, namespace: choice.namespace }, 'Kubernetes: KUBECONFIG');
    return {
      kubeConfig,
      namespace: choice.namespace,
      describe: kubeConfig.getCurrentCluster()?.server ?? choice.path,
      stop: async () => {},
    };
  }
  const sim = await startKubeSim({
    port: choice.port,
    podStartDelayMs: choice.podDelayMs,
    persistFile: choice.persistFile,
    namespaces: ['default', choice.namespace],
    logger: logger.child({ component: 'kube-sim' }),
  });
  await sim.writeKubeconfig(choice.kubeconfigPath, { namespace: choice.namespace });
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
