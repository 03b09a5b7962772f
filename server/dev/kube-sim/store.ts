import { cloneObject, stableStringify } from './json.ts';
import type { KubeObject } from './objects.ts';
import { RESOURCE_TYPES, type ResourceType, resourceKey } from './resources.ts';
import { alreadyExists, conflict, notFound } from './status.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change, as kept in history and fanned out to watches and controllers. */
export interface StoreEvent {
  type: WatchEventType;
  rt: ResourceType;
  /** The object at this resourceVersion (for DELETED: its last state, stamped with the delete's version). */
  object: KubeObject;
  /** The object before the change, so that selector-filtered watches can tell entering from leaving. */
  previous?: KubeObject;
  rv: number;
}

export type StoreListener = (event: StoreEvent) => void;

interface DurableWaiter {
  rv: number;
  resolve(): void;
  reject(err: Error): void;
}

/** Preconditions a delete may carry (`DeleteOptions.preconditions`). */
export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

/** The persisted form of the store. */
export interface StoreSnapshot {
  version: 1;
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

interface History {
  events: StoreEvent[];
  /** Watches must start at or after this version; older ones get 410 Gone. */
  compactedRv: number;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * The cluster state: objects per resource, one global resourceVersion counter (as etcd's revision),
 * a bounded event history per resource for watches, and synchronous fan-out to listeners.
 *
 * A change is first committed (in memory, seen at once by `subscribe` listeners: the controllers
 * and the journal) and then released (in history and to `subscribeDurable` listeners: the
 * watches). Without a journal both happen together; with one (`deferRelease`), release waits for
 * the journal to say the change is on disk, so no watcher ever sees a change a crash could undo.
 */
export class ObjectStore {
  private rv = 0;
  private releasedRv = 0;
  private deferred = false;
  private failure: Error | undefined;
  private unreleased: StoreEvent[] = [];
  private waiters: DurableWaiter[] = [];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly histories = new Map<string, History>();
  private readonly listeners = new Set<StoreListener>();
  private readonly durableListeners = new Set<StoreListener>();
  private readonly watchClosers = new Set<() => void>();

  /**
   * @param historySize events kept per resource for watches that resume from a resourceVersion.
   * @param onListenerError called when a listener throws, so one bad listener cannot stop the rest.
   */
  constructor(
    private readonly historySize: number,
    private readonly onListenerError: (err: unknown) => void = () => {},
  ) {
    for (const rt of RESOURCE_TYPES) {
      this.objects.set(resourceKey(rt), new Map());
      this.histories.set(resourceKey(rt), { events: [], compactedRv: 0 });
    }
  }

  /** The newest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The newest resourceVersion released: on disk when a journal is attached, else the newest. */
  get durableResourceVersion(): number {
    return this.releasedRv;
  }

  private bucket(rt: ResourceType): Map<string, KubeObject> {
    return this.objects.get(resourceKey(rt))!;
  }

  /** A copy of one object, or undefined. */
  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.bucket(rt).get(objectKey(rt.namespaced ? namespace : undefined, name));
    return obj ? cloneObject(obj) : undefined;
  }

  /** Copies of all objects of a resource (in one namespace if given), sorted by namespace and name. */
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.bucket(rt).values()) {
      if (namespace === undefined || !rt.namespaced || obj.metadata.namespace === namespace) {
        out.push(cloneObject(obj));
      }
    }
    return out.sort((a, b) => {
      const ka = objectKey(a.metadata.namespace, a.metadata.name!);
      const kb = objectKey(b.metadata.namespace, b.metadata.name!);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  /**
   * Stores a prepared new object under a fresh resourceVersion.
   * @throws StatusError 409 AlreadyExists.
   */
  create(rt: ResourceType, obj: KubeObject): KubeObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name!);
    if (this.bucket(rt).has(key)) throw alreadyExists(rt, obj.metadata.name!);
    return this.commit(rt, 'ADDED', key, obj, undefined);
  }

