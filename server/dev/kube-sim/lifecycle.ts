import type { Logger } from 'pino';
import { ContainerConfigError, JobExecutor } from './executor.ts';
import type { KubeObject } from './objects.ts';
import {
  advancePod,
  failImagePull,
  nextPodStep,
  type PodStep,
  podPhase,
  runsToCompletion,
  unpullableImage,
} from './pods.ts';
import { RESOURCE_TYPES, resourceByKind } from './resources.ts';
import type { ObjectStore, StoreEvent } from './store.ts';
import { jobDeadline, jobFinished, reconcileDeployment, reconcileJob } from './workloads.ts';

const POD = resourceByKind('Pod');
const DEPLOYMENT = resourceByKind('Deployment');
const JOB = resourceByKind('Job');

export interface LifecycleOptions {
  store: ObjectStore;
  /** Time each pod spends in a step (Pending → Running → Ready, or → Succeeded for Job pods). */
  podStartDelayMs: number;
  /** Image tags the registry does not have: their pods stay Pending in ImagePullBackOff. */
  unpullableTags?: readonly string[];
  /** Run Job pods' containers as processes on this host (see executor.ts) instead of timing them out. */
  runJobs?: { path: string } | undefined;
  logger?: Logger | undefined;
}

/** How often a pod whose container lacks its configuration (a Secret, a key) is tried again. */
const CONFIG_RETRY_MS = 1000;

/**
 * The simulated controllers and kubelet, in the spirit of KWOK: Deployments and Jobs get pods,
 * pods move through their phases on timers, and deleting an owner deletes what it owns.
 * Work runs on the next turn of the event loop, as real controllers react asynchronously.
 */
export class Lifecycle {
  private readonly queue = new Map<string, () => void>();
  private readonly podTimers = new Map<string, NodeJS.Timeout>();
  /** Deadlines and TTLs of Jobs, by uid. */
  private readonly jobTimers = new Map<string, NodeJS.Timeout>();
  /** Pods of a Job (by the Job's uid) deleted before they finished: they count as failed. */
  private readonly lostPods = new Map<string, number>();
  private readonly executor: JobExecutor | undefined;
  private flushHandle: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  private readonly unpullable: ReadonlySet<string>;

  constructor(private readonly options: LifecycleOptions) {
    this.unpullable = new Set(options.unpullableTags ?? []);
    this.executor = options.runJobs
      ? new JobExecutor(options.store, { path: options.runJobs.path, logger: options.logger })
      : undefined;
  }

  /** Subscribes to changes and resyncs everything already stored (e.g. loaded from disk). */
  start(): void {
    const { store } = this.options;
    this.unsubscribe = store.subscribe((event) => this.onEvent(event));
    for (const d of store.list(DEPLOYMENT)) this.enqueueOwner(d);
    for (const j of store.list(JOB)) this.enqueueOwner(j);
    for (const p of store.list(POD)) this.armPod(p);
  }

  /** Clears every timer and stops reacting; state stays as it is. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.flushHandle) clearImmediate(this.flushHandle);
    for (const t of this.podTimers.values()) clearTimeout(t);
    this.podTimers.clear();
    for (const t of this.jobTimers.values()) clearTimeout(t);
    this.jobTimers.clear();
    this.queue.clear();
    this.executor?.stop();
  }

  private enqueue(key: string, work: () => void): void {
    if (this.stopped) return;
    this.queue.set(key, work);
    this.flushHandle ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushHandle = undefined;
    const work = [...this.queue.values()];
    this.queue.clear();
    for (const w of work) {
      try {
        w();
      } catch (err) {
        this.options.logger?.warn({ err }, 'kube-sim controller step failed');
      }
    }
  }

  private enqueueOwner(owner: { kind?: string; metadata: { namespace?: string; name?: string } }): void {
    const ns = owner.metadata.namespace!;
    const name = owner.metadata.name!;
    if (owner.kind === 'Deployment') {
      this.enqueue(`deployment/${ns}/${name}`, () => reconcileDeployment(this.options.store, ns, name));
    } else if (owner.kind === 'Job') {
      this.enqueue(`job/${ns}/${name}`, () => this.reconcileJob(ns, name));
    }
  }

  private reconcileJob(namespace: string, name: string): void {
    const { store } = this.options;
    const before = store.get(JOB, namespace, name);
    if (!before) return;
    reconcileJob(store, namespace, name, this.lostPods.get(before.metadata.uid!) ?? 0);
    const job = store.get(JOB, namespace, name);
    if (job) this.armJob(job);
  }

  /** A timer for what happens to a Job on its own: its deadline while it runs, its TTL once finished. */
  private armJob(job: KubeObject): void {
    const uid = job.metadata.uid!;
    clearTimeout(this.jobTimers.get(uid));
    this.jobTimers.delete(uid);
    if (this.stopped) return;
    const finished = jobFinished(job);
    const ttl = (job.spec as { ttlSecondsAfterFinished?: number } | undefined)?.ttlSecondsAfterFinished;
    const namespace = job.metadata.namespace!;
    const name = job.metadata.name!;
    let at: number | undefined;
    let work: () => void;
    if (finished) {
      if (typeof ttl !== 'number') return;
      at = Date.parse(finished.at) + ttl * 1000;
      work = () => {
        const current = this.options.store.get(JOB, namespace, name);
        if (current?.metadata.uid === uid) this.options.store.delete(JOB, namespace, name);
      };
    } else {
      at = jobDeadline(job);
      if (at === undefined) return;
      work = () => this.enqueue(`job/${namespace}/${name}`, () => this.reconcileJob(namespace, name));
    }
    const timer = setTimeout(
      () => {
        this.jobTimers.delete(uid);
        try {
          work();
        } catch (err) {
          this.options.logger?.warn({ err, job: name }, 'kube-sim job timer failed');
        }
      },
      Math.max(0, at - Date.now()),
    );
    this.jobTimers.set(uid, timer);
  }

