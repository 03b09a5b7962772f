import { describe, expect, it } from 'vitest';
import {
  applyChange,
  type Change,
  type ComponentState,
  type FeedState,
  groupPods,
  HISTORY_LIMIT,
  type Pod,
  podDrifts,
} from '../../../client/src/infrastructure/feed.ts';
import { formatBytes, formatUptime, versionProblem } from '../../../client/src/infrastructure/look.ts';

function pod(name: string, extra: Partial<Pod> = {}): Pod {
  return {
    name,
    component: 'LOGIN_WORKER',
    phase: 'Running',
    ready: true,
    restarts: 0,
    node: 'node-1',
    version: '1.4.0',
    startedAt: '2026-12-01T10:00:00Z',
    lastTransitionAt: '2026-12-01T10:00:05Z',
    tenant: null,
    pool: null,
    ...extra,
  };
}

const base = {
  component: null,
  pods: [],
  removedPods: [],
  versions: [],
  requestedVersion: null,
  versionDrift: null,
  database: null,
  databaseError: null,
  snapshot: null,
} satisfies Omit<Change, 'kind' | 'cursor'>;

function snapshot(cursor: string, pods: Pod[], extra: Partial<ComponentState> = {}): Change {
  return {
    ...base,
    kind: 'SNAPSHOT',
    cursor,
    snapshot: {
      components: [
        {
          component: 'LOGIN_WORKER',
          versions: [...new Set(pods.map((p) => p.version ?? ''))],
          requestedVersion: null,
          versionDrift: false,
          pods,
          ...extra,
        },
      ],
      database: null,
      databaseError: 'not read yet',
      upgrades: [],
    },
  };
}

function pods(cursor: string, changed: Pod[], removed: string[] = [], extra: Partial<Change> = {}): Change {
  return {
    ...base,
    kind: 'PODS',
    cursor,
    component: 'LOGIN_WORKER',
    pods: changed,
    removedPods: removed,
    versions: ['1.4.0'],
    versionDrift: false,
    ...extra,
  };
}

const T0 = '2026-12-02T06:00:00.000Z';
const T1 = '2026-12-02T06:00:01.000Z';
const T2 = '2026-12-02T06:00:02.000Z';

describe('the infrastructure feed, applied', () => {
  it('starts from the snapshot, every component present, each pod seen once', () => {
    const state = applyChange(null, snapshot('c1', [pod('b'), pod('a', { ready: false })]), T0);
    expect(Object.keys(state.components)).toEqual(['BACKEND', 'LOGIN_WORKER', 'AGENT', 'CONTROL_PLANE']);
    expect(state.components.LOGIN_WORKER.pods.map((p) => p.name)).toEqual(['a', 'b']);
    expect(state.components.AGENT.pods).toEqual([]);
    expect(state.cursor).toBe('c1');
    expect(state.databaseError).toBe('not read yet');
    expect(state.history.a).toEqual([
      {
        at: T0,
        kind: 'seen',
        phase: 'Running',
        ready: false,
        text: 'Running here when the page opened: Running, not ready',
      },
    ]);
  });

  it('applies pod deltas by name: changes recorded in words, removals kept as gone', () => {
    let state: FeedState = applyChange(null, snapshot('c1', [pod('a'), pod('b')]), T0);
    state = applyChange(
      state,
      pods(
        'c2',
        [
          pod('a', { phase: 'Running', ready: false, restarts: 1 }),
          pod('c', { phase: 'Pending', ready: false }),
        ],
        ['b'],
      ),
      T1,
    );
    expect(state.components.LOGIN_WORKER.pods.map((p) => p.name)).toEqual(['a', 'c']);
    expect(state.cursor).toBe('c2');
    expect(state.history.a!.at(-1)).toMatchObject({
      at: T1,
      kind: 'changed',
      text: 'became not ready, restarts 0 → 1',
    });
    expect(state.history.b!.at(-1)).toMatchObject({ kind: 'gone' });
    expect(state.gone.b?.name).toBe('b');
    expect(state.history.c).toEqual([
      { at: T1, kind: 'added', phase: 'Pending', ready: false, text: 'Appeared: Pending, not ready' },
    ]);

    state = applyChange(
      state,
      pods('c3', [pod('c', { phase: 'Running', ready: true, version: '1.4.2' })], [], {
        versions: ['1.4.0', '1.4.2'],
        versionDrift: true,
        requestedVersion: '1.4.2',
      }),
      T2,
    );
    expect(state.history.c!.at(-1)?.text).toBe('Pending → Running, became ready, version 1.4.0 → 1.4.2');
    expect(state.components.LOGIN_WORKER).toMatchObject({
      versions: ['1.4.0', '1.4.2'],
      versionDrift: true,
      requestedVersion: '1.4.2',
    });
    // A delta that changes nothing a person follows adds nothing to the history.
    const before = state.history.a!.length;
    state = applyChange(
      state,
      pods('c4', [pod('a', { ready: false, restarts: 1, lastTransitionAt: T2 })]),
      T2,
    );
    expect(state.history.a!.length).toBe(before);
  });

  it('takes a later snapshot (a resume from a cursor too old) as the truth, noting what it changed', () => {
    let state = applyChange(null, snapshot('c1', [pod('a'), pod('b')]), T0);
    state = applyChange(state, snapshot('c9', [pod('a', { phase: 'Failed', ready: false }), pod('d')]), T1);
    expect(state.components.LOGIN_WORKER.pods.map((p) => p.name)).toEqual(['a', 'd']);
    expect(state.history.a!.at(-1)?.text).toBe('Running → Failed, became not ready');
    expect(state.history.b!.at(-1)?.kind).toBe('gone');
    expect(state.history.d).toEqual([expect.objectContaining({ kind: 'added' })]);
  });

  it('replaces the database figures on DATABASE messages', () => {
    let state = applyChange(null, snapshot('c1', []), T0);
    const database = {
      serverVersion: '15.4',
      startedAt: T0,
      connections: 3,
      maxConnections: 100,
      sizeBytes: 2048,
      tenants: [{ slug: 'acme', sizeBytes: 2048 }],
    };
    state = applyChange(
      state,
      { ...base, kind: 'DATABASE', cursor: 'c2', database, databaseError: null },
      T1,
    );
    expect(state.database).toEqual(database);
    expect(state.databaseError).toBeNull();
    expect(state.cursor).toBe('c2');
  });

  it('refuses a delta before any snapshot', () => {
    expect(() => applyChange(null, pods('c1', [pod('a')]), T0)).toThrow(/before its snapshot/);
  });

  it('keeps a bounded history per pod', () => {
    let state = applyChange(null, snapshot('c1', [pod('a')]), T0);
    for (let i = 1; i <= HISTORY_LIMIT + 10; i++)
      state = applyChange(state, pods(`c${i + 1}`, [pod('a', { restarts: i })]), T1);
    expect(state.history.a!.length).toBe(HISTORY_LIMIT);
    expect(state.history.a!.at(-1)?.text).toBe(`restarts ${HISTORY_LIMIT + 9} → ${HISTORY_LIMIT + 10}`);
  });
});

