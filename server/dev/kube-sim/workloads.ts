import { cloneObject, stableStringify } from './json.ts';
import {
  type KubeObject,
  nowTime,
  type OwnerReference,
  prepareCreate,
  randomSuffix,
  safeHash,
} from './objects.ts';
import { isPodReady, podPhase } from './pods.ts';
import { resourceByKind } from './resources.ts';
import type { ObjectStore } from './store.ts';

const POD = resourceByKind('Pod');
const DEPLOYMENT = resourceByKind('Deployment');
const JOB = resourceByKind('Job');

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Pods whose controller owner reference points at the given object. */
export function ownedPods(store: ObjectStore, owner: KubeObject): KubeObject[] {
  return store
    .list(POD, owner.metadata.namespace)
    .filter((p) =>
      (p.metadata.ownerReferences ?? []).some((o) => o.uid === owner.metadata.uid && o.controller),
    );
}

function createPod(
  store: ObjectStore,
  owner: KubeObject,
  template: Template,
  name: string,
  extraLabels: Record<string, string>,
): void {
  const body = {
    metadata: {
      name,
      labels: { ...template.metadata?.labels, ...extraLabels },
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: cloneObject(template.spec ?? {}),
  };
  store.create(POD, prepareCreate(POD, body, owner.metadata.namespace));
}

function deletePods(store: ObjectStore, pods: KubeObject[]): void {
  for (const p of pods) {
    if (store.get(POD, p.metadata.namespace, p.metadata.name!))
      store.delete(POD, p.metadata.namespace, p.metadata.name!);
  }
}

// Not-ready pods go first, then the newest, as the ReplicaSet controller prefers.
function byDeletionPreference(a: KubeObject, b: KubeObject): number {
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
}

// Keeps condition timestamps when nothing changed, so a status rewrite is not a spurious event.
function keepTimes(previous: Condition[] | undefined, next: Condition[]): Condition[] {
  return next.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    if (old && old.status === c.status && old.reason === c.reason) {
      return { ...c, lastUpdateTime: old.lastUpdateTime, lastTransitionTime: old.lastTransitionTime };
    }
    return c;
  });
}

function writeStatus(store: ObjectStore, kind: 'Deployment' | 'Job', obj: KubeObject, status: object): void {
  if (stableStringify(status) === stableStringify(obj.status ?? {})) return;
  const next = cloneObject(obj);
  next.status = status;
  store.update(kind === 'Deployment' ? DEPLOYMENT : JOB, next);
}

function omitZero(fields: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 0));
}

/**
 * Brings a Deployment's pods in line with its spec: the template hash names the current pods,
 * missing ones are created, surplus ones deleted; on a template change old pods go once enough
 * new ones are ready (all at once for `Recreate`). Then the status is recomputed.
 */
export function reconcileDeployment(store: ObjectStore, namespace: string, name: string): void {
  const deployment = store.get(DEPLOYMENT, namespace, name);
  if (!deployment) return;
  const spec = (deployment.spec ?? {}) as {
    replicas?: number;
    template?: Template;
    strategy?: { type?: string };
  };
  const desired = spec.replicas ?? 1;
  const template = spec.template ?? {};
  const hash = safeHash(template);
  const isCurrent = (p: KubeObject) => p.metadata.labels?.['pod-template-hash'] === hash;
  let pods = ownedPods(store, deployment);
  const old = pods.filter((p) => !isCurrent(p));
  if (spec.strategy?.type === 'Recreate' && old.length > 0) {
    deletePods(store, old);
    pods = pods.filter(isCurrent);
  }
  const current = pods.filter(isCurrent);
  for (let i = current.length; i < desired; i++) {
    createPod(store, deployment, template, `${name}-${hash}-${randomSuffix()}`, {
      'pod-template-hash': hash,
    });
  }
  if (current.length > desired)
    deletePods(store, current.sort(byDeletionPreference).slice(0, current.length - desired));
  const readyNew = ownedPods(store, deployment).filter((p) => isCurrent(p) && isPodReady(p)).length;
  const stale = ownedPods(store, deployment).filter((p) => !isCurrent(p));
  const keep = Math.max(0, desired - readyNew);
  if (stale.length > keep) deletePods(store, stale.sort(byDeletionPreference).slice(0, stale.length - keep));

  const fresh = store.get(DEPLOYMENT, namespace, name)!;
  const all = ownedPods(store, fresh);
  const updated = all.filter(isCurrent).length;
  const ready = all.filter(isPodReady).length;
  const at = nowTime();
  const previous = (fresh.status as { conditions?: Condition[] } | undefined)?.conditions;
  const complete = updated === desired && all.length === desired && ready === desired;
  const conditions = keepTimes(previous, [
    ready >= desired
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: at,
          lastTransitionTime: at,
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
          lastUpdateTime: at,
          lastTransitionTime: at,
        },
    {
      type: 'Progressing',
      status: 'True',
      reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
      message: complete
        ? `ReplicaSet "${name}-${hash}" has successfully progressed.`
        : `ReplicaSet "${name}-${hash}" is progressing.`,
      lastUpdateTime: at,
      lastTransitionTime: at,
    },
  ]);
  writeStatus(store, 'Deployment', fresh, {
    observedGeneration: fresh.metadata.generation ?? 1,
    ...omitZero({
      replicas: all.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: Math.max(0, desired - ready),
    }),
    conditions,
  });
}

