import {
  AppsV1Api,
  CoreV1Api,
  type KubernetesObject,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import type { KubeConnection } from './connect.ts';
import { createInformer, type Informer, type InformerStatus } from './informer.ts';
import { APP_NAME, TENANT_LABEL, WORKLOAD_SELECTOR } from './labels.ts';
import type { Change } from './reducer.ts';

/** Above this many changes in one re-list, subscribers get one RESYNC instead of one event each. */
const RESYNC_THRESHOLD = 20;

export type WorkloadInformers = {
  pods: Informer<V1Pod>;
  deployments: Informer<V1Deployment>;
  start(): void;
  stop(): Promise<void>;
  status(): InformerStatus[];
};

/**
 * The two shared informers (pods and deployments of the backend, login workers and agents) and
 * their publishing onto the event bus. Subscriptions read the bus, never a watch of their own.
 */
export function createWorkloadInformers(
  conn: KubeConnection,
  bus: EventBus,
  logger: Logger,
): WorkloadInformers {
  const { kubeConfig, namespace } = conn;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);

  const publisher =
    (resource: 'pods' | 'deployments') => (changes: Change<KubernetesObject>[], cause: 'list' | 'watch') => {
      if (changes.length === 0) return;
      if (cause === 'list' && changes.length > RESYNC_THRESHOLD) {
        bus.publish('cluster.changed', { resource, type: 'RESYNC', name: null, app: null, tenant: null });
        return;
      }
      for (const { type, object } of changes) {
        const labels = object.metadata?.labels ?? {};
        bus.publish('cluster.changed', {
          resource,
          type,
          name: object.metadata?.name ?? null,
          app: labels[APP_NAME] ?? null,
          tenant: labels[TENANT_LABEL] ?? null,
        });
      }
    };

  const pods = createInformer<V1Pod>({
    resource: 'pods',
    kubeConfig,
    path: `/api/v1/namespaces/${namespace}/pods`,
    labelSelector: WORKLOAD_SELECTOR,
    list: async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: WORKLOAD_SELECTOR });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
    },
    onChanges: publisher('pods'),
    logger,
  });
  const deployments = createInformer<V1Deployment>({
    resource: 'deployments',
    kubeConfig,
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    labelSelector: WORKLOAD_SELECTOR,
    list: async () => {
      const list = await apps.listNamespacedDeployment({ namespace, labelSelector: WORKLOAD_SELECTOR });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
    },
    onChanges: publisher('deployments'),
    logger,
  });

  return {
    pods,
    deployments,
    start() {
      pods.start();
      deployments.start();
    },
    async stop() {
      await Promise.all([pods.stop(), deployments.stop()]);
    },
    status: () => [pods.status(), deployments.status()],
  };
}