describe('drift and grouping', () => {
  const status = (list: Pod[], requestedVersion: string | null, versionDrift = true): ComponentState => ({
    component: 'LOGIN_WORKER',
    pods: list,
    versions: [],
    requestedVersion,
    versionDrift,
  });

  it('marks pods off the requested version, or off the version most pods run', () => {
    const list = [
      pod('a', { version: '1.4.2' }),
      pod('b', { version: '1.4.0' }),
      pod('c', { version: '1.4.0' }),
    ];
    expect(list.map((p) => podDrifts(status(list, '1.4.2'), p))).toEqual([false, true, true]);
    expect(list.map((p) => podDrifts(status(list, null), p))).toEqual([true, false, false]);
    expect(list.map((p) => podDrifts(status(list, null, false), p))).toEqual([false, false, false]);
  });

  it('groups shared pods first, then each tenant and pool', () => {
    const groups = groupPods([
      pod('p1', { pool: 'gpu' }),
      pod('t1', { tenant: 'acme' }),
      pod('s1'),
      pod('t2', { tenant: 'acme' }),
    ]);
    expect(groups.map((g) => [g.key, g.label, g.pods.map((p) => p.name)])).toEqual([
      ['shared', null, ['s1']],
      ['pool:gpu', 'Pool gpu', ['p1']],
      ['tenant:acme', 'Tenant acme', ['t1', 't2']],
    ]);
  });
});

describe('what the page checks and shows', () => {
  it('checks a version with the server’s image tag rule', () => {
    for (const ok of ['1.4.2', 'v1', '_x', 'a'.repeat(128), '1.4.2-rc.1_b'])
      expect(versionProblem(ok), ok).toBeNull();
    for (const bad of ['', '-1.0', '.1', 'bad tag!', 'a'.repeat(129), '1.4/2', 'ü'])
      expect(versionProblem(bad), bad).not.toBeNull();
  });

  it('formats sizes and uptimes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    const start = '2026-12-01T00:00:00Z';
    const at = (s: number) => new Date(start).getTime() + s * 1000;
    expect(formatUptime(start, at(40))).toBe('40 s');
    expect(formatUptime(start, at(125))).toBe('2 min');
    expect(formatUptime(start, at(3 * 3600 + 120))).toBe('3 h 2 min');
    expect(formatUptime(start, at(2 * 86_400 + 5 * 3600))).toBe('2 d 5 h');
  });
});