/** Whether a Job has finished: its `Complete` or `Failed` condition, and when. */
export function jobFinished(job: KubeObject): { type: 'Complete' | 'Failed'; at: string } | undefined {
  const conditions = ((job.status as { conditions?: Condition[] } | undefined)?.conditions ??
    []) as Condition[];
  const end = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return end
    ? { type: end.type as 'Complete' | 'Failed', at: String(end.lastTransitionTime ?? nowTime()) }
    : undefined;
}

/** When a running Job runs out of time (`activeDeadlineSeconds` after its start), in ms since the epoch. */
export function jobDeadline(job: KubeObject): number | undefined {
  const seconds = (job.spec as { activeDeadlineSeconds?: number } | undefined)?.activeDeadlineSeconds;
  const start = (job.status as { startTime?: string } | undefined)?.startTime;
  if (typeof seconds !== 'number' || !start) return undefined;
  return Date.parse(start) + seconds * 1000;
}

function endCondition(type: string, reason: string, message: string, at: string) {
  return { type, status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at };
}

/**
 * Runs a Job: creates pods up to `parallelism` until `completions` pods have succeeded, then marks
 * the Job complete (`SuccessCriteriaMet` and `Complete` conditions, `completionTime`). A pod that
 * fails (or is deleted while it runs: `lostPods`) counts in `status.failed`; more than
 * `backoffLimit` (default 6) fails the Job (`BackoffLimitExceeded`), as does running longer than
 * `activeDeadlineSeconds` (`DeadlineExceeded`, its running pods deleted). Fewer failures get a new pod.
 */
export function reconcileJob(store: ObjectStore, namespace: string, name: string, lostPods = 0): void {
  const job = store.get(JOB, namespace, name);
  if (!job) return;
  const spec = (job.spec ?? {}) as {
    completions?: number;
    parallelism?: number;
    backoffLimit?: number;
    suspend?: boolean;
    template?: Template;
  };
  const status = (job.status ?? {}) as Record<string, unknown>;
  const done = jobFinished(job) !== undefined;
  const completions = spec.completions ?? 1;
  const parallelism = spec.parallelism ?? 1;
  const backoffLimit = spec.backoffLimit ?? 6;
  const at = nowTime();
  const startTime = String(status.startTime ?? at);
  let pods = ownedPods(store, job);
  const isActive = (p: KubeObject) => !['Succeeded', 'Failed'].includes(podPhase(p));
  const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
  const failed = pods.filter((p) => podPhase(p) === 'Failed').length + lostPods;
  const deadline = jobDeadline({ ...job, status: { ...status, startTime } });
  let failure: { reason: string; message: string } | undefined;
  if (!done && succeeded < completions) {
    if (failed > backoffLimit) {
      failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    } else if (deadline !== undefined && Date.now() >= deadline) {
      failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    }
  }
  if (failure) {
    // A failed Job's running pods are terminated.
    deletePods(store, pods.filter(isActive));
    pods = ownedPods(store, job);
  } else if (!done && !spec.suspend) {
    let active = pods.filter(isActive).length;
    while (active < parallelism && active + succeeded < completions) {
      createPod(store, job, spec.template ?? {}, `${name}-${randomSuffix()}`, {});
      active++;
    }
    pods = ownedPods(store, job);
  }
  const fresh = store.get(JOB, namespace, name)!;
  const next: Record<string, unknown> = {
    ...(fresh.status as object),
    startTime,
    ready: pods.filter(isPodReady).length,
    terminating: 0,
    uncountedTerminatedPods: {},
  };
  const active = pods.filter(isActive).length;
  if (active > 0) next.active = active;
  else delete next.active;
  if (succeeded > 0) next.succeeded = succeeded;
  if (failed > 0) next.failed = failed;
  if (failure) {
    next.conditions = [
      endCondition('FailureTarget', failure.reason, failure.message, at),
      endCondition('Failed', failure.reason, failure.message, at),
    ];
  } else if (!done && succeeded >= completions) {
    next.completionTime = at;
    next.conditions = [
      endCondition(
        'SuccessCriteriaMet',
        'CompletionsReached',
        'Reached expected number of succeeded pods',
        at,
      ),
      endCondition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at),
    ];
  }
  writeStatus(store, 'Job', fresh, next);
}
