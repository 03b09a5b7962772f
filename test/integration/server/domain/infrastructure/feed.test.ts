import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POD, seedPods, setPodReady } from '../../../../bench/cluster-informer/seed.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../../support/kube.ts';
import { rest, startTestServer, type TestServer } from '../../../../support/server.ts';
import { collect, wsClient } from '../../../../support/ws.ts';

type PodState = { name: string; phase: string; ready: boolean; version: string | null };
type Change = {
  cursor: string;
  kind: 'SNAPSHOT' | 'PODS' | 'DATABASE';
  snapshot: { components: { component: string; pods: PodState[] }[] } | null;
  component: string | null;
  pods: PodState[];
  removedPods: string[];
  versions: string[];
  database: { connections: number } | null;
};

const SUBSCRIPTION = `subscription ($after: String) {
  infrastructureChanged(after: $after) {
    cursor kind component removedPods versions
    pods { name phase ready version }
    snapshot { components { component pods { name phase ready version } } }
    database { connections }
  }
}`;

/** Pods by name, per component, as a client keeps them: the snapshot, then each delta applied. */
function applyAll(changes: Change[]): Map<string, Map<string, PodState>> {
  const state = new Map<string, Map<string, PodState>>();
  for (const change of changes) {
    if (change.kind === 'SNAPSHOT') {
      state.clear();
      for (const c of change.snapshot!.components)
        state.set(c.component, new Map(c.pods.map((p) => [p.name, p])));
    } else if (change.kind === 'PODS') {
      const pods = state.get(change.component!) ?? new Map<string, PodState>();
      for (const name of change.removedPods) pods.delete(name);
      for (const pod of change.pods) pods.set(pod.name, pod);
      state.set(change.component!, pods);
    }
  }
  return state;
}

/**
 * `infrastructureChanged` against a cluster simulator run here (pods stored straight into it, its
 * kubelet too slow to interfere), on two replicas sharing one database: a pod going NotReady
 * arrives within a coalescing window; a burst of 500 changes arrives as a few coalesced messages
 * whose end state is the cluster's; a client resuming with its cursor gets exactly what changed, a
 * foreign or too-old cursor one snapshot; the follower replica streams the same changes.
 */
