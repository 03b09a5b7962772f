import { KubeConfig } from '@kubernetes/client-node';
import type { KubeConfigChoice } from '../config.ts';
import type { Logger } from '../log.ts';
import { reuseConnections } from './agents.ts';

export type KubeConnection = {
  kubeConfig: KubeConfig;
  namespace: string;
  /** Where the API server is, for logs and the infrastructure page. */
  describe: string;
  stop(): Promise<void>;
};

/**
 * Connects to a real cluster as configured: the pod's service account or a kubeconfig file. The
 * built-in cluster simulator is a stand-in started from server/dev/embedded.ts instead.
 */
export async function connectKube(
  choice: Exclude<KubeConfigChoice, { kind: 'simulator' }>,
  logger: Logger,
): Promise<KubeConnection> {
  const kubeConfig = reuseConnections(new KubeConfig());
  if (choice.kind === 'in-cluster') {
    kubeConfig.loadFromCluster();
    logger.info({ namespace: choice.namespace }, 'Kubernetes: in-cluster service account');
    return { kubeConfig, namespace: choice.namespace, describe: 'in-cluster', stop: async () => {} };
  }
  kubeConfig.loadFromFile(choice.path);
  logger.info({ kubeconfig: choice.path, namespace: choice.namespace }, 'Kubernetes: KUBECONFIG');
  return {
    kubeConfig,
    namespace: choice.namespace,
    describe: kubeConfig.getCurrentCluster()?.server ?? choice.path,
    stop: async () => {},
  };
}
