import { createHash } from 'node:crypto';
import { cloneObject } from './json.ts';
import { type KubeObject, nowTime } from './objects.ts';

/** The node every simulated pod is bound to. */
export const NODE_NAME = 'kube-sim-node';

interface ContainerSpec {
  name?: string;
  image?: string;
}

interface PodCondition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

/** The next step of the simulated lifecycle, or undefined when the pod has settled. */
export type PodStep = 'start' | 'ready' | 'complete' | 'pull-failed';

function statusOf(pod: KubeObject): Record<string, unknown> {
  return (pod.status ?? {}) as Record<string, unknown>;
}

function containersOf(pod: KubeObject): ContainerSpec[] {
  return ((pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? []) as ContainerSpec[];
}

/** Whether a pod has condition Ready=True. */
export function isPodReady(pod: KubeObject): boolean {
  const conditions = (statusOf(pod).conditions ?? []) as PodCondition[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pod's phase (`Pending` when the status has none yet). */
export function podPhase(pod: KubeObject): string {
  return String(statusOf(pod).phase ?? 'Pending');
}

/** Whether a Job controls the pod, which makes it run to completion instead of staying up. */
export function runsToCompletion(pod: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'Job' && o.controller);
}

/** The image tag of a reference (`registry:5000/a/b:1.2` → `1.2`), or undefined. */
function tagOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : undefined;
}

/** The image of the first of its containers whose tag is in `tags`: one the registry does not have. */
export function unpullableImage(pod: KubeObject, tags: ReadonlySet<string>): string | undefined {
  if (tags.size === 0) return undefined;
  return containersOf(pod).find((c) => tags.has(tagOf(c.image) ?? ''))?.image;
}

/** Whether the pod is already shown as failing to pull its image. */
function pullFailureShown(pod: KubeObject): boolean {
  const statuses = (statusOf(pod).containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[];
  return statuses.some((c) => c.state?.waiting?.reason === 'ImagePullBackOff');
}

/**
 * A pod whose image cannot be pulled: bound to the node, Pending, its containers waiting in
 * ImagePullBackOff, as the kubelet reports a tag the registry does not have.
 */
export function failImagePull(pod: KubeObject, image: string): KubeObject {
  const next = cloneObject(pod);
  const at = nowTime();
  const spec = (next.spec ?? {}) as Record<string, unknown>;
  spec.nodeName ??= NODE_NAME;
  next.spec = spec;
  next.status = {
    ...statusOf(next),
    phase: 'Pending',
    hostIP: '10.0.0.10',
    startTime: at,
    conditions: [
      condition('PodScheduled', true, at),
      condition('Initialized', true, at),
      condition('Ready', false, at, 'ContainersNotReady'),
      condition('ContainersReady', false, at, 'ContainersNotReady'),
    ],
    containerStatuses: containersOf(next).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: {
        waiting: {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${image}": manifest unknown`,
        },
      },
    })),
  };
  return next;
}

/** Decides what the simulated kubelet does next to this pod. */
export function nextPodStep(
  pod: KubeObject,
  unpullableTags: ReadonlySet<string> = new Set(),
): PodStep | undefined {
  const phase = podPhase(pod);
  if (phase === 'Pending') {
    if (unpullableImage(pod, unpullableTags)) return pullFailureShown(pod) ? undefined : 'pull-failed';
    return 'start';
  }
  if (phase !== 'Running') return undefined;
  if (runsToCompletion(pod)) return 'complete';
  return isPodReady(pod) ? undefined : 'ready';
}

function condition(type: string, ok: boolean, at: string, reason?: string): PodCondition {
  return {
    type,
    status: ok ? 'True' : 'False',
    ...(reason ? { reason } : {}),
    lastProbeTime: null,
    lastTransitionTime: at,
  };
}

// A stable fake address per pod, so a restart of the lifecycle does not renumber it.
function podIp(uid: string): string {
  const d = createHash('sha256').update(uid).digest();
  return `10.244.${d[0]! % 254}.${(d[1]! % 253) + 1}`;
}

function imageId(image: string): string {
  const digest = createHash('sha256').update(image).digest('hex');
  return `${image.split(':')[0]}@sha256:${digest}`;
}

/**
 * Applies one lifecycle step to a copy of the pod: `start` binds it and runs its containers
 * (Running, not yet Ready), `ready` marks containers ready, `complete` terminates them with exit 0.
 */
export function advancePod(pod: KubeObject, step: PodStep): KubeObject {
  const next = cloneObject(pod);
  const at = nowTime();
  const status = statusOf(next);
  const spec = (next.spec ?? {}) as Record<string, unknown>;
  const containers = containersOf(next);
  const started = String(status.startTime ?? at);
  const containerStatus = (c: ContainerSpec, ready: boolean, state: Record<string, unknown>) => ({
    name: c.name,
    image: c.image,
    imageID: imageId(String(c.image ?? '')),
    containerID: `containerd://${createHash('sha256').update(`${next.metadata.uid}/${c.name}`).digest('hex')}`,
    ready,
    started: !('terminated' in state),
    restartCount: 0,
    state,
  });
  if (step === 'start') {
    spec.nodeName ??= NODE_NAME;
    next.spec = spec;
    next.status = {
      ...status,
      phase: 'Running',
      hostIP: '10.0.0.10',
      hostIPs: [{ ip: '10.0.0.10' }],
      podIP: podIp(next.metadata.uid!),
      podIPs: [{ ip: podIp(next.metadata.uid!) }],
      startTime: at,
      conditions: [
        condition('PodReadyToStartContainers', true, at),
        condition('Initialized', true, at),
        condition('Ready', false, at, 'ContainersNotReady'),
        condition('ContainersReady', false, at, 'ContainersNotReady'),
        condition('PodScheduled', true, at),
      ],
      containerStatuses: containers.map((c) => containerStatus(c, false, { running: { startedAt: at } })),
    };
  } else if (step === 'ready') {
    next.status = {
      ...status,
      conditions: [
        condition('PodReadyToStartContainers', true, started),
        condition('Initialized', true, started),
        condition('Ready', true, at),
        condition('ContainersReady', true, at),
        condition('PodScheduled', true, started),
      ],
      containerStatuses: containers.map((c) => containerStatus(c, true, { running: { startedAt: started } })),
    };
  } else {
    const terminated = { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: at };
    next.status = {
      ...status,
      phase: 'Succeeded',
      conditions: [
        condition('PodReadyToStartContainers', false, at),
        condition('Initialized', true, started, 'PodCompleted'),
        condition('Ready', false, at, 'PodCompleted'),
        condition('ContainersReady', false, at, 'PodCompleted'),
        condition('PodScheduled', true, started),
      ],
      containerStatuses: containers.map((c) => containerStatus(c, false, { terminated })),
    };
  }
  return next;
}
