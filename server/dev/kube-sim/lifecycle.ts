import type { Logger } from 'pino';
import type { KubeObject } from './objects.ts';
import { advancePod, failImagePull, nextPodStep, type PodStep, unpullableImage } from './pods.ts';
import { RESOURCE_TYPES, resourceByKind } from './resources.ts';
import type { ObjectStore, StoreEvent } from './store.ts';
import { reconcileDeployment, reconcileJob } from './workloads.ts';

const POD = resourceByKind('Pod');
const DEPLOYMENT = resourceByKind('Deployment');
const JOB = resourceByKind('Job');

export interface LifecycleOptions {
  store: ObjectStore;
  /** Time each pod spends in a step (Pending → Running → Ready, or → Succeeded for Job pods). */
  podStartDelayMs: number;
  /** Image tags the registry does not have: their pods stay Pending in ImagePullBackOff. */
  unpullableTags?: readonly string[];
  logger?: Logger;
}

/**
 * The simulated controllers and kubelet, in the spirit of KWOK: Deployments and Jobs get pods,
 * pods move through their phases on timers, and deleting an owner deletes what it owns.
 * Work runs on the next turn of the event loop, as real controllers react asynchronously.
 */
export class Lifecycle {
  private readonly queue = new Map<string, () => void>();
  private readonly podTimers = new Map<string, NodeJS.Timeout>();
  private flushHandle: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  private readonly unpullable: ReadonlySet<string>;

  constructor(private readonly options: LifecycleOptions) {
    this.unpullable = new Set(options.unpullableTags ?? []);
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
    this.queue.clear();
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
      this.enqueue(`job/${ns}/${name}`, () => reconcileJob(this.options.store, ns, name));
    }
  }

  private onEvent(event: StoreEvent): void {
    const obj = event.object;
    if (event.type === 'DELETED') this.enqueue(`gc/${obj.metadata.uid}`, () => this.collect(obj));
    if (event.rt === DEPLOYMENT || event.rt === JOB) {
      if (event.type !== 'DELETED') this.enqueueOwner(obj);
      return;
    }
    if (event.rt !== POD) return;
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

  private armPod(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const step = nextPodStep(pod, this.unpullable);
    if (this.stopped || !step || this.podTimers.has(uid)) return;
    const timer = setTimeout(() => {
      this.podTimers.delete(uid);
      this.stepPod(pod.metadata.namespace!, pod.metadata.name!, uid, step);
    }, this.options.podStartDelayMs);
    this.podTimers.set(uid, timer);
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
