import type {
  InfrastructureComponent,
  InfrastructurePage_ChangedSubscription,
  InfrastructurePage_DatabaseFragment,
  InfrastructurePage_PodFragment,
  InfrastructurePage_UpgradeFragment,
} from '../gql/graphql.ts';

export type Pod = InfrastructurePage_PodFragment;
export type Change = InfrastructurePage_ChangedSubscription['infrastructureChanged'];

/** The components in the order the page shows them. */
export const COMPONENTS: readonly InfrastructureComponent[] = [
  'BACKEND',
  'LOGIN_WORKER',
  'AGENT',
  'CONTROL_PLANE',
];

export type ComponentState = {
  component: InfrastructureComponent;
  /** Its pods by name, sorted by name. */
  pods: Pod[];
  versions: string[];
  requestedVersion: string | null;
  versionDrift: boolean;
};

/** One state change of a pod, as this page saw it arrive. */
export type PodEvent = {
  /** When the page received it (ISO). */
  at: string;
  kind: 'seen' | 'added' | 'changed' | 'gone';
  phase: string;
  ready: boolean;
  /** What changed, in words: "Pending → Running", "became ready", "restarts 0 → 1". */
  text: string;
};

export type FeedState = {
  components: Record<InfrastructureComponent, ComponentState>;
  database: InfrastructurePage_DatabaseFragment | null;
  databaseError: string | null;
  /** The latest upgrade of each worker component, as of the last snapshot. */
  upgrades: InfrastructurePage_UpgradeFragment[];
  /** The last message's cursor: where a new subscription resumes. */
  cursor: string;
  /** Each pod's state changes since the page opened, oldest first (pods gone included). */
  history: Record<string, PodEvent[]>;
  /** Pods that were here and are gone, as last seen. */
  gone: Record<string, Pod>;
};

/** Kept per pod: a crash-looping pod must not grow the page's memory without end. */
export const HISTORY_LIMIT = 50;

function emptyComponent(component: InfrastructureComponent): ComponentState {
  return { component, pods: [], versions: [], requestedVersion: null, versionDrift: false };
}

function readiness(ready: boolean): string {
  return ready ? 'ready' : 'not ready';
}

/** What differs between two states of one pod, in words; empty when nothing a person follows did. */
export function describeChange(before: Pod, after: Pod): string {
  const parts: string[] = [];
  if (before.phase !== after.phase) parts.push(`${before.phase} → ${after.phase}`);
  if (before.ready !== after.ready) parts.push(after.ready ? 'became ready' : 'became not ready');
  if (before.restarts !== after.restarts) parts.push(`restarts ${before.restarts} → ${after.restarts}`);
  if (before.version !== after.version)
    parts.push(`version ${before.version ?? 'unknown'} → ${after.version ?? 'unknown'}`);
  if (before.node !== after.node && after.node) parts.push(`scheduled on ${after.node}`);
  return parts.join(', ');
}

function record(history: Record<string, PodEvent[]>, name: string, event: PodEvent): void {
  const list = history[name] ?? [];
  history[name] = [...list, event].slice(-HISTORY_LIMIT);
}

function byName(a: Pod, b: Pod): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Applies one pod's arrival or change onto the history; `initial` marks pods present when the page
 * opened (seen, not added).
 */
function notePod(
  history: Record<string, PodEvent[]>,
  before: Pod | undefined,
  after: Pod,
  at: string,
  initial: boolean,
): void {
  if (!before) {
    record(history, after.name, {
      at,
      kind: initial ? 'seen' : 'added',
      phase: after.phase,
      ready: after.ready,
      text: `${initial ? 'Running here when the page opened' : 'Appeared'}: ${after.phase}, ${readiness(after.ready)}`,
    });
    return;
  }
  const text = describeChange(before, after);
  if (text)
    record(history, after.name, { at, kind: 'changed', phase: after.phase, ready: after.ready, text });
}

function noteGone(history: Record<string, PodEvent[]>, pod: Pod, at: string): void {
  record(history, pod.name, {
    at,
    kind: 'gone',
    phase: pod.phase,
    ready: false,
    text: 'Gone from the cluster',
  });
}

/**
 * The page's state after one infrastructureChanged message: a SNAPSHOT replaces everything (and
 * the differences from what was shown go into the pods' histories), PODS deltas replace and remove
 * pods by name, DATABASE replaces the database figures. `at` is when the message arrived.
 */