describe('infrastructureChanged', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let dir: string;
  let leader: TestServer;
  let follower: TestServer;
  const clients: Client[] = [];
  let names: string[] = [];

  const client = (server: TestServer) => {
    const c = wsClient(server.url, server.connectionParams);
    clients.push(c);
    return c;
  };
  const clusterState = () => {
    const byName = new Map<string, boolean>();
    for (const pod of cluster.sim.store.list(POD, cluster.namespace)) {
      const conditions = (pod.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
      byName.set(
        pod.metadata.name!,
        conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
    }
    return byName;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster({ podStartDelayMs: 600_000 });
    names = seedPods(cluster.sim.store, { namespace: cluster.namespace, count: 600, tenants: 50 }).names;
    dir = await mkdtemp(join(tmpdir(), 'cp-infra-feed-'));
    await cluster.sim.writeKubeconfig(join(dir, 'kubeconfig'));
    const env = (name: string) => ({
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: join(dir, 'kubeconfig'),
      LEADER_IDENTITY: name,
      STATUS_POLL_INTERVAL_MS: '3600000',
      DRIFT_CHECK_INTERVAL_MS: '3600000',
      DATABASE_STATUS_INTERVAL_MS: '500',
    });
    leader = await startTestServer(database.url, env('replica-a'));
    follower = await startTestServer(database.url, env('replica-b'));
    await eventually(() => leader.services.workloads.pods.status().state === 'watching', 10_000, 'informer');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([leader?.stop(), follower?.stop()]);
    await cluster?.stop();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts with a snapshot of every component, then streams a pod going NotReady within a window', async () => {
    const sub = collect<{ infrastructureChanged: Change }>(client(leader), SUBSCRIPTION);
    const [first] = await sub.waitFor(1, 10_000);
    const snapshot = first!.infrastructureChanged;
    expect(snapshot.kind).toBe('SNAPSHOT');
    const pods = snapshot.snapshot!.components.flatMap((c) => c.pods);
    // seedPods deals pods round-robin over backend, login workers and agents.
    expect(pods).toHaveLength(600);
    expect(pods.every((p) => p.ready && p.version === '2.4.1')).toBe(true);

    const target = names[3]!;
    const at = Date.now();
    setPodReady(cluster.sim.store, cluster.namespace, target, false);
    const changes = await eventually(
      () => {
        const found = sub.results
          .map((r) => r.infrastructureChanged)
          .filter((c) => c.pods.some((p) => p.name === target));
        return found.length ? found : undefined;
      },
      5000,
      'the NotReady pod in a delta',
    );
    const elapsed = Date.now() - at;
    expect(changes[0]!.kind).toBe('PODS');
    expect(changes[0]!.pods).toEqual([
      expect.objectContaining({ name: target, ready: false, phase: 'Running' }),
    ]);
    // One window (100 ms), with room for a loaded test machine; the leading change is not held back.
    expect(elapsed).toBeLessThan(1000);
    sub.stop();
  });

  it('coalesces a burst of 500 changes into a few messages whose end state is the cluster’s', async () => {
    const sub = collect<{ infrastructureChanged: Change }>(client(leader), SUBSCRIPTION);
    await sub.waitFor(1, 10_000);
    const burst = names.slice(0, 500);
    for (const name of burst) setPodReady(cluster.sim.store, cluster.namespace, name, name.length % 2 === 0);
    const expected = clusterState();
    await eventually(
      () => {
        const state = applyAll(sub.results.map((r) => r.infrastructureChanged));
        const seen = [...state.values()].flatMap((m) => [...m.values()]);
        return seen.length === expected.size && seen.every((p) => expected.get(p.name) === p.ready);
      },
      15_000,
      'the subscriber’s state equals the cluster’s',
    );
    const deltas = sub.results.filter((r) => r.infrastructureChanged.kind === 'PODS');
    // 500 pod changes over three components: a handful of messages, never one per change.
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThan(60);
    sub.stop();
  });

  // Pods the burst above left alone (their state is known: Ready).
  it('resumes from a cursor with exactly what changed, and answers a foreign cursor with a snapshot', async () => {
    const first = collect<{ infrastructureChanged: Change }>(client(leader), SUBSCRIPTION);
    await first.waitFor(1, 10_000);
    // Another subscriber keeps the feed (and its history) while the first is away.
    const keeper = collect<{ infrastructureChanged: Change }>(client(leader), SUBSCRIPTION);
    await keeper.waitFor(1, 10_000);
    setPodReady(cluster.sim.store, cluster.namespace, names[510]!, false);
    await eventually(
      () => first.results.some((r) => r.infrastructureChanged.pods.some((p) => p.name === names[510])),
      5000,
      'a delta before the disconnect',
    );
    const cursor = first.results.at(-1)!.infrastructureChanged.cursor;
    first.stop();

    // While it is away: one pod recovers, one more fails, one is deleted.
    setPodReady(cluster.sim.store, cluster.namespace, names[510]!, true);
    setPodReady(cluster.sim.store, cluster.namespace, names[511]!, false);
    cluster.sim.store.delete(POD, cluster.namespace, names[512]!);
    await eventually(
      () => keeper.results.some((r) => r.infrastructureChanged.removedPods.includes(names[512]!)),
      5000,
      'the keeper saw the deletion',
    );
    await new Promise((r) => setTimeout(r, 300));

    const resumed = collect<{ infrastructureChanged: Change }>(client(leader), SUBSCRIPTION, {
      after: cursor,
    });
    await eventually(
      () => {
        const got = resumed.results.map((r) => r.infrastructureChanged);
        const pods = got.flatMap((c) => c.pods.map((p) => p.name));
        const removed = got.flatMap((c) => c.removedPods);
        return pods.includes(names[510]!) && pods.includes(names[511]!) && removed.includes(names[512]!);
      },
      5000,
      'the missed changes',
    );
    const got = resumed.results.map((r) => r.infrastructureChanged);
    expect(got.every((c) => c.kind !== 'SNAPSHOT')).toBe(true);
    const pods = got.filter((c) => c.kind === 'PODS').flatMap((c) => c.pods);
    expect(new Set(pods.map((p) => p.name))).toEqual(new Set([names[510], names[511]]));
    expect(pods.find((p) => p.name === names[510])!.ready).toBe(true);
    expect(pods.find((p) => p.name === names[511])!.ready).toBe(false);
    expect(got.flatMap((c) => c.removedPods)).toEqual([names[512]]);
    names.splice(512, 1);

    // A cursor of another process (or one older than the history) gets one snapshot.
    const foreign = collect<{ infrastructureChanged: Change }>(client(leader), SUBSCRIPTION, {
      after: 'zzzzzzzz-5',
    });
    const [snap] = await foreign.waitFor(1, 10_000);
    expect(snap!.infrastructureChanged.kind).toBe('SNAPSHOT');
    expect(snap!.infrastructureChanged.snapshot!.components.flatMap((c) => c.pods)).toHaveLength(599);

    // A cursor that is not one is refused.
    const refusal = await new Promise<unknown>((resolve) => {
      client(leader).subscribe(
        { query: SUBSCRIPTION, variables: { after: 'not a cursor' } },
        { next: (value) => resolve(value.errors), error: resolve, complete: () => resolve('completed') },
      );
    });
    expect(JSON.stringify(refusal)).toContain('is not a cursor of infrastructureChanged');
    for (const s of [resumed, foreign, keeper]) s.stop();
  });

  it('streams the same changes on the follower, and database figures refreshed by the leader', async () => {
    const sub = collect<{ infrastructureChanged: Change }>(client(follower), SUBSCRIPTION);
    await sub.waitFor(1, 10_000);
    const target = names[520]!;
    setPodReady(cluster.sim.store, cluster.namespace, target, false);
    await eventually(
      () =>
        sub.results.some((r) =>
          r.infrastructureChanged.pods.some((p) => p.name === target && p.ready === false),
        ),
      5000,
      'the follower streams the change',
    );
    // The leader reads the database every 500 ms here; a new connection changes the figures.
    const before = sub.results.length;
    await eventually(
      async () => {
        await rest(follower, 'GET', '/infrastructure');
        return sub.results.slice(before).some((r) => r.infrastructureChanged.kind === 'DATABASE');
      },
      10_000,
      'a database delta',
    );
    const db = sub.results.find((r) => r.infrastructureChanged.kind === 'DATABASE')!.infrastructureChanged;
    expect(db.database!.connections).toBeGreaterThan(0);
    sub.stop();
  });
});
