import { randomBytes } from 'node:crypto';
import { Repeater } from 'graphql-yoga';
import type { EventBus } from '../../events/bus.ts';
import type { Logger } from '../../log.ts';
import { ValidationError } from '../errors.ts';
import type { DatabaseServerStatus } from '../tenants/database/admin.ts';
import {
  type ComponentName,
  type ComponentStatus,
  componentStatus,
  type InfrastructureStatus,
  type PodStatus,
} from './status.ts';

/**
 * `infrastructureChanged`: one feed per process, fed by the shared informers through the event bus
 * (never a watch per subscriber). It keeps every component's pods and the database figures, and
 * turns changes into deltas, at most one per component per window (the last state wins), each
 * numbered. A client that reconnects with the cursor of the last message it got receives what
 * changed since, or one snapshot when its cursor is from another process or older than the history.
 */

export type PodsDelta = {
  kind: 'pods';
  component: ComponentName;
  /** Pods added or changed, as they are now. */
  changed: PodStatus[];
  /** Names of pods that are gone. */
  removed: string[];
  /** The component after the change: its versions and drift. */
  status: Omit<ComponentStatus, 'pods'>;
};
export type DatabaseDelta = {
  kind: 'database';
  database: DatabaseServerStatus | null;
  databaseError: string | null;
};
export type InfrastructureMessage =
  | { cursor: string; kind: 'snapshot'; snapshot: InfrastructureStatus }
  | ({ cursor: string } & PodsDelta)
  | ({ cursor: string } & DatabaseDelta);

export type FeedSources = {
  bus: EventBus;
  /** A component's pods now (the leader reads its informer's cache, other replicas list). */
  readPods(component: ComponentName): Promise<PodStatus[]>;
  /** The leader's latest database figures. */
  readDatabase(): Promise<{ database: DatabaseServerStatus | null; databaseError: string | null }>;
  /** The version last requested for each worker component. */
  requestedVersions(): Promise<Map<string, string>>;
  logger: Logger;
};

export type FeedOptions = {
  /** At most one message per component per window. */
  windowMs: number;
  /** Messages kept for resuming. */
  history: number;
  /** How long the feed keeps following after its last subscriber left, so reconnects resume. */
  idleMs: number;
};

const COMPONENTS: ComponentName[] = ['backend', 'login-worker', 'agent', 'control-plane'];
const COMPONENT_OF_APP: Record<string, ComponentName> = {
  'justiam-backend': 'backend',
  'justiam-login-worker': 'login-worker',
  'justiam-agent': 'agent',
};

type Entry = { seq: number; message: PodsDelta | DatabaseDelta };

/** Merges consecutive deltas of one component: a pod's last state wins, a removal drops its change. */
function mergePods(into: PodsDelta | undefined, next: PodsDelta): PodsDelta {
  if (!into) return { ...next, changed: [...next.changed], removed: [...next.removed] };
  const changed = new Map(into.changed.map((p) => [p.name, p]));
  const removed = new Set(into.removed);
  for (const name of next.removed) {
    changed.delete(name);
    removed.add(name);
  }
  for (const pod of next.changed) {
    removed.delete(pod.name);
    changed.set(pod.name, pod);
  }
  return { ...next, changed: [...changed.values()], removed: [...removed] };
}

