import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from '../../cluster/client.ts';
import { APP_NAME, POOL_LABEL, TENANT_LABEL, WORKLOAD_SELECTOR } from '../../cluster/labels.ts';
import type { WorkloadInformers } from '../../cluster/workloads.ts';
import type { Executor } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { DatabaseServerStatus, TenantDatabaseAdmin } from '../tenants/database/admin.ts';
import { requestedVersions, tagOf } from './versions.ts';

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
  /** The version an upgrade last asked its workers to run (login workers and agents only). */
  requestedVersion: string | null;
  /** Its pods run more than one version, or a version other than the one requested. */
  versionDrift: boolean;
};

export type InfrastructureStatus = {
  components: ComponentStatus[];
  database: DatabaseServerStatus | null;
  /** Why the database figures are missing, when they are. */
  databaseError: string | null;
};

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

/** A component's pods by name, the versions they run, and whether those drift apart or from the one requested. */
export function componentStatus(
  component: ComponentName,
  pods: PodStatus[],
  requestedVersion: string | null,
): ComponentStatus {
  const mine = pods.filter((p) => p.component === component).sort((a, b) => a.name.localeCompare(b.name));
  const versions = [...new Set(mine.map((p) => p.version).filter((v): v is string => Boolean(v)))].sort();
  const behind = requestedVersion !== null && versions.some((v) => v !== requestedVersion);
  return { component, pods: mine, versions, requestedVersion, versionDrift: versions.length > 1 || behind };
}

export const COMPONENTS: readonly ComponentName[] = ['backend', 'login-worker', 'agent', 'control-plane'];

/** Pods grouped by component, each with its versions and whether they drift. */
export function groupByComponent(
  pods: PodStatus[],
  requested: Map<string, string> = new Map(),
): ComponentStatus[] {
  return COMPONENTS.map((component) => componentStatus(component, pods, requested.get(component) ?? null));
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
  db: Executor;
}): Promise<InfrastructureStatus> {
  const informer = services.workloads.pods;
  const [workloadPods, ownPods, database, requested] = await Promise.all([
    informer.status().state === 'watching'
      ? Promise.resolve(informer.list())
      : services.cluster.list<V1Pod>('Pod', 'v1', WORKLOAD_SELECTOR),
    services.cluster.list<V1Pod>('Pod', 'v1', CONTROL_PLANE_SELECTOR),
    readServer(services),
    requestedVersions(services.db),
  ]);
  const pods = [...workloadPods, ...ownPods].map(podStatus).filter((p): p is PodStatus => Boolean(p));
  return {
    components: groupByComponent(pods, requested),
    database: database.status,
    databaseError: database.error,
  };
}

const APP_OF_COMPONENT: Record<ComponentName, string> = {
  backend: 'justiam-backend',
  'login-worker': 'justiam-login-worker',
  agent: 'justiam-agent',
  'control-plane': 'justiam-control-plane',
};

/** One component's pods now: from the shared informer's cache where it runs (the leader), else a LIST. */
export async function componentPods(
  services: { workloads: WorkloadInformers; cluster: ClusterClient },
  component: ComponentName,
): Promise<PodStatus[]> {
  const app = APP_OF_COMPONENT[component];
  const informer = services.workloads.pods;
  const pods =
    component !== 'control-plane' && informer.status().state === 'watching'
      ? informer.list().filter((p) => p.metadata?.labels?.[APP_NAME] === app)
      : await services.cluster.list<V1Pod>('Pod', 'v1', `${APP_NAME}=${app}`);
  return pods.map(podStatus).filter((p): p is PodStatus => Boolean(p));
}

/**
 * The leader's periodic reading of the tenants' database server: stored (one row) for every
 * replica's infrastructure feed, and announced with `infrastructure.database`.
 */
export async function refreshDatabaseStatus(services: {
  db: Executor;
  bus: EventBus;
  databases: TenantDatabaseAdmin;
  now: () => Date;
}): Promise<void> {
  const reading = await readServer(services);
  const refreshedAt = services.now();
  const values = {
    status: reading.status ? JSON.stringify(reading.status) : null,
    error: reading.error,
    refreshed_at: refreshedAt,
  };
  await services.db
    .insertInto('database_server_status')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  services.bus.publish('infrastructure.database', { refreshedAt: refreshedAt.toISOString() });
}

/** The latest stored database figures, or none yet. */
export async function storedDatabaseStatus(
  db: Executor,
): Promise<{ database: DatabaseServerStatus | null; databaseError: string | null }> {
  const row = await db.selectFrom('database_server_status').selectAll().executeTakeFirst();
  if (!row) return { database: null, databaseError: 'not read yet' };
  const status = row.status as (Omit<DatabaseServerStatus, 'startedAt'> & { startedAt: string }) | null;
  return {
    database: status ? { ...status, startedAt: new Date(status.startedAt) } : null,
    databaseError: row.error,
  };
}

/**
 * The tenants' database server, its tenant databases limited to this control plane's tenants (a
 * server shared with other deployments holds theirs too); a failure is the reason, not a throw.
 */
async function readServer(services: {
  db: Executor;
  databases: TenantDatabaseAdmin;
}): Promise<{ status: DatabaseServerStatus | null; error: string | null }> {
  try {
    const [status, ours] = await Promise.all([
      services.databases.serverStatus(),
      services.db.selectFrom('tenants').select('slug').execute(),
    ]);
    const slugs = new Set(ours.map((t) => t.slug));
    return { status: { ...status, tenants: status.tenants.filter((t) => slugs.has(t.slug)) }, error: null };
  } catch (error) {
    return { status: null, error: (error as Error).message.slice(0, 300) };
  }
}