export function applyChange(state: FeedState | null, change: Change, at: string): FeedState {
  const history: Record<string, PodEvent[]> = { ...(state?.history ?? {}) };
  const gone: Record<string, Pod> = { ...(state?.gone ?? {}) };

  if (change.kind === 'SNAPSHOT' && change.snapshot) {
    const snapshot = change.snapshot;
    const components = Object.fromEntries(COMPONENTS.map((c) => [c, emptyComponent(c)])) as Record<
      InfrastructureComponent,
      ComponentState
    >;
    const seen = new Set<string>();
    for (const status of snapshot.components) {
      const previous = new Map((state?.components[status.component]?.pods ?? []).map((p) => [p.name, p]));
      for (const pod of status.pods) {
        seen.add(pod.name);
        notePod(history, previous.get(pod.name), pod, at, state === null);
        delete gone[pod.name];
      }
      components[status.component] = {
        component: status.component,
        pods: [...status.pods].sort(byName),
        versions: status.versions,
        requestedVersion: status.requestedVersion,
        versionDrift: status.versionDrift,
      };
    }
    for (const c of COMPONENTS)
      for (const pod of state?.components[c].pods ?? [])
        if (!seen.has(pod.name)) {
          noteGone(history, pod, at);
          gone[pod.name] = pod;
        }
    return {
      components,
      database: snapshot.database,
      databaseError: snapshot.databaseError,
      upgrades: snapshot.upgrades,
      cursor: change.cursor,
      history,
      gone,
    };
  }

  // A delta before any snapshot has nothing to apply to; the server always sends the snapshot first.
  if (!state) throw new Error(`infrastructureChanged sent ${change.kind} before its snapshot`);

  if (change.kind === 'DATABASE') {
    return {
      ...state,
      database: change.database,
      databaseError: change.databaseError,
      cursor: change.cursor,
    };
  }

  if (change.kind === 'PODS' && change.component) {
    const current = state.components[change.component] ?? emptyComponent(change.component);
    const pods = new Map(current.pods.map((p) => [p.name, p]));
    for (const name of change.removedPods) {
      const pod = pods.get(name);
      if (!pod) continue;
      pods.delete(name);
      noteGone(history, pod, at);
      gone[name] = pod;
    }
    for (const pod of change.pods) {
      notePod(history, pods.get(pod.name), pod, at, false);
      pods.set(pod.name, pod);
      delete gone[pod.name];
    }
    return {
      ...state,
      components: {
        ...state.components,
        [change.component]: {
          component: change.component,
          pods: [...pods.values()].sort(byName),
          versions: change.versions,
          requestedVersion: change.requestedVersion ?? null,
          versionDrift: change.versionDrift ?? false,
        },
      },
      cursor: change.cursor,
      history,
      gone,
    };
  }
  return { ...state, cursor: change.cursor };
}

/** Whether a pod's version stands out: not the one requested, or not the one most of its component runs. */
export function podDrifts(component: ComponentState, pod: Pod): boolean {
  if (!component.versionDrift || !pod.version) return false;
  if (component.requestedVersion) return pod.version !== component.requestedVersion;
  const counts = new Map<string, number>();
  for (const p of component.pods) if (p.version) counts.set(p.version, (counts.get(p.version) ?? 0) + 1);
  let common: string | undefined;
  let most = 0;
  for (const [version, count] of counts) {
    if (count > most || (count === most && common !== undefined && version > common)) {
      common = version;
      most = count;
    }
  }
  return pod.version !== common;
}

/** A section's pods in groups: shared ones, then each tenant's or pool's (named), in name order. */
export function groupPods(pods: readonly Pod[]): { key: string; label: string | null; pods: Pod[] }[] {
  const groups = new Map<string, { key: string; label: string | null; pods: Pod[] }>();
  for (const pod of pods) {
    const key = pod.pool ? `pool:${pod.pool}` : pod.tenant ? `tenant:${pod.tenant}` : 'shared';
    const label = pod.pool ? `Pool ${pod.pool}` : pod.tenant ? `Tenant ${pod.tenant}` : null;
    const group = groups.get(key) ?? { key, label, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) =>
    a.key === 'shared' ? -1 : b.key === 'shared' ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