export function createInfrastructureFeed(sources: FeedSources, options: FeedOptions) {
  const { bus, logger } = sources;
  const listeners = new Set<(message: InfrastructureMessage) => void>();
  let epoch = '';
  let seq = 0;
  let entries: Entry[] = [];
  let pods = new Map<ComponentName, Map<string, { pod: PodStatus; json: string }>>();
  let requested = new Map<string, string>();
  let database: DatabaseDelta = { kind: 'database', database: null, databaseError: null };
  let databaseJson = '';
  let running: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  // While the starting state is read, changes are noted and refreshed right after.
  let loading = false;
  const pendingWhileLoading = new Set<ComponentName | 'database'>();

  // Per component: a flush scheduled, one under way, and when the last one started.
  const timers = new Map<ComponentName | 'database', NodeJS.Timeout>();
  const flushing = new Map<ComponentName | 'database', Promise<void>>();
  const again = new Set<ComponentName | 'database'>();
  const lastFlush = new Map<ComponentName | 'database', number>();

  const statusOf = (component: ComponentName) => {
    const { pods: _, ...status } = componentStatus(
      component,
      [...(pods.get(component)?.values() ?? [])].map((p) => p.pod),
      requested.get(component) ?? null,
    );
    return status;
  };

  function emit(message: PodsDelta | DatabaseDelta) {
    seq += 1;
    entries.push({ seq, message });
    if (entries.length > options.history) entries = entries.slice(entries.length - options.history);
    const out = { cursor: `${epoch}-${seq}`, ...message } as InfrastructureMessage;
    for (const push of listeners) push(out);
  }

  async function refreshPods(component: ComponentName) {
    const now = await sources.readPods(component);
    const before = pods.get(component) ?? new Map();
    const after = new Map(now.map((pod) => [pod.name, { pod, json: JSON.stringify(pod) }]));
    const changed = [...after.values()]
      .filter((p) => before.get(p.pod.name)?.json !== p.json)
      .map((p) => p.pod);
    const removed = [...before.keys()].filter((name) => !after.has(name));
    pods.set(component, after);
    const drift = JSON.stringify(statusOf(component));
    const driftChanged = drift !== lastStatus.get(component);
    lastStatus.set(component, drift);
    if (changed.length || removed.length || driftChanged)
      emit({ kind: 'pods', component, changed, removed, status: statusOf(component) });
  }
  const lastStatus = new Map<ComponentName, string>();

  async function refreshDatabase() {
    const next = await sources.readDatabase();
    const json = JSON.stringify(next);
    if (json === databaseJson) return;
    databaseJson = json;
    database = { kind: 'database', ...next };
    emit(database);
  }

  function flush(what: ComponentName | 'database') {
    timers.delete(what);
    if (flushing.has(what)) {
      again.add(what);
      return;
    }
    lastFlush.set(what, Date.now());
    const work = (what === 'database' ? refreshDatabase() : refreshPods(what))
      .catch((error: unknown) =>
        logger.warn({ err: error, component: what }, 'infrastructure feed refresh failed'),
      )
      .finally(() => {
        flushing.delete(what);
        if (again.delete(what)) schedule(what);
      });
    flushing.set(what, work);
  }

  /** The first change in a quiet window goes out at once; more within the window wait for its end. */
  function schedule(what: ComponentName | 'database') {
    if (!running) return;
    if (loading) {
      pendingWhileLoading.add(what);
      return;
    }
    if (timers.has(what)) return;
    if (flushing.has(what)) {
      again.add(what);
      return;
    }
    const wait = Math.max(0, (lastFlush.get(what) ?? 0) + options.windowMs - Date.now());
    const timer = setTimeout(() => flush(what), wait);
    timer.unref();
    timers.set(what, timer);
  }

  async function open(): Promise<void> {
    epoch = randomBytes(6).toString('base64url');
    seq = 0;
    entries = [];
    pods = new Map();
    lastStatus.clear();
    const sourcesList = [
      bus.subscribe('cluster.changed'),
      bus.subscribe('infrastructure.database'),
      bus.subscribe('worker-upgrade.changed'),
    ] as AsyncIterableIterator<unknown>[];
    unsubscribe = () => {
      for (const source of sourcesList) void source.return?.();
    };
    const [clusterEvents, databaseEvents, upgradeEvents] = sourcesList as [
      AsyncIterableIterator<{ resource: string; type: string; app: string | null }>,
      AsyncIterableIterator<unknown>,
      AsyncIterableIterator<{ component: ComponentName }>,
    ];
    void (async () => {
      for await (const event of clusterEvents) {
        if (event.resource !== 'pods') continue;
        const component = event.app ? COMPONENT_OF_APP[event.app] : undefined;
        if (component) schedule(component);
        else if (event.type === 'RESYNC') for (const c of COMPONENTS) if (c !== 'control-plane') schedule(c);
      }
    })();
    void (async () => {
      // The leader's interval refresh: database figures, and the control plane's own pods with them.
      for await (const _ of databaseEvents) {
        schedule('database');
        schedule('control-plane');
      }
    })();
    void (async () => {
      for await (const event of upgradeEvents) {
        requested = await sources.requestedVersions().catch(() => requested);
        schedule(event.component);
      }
    })();
    // The starting state: no messages, it is what snapshots and the first deltas build on.
    loading = true;
    requested = await sources.requestedVersions();
    const [initialPods, initialDatabase] = await Promise.all([
      Promise.all(COMPONENTS.map(async (c) => [c, await sources.readPods(c)] as const)),
      sources.readDatabase(),
    ]);
    for (const [component, list] of initialPods) {
      pods.set(component, new Map(list.map((pod) => [pod.name, { pod, json: JSON.stringify(pod) }])));
      lastStatus.set(component, JSON.stringify(statusOf(component)));
    }
    database = { kind: 'database', ...initialDatabase };
    databaseJson = JSON.stringify(initialDatabase);
    loading = false;
    for (const what of pendingWhileLoading) schedule(what);
    pendingWhileLoading.clear();
  }

  function close() {
    loading = false;
    pendingWhileLoading.clear();
    unsubscribe?.();
    unsubscribe = undefined;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    again.clear();
    running = undefined;
  }

  function snapshot(): InfrastructureMessage {
    const components = COMPONENTS.map((component) => ({
      ...statusOf(component),
      pods: [...(pods.get(component)?.values() ?? [])]
        .map((p) => p.pod)
        .sort((a, b) => a.name.localeCompare(b.name)),
    }));
    return {
      cursor: `${epoch}-${seq}`,
      kind: 'snapshot',
      snapshot: { components, database: database.database, databaseError: database.databaseError },
    };
  }

  /** What a client that last saw `after` missed, or undefined when only a snapshot can tell it. */
  function replay(after: string): InfrastructureMessage[] | undefined {
    const dash = after.lastIndexOf('-');
    const from = Number(after.slice(dash + 1));
    if (after.slice(0, dash) !== epoch || !Number.isInteger(from) || from > seq) return undefined;
    const oldest = entries[0]?.seq ?? seq + 1;
    if (from < oldest - 1) return undefined;
    const byComponent = new Map<string, PodsDelta | DatabaseDelta>();
    for (const { seq: n, message } of entries) {
      if (n <= from) continue;
      const key = message.kind === 'pods' ? message.component : 'database';
      const previous = byComponent.get(key);
      byComponent.set(
        key,
        message.kind === 'pods' ? mergePods(previous as PodsDelta | undefined, message) : message,
      );
    }
    const merged = [...byComponent.values()];
    // Only the last carries the newest cursor: a client cut off half-way resumes from `after` again.
    return merged.map((message, i) => ({
      cursor: i === merged.length - 1 ? `${epoch}-${seq}` : after,
      ...message,
    })) as InfrastructureMessage[];
  }

  return {
    /**
     * Messages from now on, preceded by what was missed since `after` (a cursor this feed gave)
     * or, without one or when it is too old or from elsewhere, by one snapshot.
     */
    subscribe(after: string | null | undefined): AsyncIterableIterator<InfrastructureMessage> {
      if (after !== null && after !== undefined && !/^[\w-]{1,40}-\d{1,15}$/.test(after))
        throw new ValidationError(`"${after.slice(0, 60)}" is not a cursor of infrastructureChanged`, [
          { path: 'after', message: 'must be the cursor of a message this subscription sent' },
        ]);
      return new Repeater<InfrastructureMessage>(async (push, stop) => {
        clearTimeout(idleTimer);
        const listener = (message: InfrastructureMessage) => void push(message);
        try {
          running ??= open().catch((error: unknown) => {
            close();
            throw error;
          });
          await running;
          // Synchronously: the catch-up and the first live message cannot interleave.
          const catchUp = (after ? replay(after) : undefined) ?? [snapshot()];
          listeners.add(listener);
          for (const message of catchUp) void push(message);
        } catch (error) {
          stop(error);
        }
        await stop;
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearTimeout(idleTimer);
          idleTimer = setTimeout(close, options.idleMs);
          idleTimer.unref();
        }
      });
    },
    /** Ends the feed now (server shutdown). */
    close() {
      clearTimeout(idleTimer);
      close();
    },
  };
}