  /**
   * Replaces an object. A non-empty `obj.metadata.resourceVersion` must equal the stored one.
   * An update that changes nothing is a no-op that returns the stored object.
   * @throws StatusError 404 NotFound or 409 Conflict.
   */
  update(rt: ResourceType, obj: KubeObject): KubeObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name!);
    const current = this.bucket(rt).get(key);
    if (!current) throw notFound(rt, obj.metadata.name!);
    const expected = obj.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) throw conflict(rt, obj.metadata.name!);
    // Like the API server, a write that changes nothing keeps the version and emits no event.
    const candidate = { ...obj, apiVersion: rt.apiVersion, kind: rt.kind };
    candidate.metadata = { ...obj.metadata, resourceVersion: current.metadata.resourceVersion };
    if (stableStringify(candidate) === stableStringify(current)) return cloneObject(current);
    return this.commit(rt, 'MODIFIED', key, obj, current);
  }

  /**
   * Removes an object at once (the simulator has no finalizers or grace periods).
   * @throws StatusError 404 NotFound or 409 Conflict on a failed precondition.
   */
  delete(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    preconditions: DeletePreconditions = {},
  ): KubeObject {
    const key = objectKey(rt.namespaced ? namespace : undefined, name);
    const current = this.bucket(rt).get(key);
    if (!current) throw notFound(rt, name);
    if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
      throw conflict(
        rt,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        rt,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    return this.commit(rt, 'DELETED', key, cloneObject(current), current);
  }

  private commit(
    rt: ResourceType,
    type: WatchEventType,
    key: string,
    obj: KubeObject,
    previous: KubeObject | undefined,
  ): KubeObject {
    const rv = ++this.rv;
    const stored = cloneObject(obj);
    stored.apiVersion = rt.apiVersion;
    stored.kind = rt.kind;
    stored.metadata.resourceVersion = String(rv);
    if (type === 'DELETED') this.bucket(rt).delete(key);
    else this.bucket(rt).set(key, stored);
    const event: StoreEvent = { type, rt, object: stored, previous, rv };
    if (this.deferred) this.unreleased.push(event);
    this.notify(this.listeners, event);
    if (!this.deferred) this.publish(event);
    return cloneObject(stored);
  }

  private notify(listeners: Set<StoreListener>, event: StoreEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  private publish(event: StoreEvent): void {
    const history = this.histories.get(resourceKey(event.rt))!;
    history.events.push(event);
    while (history.events.length > this.historySize) history.compactedRv = history.events.shift()!.rv;
    this.releasedRv = event.rv;
    this.notify(this.durableListeners, event);
  }

  /**
   * From now on a change reaches history, watches and `whenDurable` only through `release`:
   * called once, by the journal, before it records the first change.
   */
  deferRelease(): void {
    this.deferred = true;
  }

  /** Releases every committed change up to `rv` (the journal has it on disk), in order. */
  release(rv: number): void {
    if (this.failure) return;
    let n = 0;
    while (n < this.unreleased.length && this.unreleased[n]!.rv <= rv) this.publish(this.unreleased[n++]!);
    this.unreleased.splice(0, n);
    this.releasedRv = Math.max(this.releasedRv, Math.min(rv, this.rv));
    const due = this.waiters.filter((w) => w.rv <= this.releasedRv);
    this.waiters = this.waiters.filter((w) => w.rv > this.releasedRv);
    for (const w of due) w.resolve();
  }

  /**
   * The journal could not write: nothing unreleased will ever be released, so every waiter, now
   * and later, fails with `err` (the simulator must be restarted, as etcd must after a failed fsync).
   */
  failDurability(err: Error): void {
    this.failure ??= err;
    this.unreleased = [];
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    // Open watches would wait forever; ended, their clients re-list and learn of the failure.
    this.closeAllWatches();
  }

  /** Resolves once every change up to `rv` (default: all committed so far) is released. */
  whenDurable(rv: number = this.rv): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (rv <= this.releasedRv) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ rv, resolve, reject }));
  }

  /**
   * Events of a resource after `rv`, or `expired` with the oldest version still served when
   * `rv` is older than the kept history (the watch must then answer 410 Gone).
   */
  eventsSince(rt: ResourceType, rv: number): StoreEvent[] | { expired: number } {
    const history = this.histories.get(resourceKey(rt))!;
    if (rv < history.compactedRv) return { expired: history.compactedRv };
    return history.events.filter((e) => e.rv > rv);
  }

  /**
   * Registers a listener for every committed change, called synchronously as it is made and
   * before it is durable (controllers, the journal); returns its removal.
   */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a listener for every released change, in order (watches); returns its removal. */
  subscribeDurable(listener: StoreListener): () => void {
    this.durableListeners.add(listener);
    return () => this.durableListeners.delete(listener);
  }

  /** Registers an open watch stream so tests can drop it; returns its removal. */
  trackWatch(close: () => void): () => void {
    this.watchClosers.add(close);
    return () => this.watchClosers.delete(close);
  }

  /** The number of open watch streams. */
  get activeWatches(): number {
    return this.watchClosers.size;
  }

  /** Ends every open watch stream, as a restarting API server or a dropped connection does. */
  closeAllWatches(): void {
    for (const close of [...this.watchClosers]) close();
    this.watchClosers.clear();
  }

  /** Forgets all history, as etcd compaction does: any older resourceVersion now gets 410 Gone. */
  compact(): void {
    for (const history of this.histories.values()) {
      history.events = [];
      history.compactedRv = this.releasedRv;
    }
  }

  /** All committed state as snapshot JSON (a `StoreSnapshot`), serialised without an extra copy. */
  snapshotJson(): string {
    const objects: Record<string, KubeObject[]> = {};
    for (const [key, bucket] of this.objects) objects[key] = [...bucket.values()];
    const snapshot: StoreSnapshot = { version: 1, resourceVersion: this.rv, objects };
    return JSON.stringify(snapshot);
  }

  /** Loads persisted state; history starts empty, so watches from before the restart get 410. */
  restore(snapshot: StoreSnapshot): void {
    for (const rt of RESOURCE_TYPES) {
      const bucket = this.bucket(rt);
      bucket.clear();
      for (const obj of snapshot.objects[resourceKey(rt)] ?? []) {
        bucket.set(objectKey(obj.metadata.namespace, obj.metadata.name!), cloneObject(obj));
      }
    }
    this.rv = snapshot.resourceVersion;
    this.releasedRv = this.rv;
    this.unreleased = [];
    this.compact();
  }
}