  private onEvent(event: StoreEvent): void {
    const obj = event.object;
    if (event.type === 'DELETED') this.enqueue(`gc/${obj.metadata.uid}`, () => this.collect(obj));
    if (event.rt === DEPLOYMENT || event.rt === JOB) {
      if (event.type !== 'DELETED') this.enqueueOwner(obj);
      else if (event.rt === JOB) {
        clearTimeout(this.jobTimers.get(obj.metadata.uid!));
        this.jobTimers.delete(obj.metadata.uid!);
        this.lostPods.delete(obj.metadata.uid!);
      }
      return;
    }
    if (event.rt !== POD) return;
    if (event.type === 'DELETED') {
      this.executor?.kill(obj.metadata.uid!);
      // A Job's pod deleted before it finished counts as a failed one (the Job controller's tracking).
      const job = (obj.metadata.ownerReferences ?? []).find((o) => o.kind === 'Job' && o.controller);
      if (job && !['Succeeded', 'Failed'].includes(podPhase(obj))) {
        this.lostPods.set(job.uid, (this.lostPods.get(job.uid) ?? 0) + 1);
      }
    }
    for (const ref of obj.metadata.ownerReferences ?? []) {
      if (ref.controller)
        this.enqueueOwner({
          kind: ref.kind,
          metadata: { namespace: obj.metadata.namespace, name: ref.name },
        });
    }
    if (event.type === 'DELETED') {
      clearTimeout(this.podTimers.get(obj.metadata.uid!));
      this.podTimers.delete(obj.metadata.uid!);
    } else {
      this.armPod(obj);
    }
  }

  /** Whether this pod's container runs as a process rather than on timers. */
  private executes(pod: KubeObject): boolean {
    return this.executor !== undefined && runsToCompletion(pod);
  }

  private armPod(pod: KubeObject, delayMs = this.options.podStartDelayMs): void {
    const uid = pod.metadata.uid!;
    const step = nextPodStep(pod, this.unpullable);
    if (this.stopped || !step || this.podTimers.has(uid)) return;
    if (step === 'complete' && this.executes(pod)) {
      // Its process ends it; a Running pod without one was left by an earlier run of the simulator.
      if (!this.executor!.isRunning(uid)) this.executor!.lost(pod);
      return;
    }
    const timer = setTimeout(() => {
      this.podTimers.delete(uid);
      this.stepPod(pod.metadata.namespace!, pod.metadata.name!, uid, step);
    }, delayMs);
    this.podTimers.set(uid, timer);
  }

  /** Starts a Job pod's process, or shows why its container cannot start (and tries again later). */
  private startProcess(pod: KubeObject): void {
    const executor = this.executor!;
    let env: Record<string, string>;
    try {
      env = executor.resolveEnv(pod);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      executor.configError(pod, err.message);
      const fresh = this.options.store.get(POD, pod.metadata.namespace, pod.metadata.name!);
      if (fresh) this.armPod(fresh, Math.max(CONFIG_RETRY_MS, this.options.podStartDelayMs));
      return;
    }
    // The process first, then Running: its exit (a later turn of the event loop) finds the pod Running.
    executor.start(pod, env);
    this.options.store.update(POD, advancePod(pod, 'start'));
  }

  private stepPod(namespace: string, name: string, uid: string, step: PodStep): void {
    const { store } = this.options;
    const pod = store.get(POD, namespace, name);
    // The pod may have been replaced by a namesake or moved on since the timer was set.
    if (!pod || pod.metadata.uid !== uid || nextPodStep(pod, this.unpullable) !== step) {
      if (pod) this.armPod(pod);
      return;
    }
    try {
      if (step === 'start' && this.executes(pod)) {
        this.startProcess(pod);
        return;
      }
      const image = step === 'pull-failed' ? unpullableImage(pod, this.unpullable) : undefined;
      store.update(POD, image ? failImagePull(pod, image) : advancePod(pod, step));
    } catch (err) {
      this.options.logger?.warn({ err, pod: name }, 'kube-sim pod step failed');
    }
  }

  // Background cascading deletion: dependents by owner uid, and a namespace's contents.
  private collect(deleted: KubeObject): void {
    const { store } = this.options;
    const uid = deleted.metadata.uid;
    const namespaceGone = deleted.kind === 'Namespace' ? deleted.metadata.name : undefined;
    for (const rt of RESOURCE_TYPES) {
      if (!rt.namespaced) continue;
      const scope = namespaceGone ?? deleted.metadata.namespace;
      for (const obj of store.list(rt, scope)) {
        const owned = (obj.metadata.ownerReferences ?? []).some((o) => o.uid === uid);
        if (!owned && !namespaceGone) continue;
        if (store.get(rt, obj.metadata.namespace, obj.metadata.name!)) {
          store.delete(rt, obj.metadata.namespace, obj.metadata.name!);
        }
      }
    }
  }
}
