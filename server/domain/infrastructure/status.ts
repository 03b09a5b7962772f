import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from '../../cluster/client.ts';
import { APP_NAME, POOL_LABEL, TENANT_LABEL, WORKLOAD_SELECTOR } from '../../cluster/labels.ts';
import type { WorkloadInformers } from '../../cluster/workloads.ts';
import type { DatabaseServerStatus, TenantDatabaseAdmin } from '../tenants/database/admin.ts';

/** The components the infrastructure view groups pods by. */
export type ComponentName = 'backend' | 'login-worker' | 'agent' | 'control-plane';

const COMPONENT_OF: Record<string, ComponentName> = {
  'justiam-backend': 'backend',
  'justiam-login-worker': 'login-worker',
  'justiam-agent': 'agent',
  'justiam-control-plane': 'control-plane',
};

/** The control plane's own pods, as its manifests label them. */
const CONTROL_PLANE_SELECTOR = `${APP_NAME}=justiam-control-plane`;

export type PodStatus = {
  name: string;
  component: ComponentName;
  phase: string;
  ready: boolean;
  restarts: number;
  node: string | null;
  /** The image tag of its first container. */
  version: string | null;
  startedAt: Date | null;
  /** The latest condition change the pod reports. */
  lastTransitionAt: Date | null;
  tenant: string | null;
  pool: string | null;
};

export type ComponentStatus = {
  component: ComponentName;
  pods: PodStatus[];
  /** The distinct versions its pods run, sorted. */
  versions: string[];
  /** Its pods run more than one version. */
  versionDrift: boolean;
};

export type InfrastructureStatus = {
  components: ComponentStatus[];
  database: DatabaseServerStatus | null;
  /** Why the database figures are missing, when they are. */
  databaseError: string | null;
};

function tagOf(image: string | undefined): string | null {
  if (!image) return null;
  const at = image.lastIndexOf(':');
  const tag = at > image.lastIndexOf('/') ? image.slice(at + 1) : null;
  return tag || null;
}

export function podStatus(pod: V1Pod): PodStatus | undefined {
  const labels = pod.metadata?.labels ?? {};
  const component = COMPONENT_OF[labels[APP_NAME] ?? ''];
  if (!component) return undefined;
  const conditions = pod.status?.conditions ?? [];
  const transitions = conditions
    .map((c) => (c.lastTransitionTime ? new Date(c.lastTransitionTime).getTime() : Number.NaN))
    .filter((t) => !Number.isNaN(t));
  return {
    name: pod.metadata?.name ?? '',
    component,
    phase: pod.status?.phase ?? 'Unknown',
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    node: pod.spec?.nodeName ?? null,
    version: tagOf(pod.spec?.containers?.[0]?.image),
    startedAt: pod.status?.startTime ? new Date(pod.status.startTime) : null,
    lastTransitionAt: transitions.length ? new Date(Math.max(...transitions)) : null,
    tenant: labels[TENANT_LABEL] ?? null,
    pool: labels[POOL_LABEL] ?? null,
  };
}

/** Pods grouped by component, each with its versions and whether they drift apart. */
export function groupByComponent(pods: PodStatus[]): ComponentStatus[] {
  const order: ComponentName[] = ['backend', 'login-worker', 'agent', 'control-plane'];
  return order.map((component) => {
    const mine = pods.filter((p) => p.component === component).sort((a, b) => a.name.localeCompare(b.name));
    const versions = [...new Set(mine.map((p) => p.version).filter((v): v is string => Boolean(v)))].sort();
    return { component, pods: mine, versions, versionDrift: versions.length > 1 };
  });
}

/**
 * Every component's pods and the tenants' database server, as `infrastructure` and
 * `GET /infrastructure` answer: workload pods from the shared pods informer on the leader (a LIST
 * elsewhere), the control plane's own pods from a LIST, database figures from the tenants' server.
 * A database that cannot be read leaves its figures null with the reason, not the whole answer.
 */
export async function infrastructureStatus(services: {
  workloads: WorkloadInformers;
  cluster: ClusterClient;
  databases: TenantDatabaseAdmin;
}): Promise<InfrastructureStatus> {
  const informer = services.workloads.pods;
  const [workloadPods, ownPods, database] = await Promise.all([
    informer.status().state === 'watching'
      ? Promise.resolve(informer.list())
      : services.cluster.list<V1Pod>('Pod', 'v1', WORKLOAD_SELECTOR),
    services.cluster.list<V1Pod>('Pod', 'v1', CONTROL_PLANE_SELECTOR),
    services.databases.serverStatus().then(
      (status) => ({ status, error: null }),
      (error: unknown) => ({ status: null, error: (error as Error).message.slice(0, 300) }),
    ),
  ]);
  const pods = [...workloadPods, ...ownPods].map(podStatus).filter((p): p is PodStatus => Boolean(p));
  return { components: groupByComponent(pods), database: database.status, databaseError: database.error };
}
