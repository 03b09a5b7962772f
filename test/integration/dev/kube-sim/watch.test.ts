import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, patchAs, record, type SimHarness, startHarness, waitFor } from './helpers.ts';

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness({ bookmarkIntervalMs: 50, watchHistory: 5 });
});
afterAll(async () => {
  await h.close();
});

const CM_PATH = `/api/v1/namespaces/${NS}/configmaps`;

describe('watch streams through the stock k8s.Watch', () => {
  it('delivers ADDED, MODIFIED, DELETED in resourceVersion order, carrying each version', async () => {
    const list = await h.core.listNamespacedConfigMap({ namespace: NS });
    const w = await record(h.kc, CM_PATH, { resourceVersion: list.metadata?.resourceVersion });
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'w1' }, data: { v: '1' } },
    });
    await h.core.patchNamespacedConfigMap(
      { name: 'w1', namespace: NS, body: { data: { v: '2' } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    await h.core.deleteNamespacedConfigMap({ name: 'w1', namespace: NS });
    const events = await w.waitForCount(3);
    w.abort();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events.map((e) => e.object.data?.v)).toEqual(['1', '2', '2']);
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
    expect(events[0]!.object.kind).toBe('ConfigMap');
  });

  it('without a resourceVersion starts with synthetic ADDED events for existing objects', async () => {
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'pre', labels: { grp: 'pre' } } },
    });
    const w = await record(h.kc, CM_PATH, { labelSelector: 'grp=pre' });
    const events = await w.waitForCount(1);
    w.abort();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'pre' } } });
  });

  it('from a resourceVersion replays exactly the later events', async () => {
    const a = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'r1', labels: { grp: 'replay' } } },
    });
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'r2', labels: { grp: 'replay' } } },
    });
    await h.core.deleteNamespacedConfigMap({ name: 'r1', namespace: NS });
    const w = await record(h.kc, CM_PATH, {
      resourceVersion: a.metadata?.resourceVersion,
      labelSelector: 'grp=replay',
    });
    await w.waitForCount(2);
    // A later change as a marker: once its event is in, nothing else was replayed before it.
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'r-marker', labels: { grp: 'replay' } } },
    });
    await w.waitForCount(3);
    w.abort();
    expect(w.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual([
      'ADDED:r2',
      'DELETED:r1',
      'ADDED:r-marker',
    ]);
  });

  it('applies label selectors: objects entering the selector are ADDED, leaving are DELETED', async () => {
    const list = await h.core.listNamespacedConfigMap({ namespace: NS });
    const w = await record(h.kc, CM_PATH, {
      resourceVersion: list.metadata?.resourceVersion,
      labelSelector: 'color in (blue)',
    });
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'sel-x', labels: { color: 'red' } } },
    });
    const mp = patchAs(k8s.PatchStrategy.MergePatch);
    await h.core.patchNamespacedConfigMap(
      { name: 'sel-x', namespace: NS, body: { metadata: { labels: { color: 'blue' } } } },
      mp,
    );
    await h.core.patchNamespacedConfigMap({ name: 'sel-x', namespace: NS, body: { data: { a: 'b' } } }, mp);
    await h.core.patchNamespacedConfigMap(
      { name: 'sel-x', namespace: NS, body: { metadata: { labels: { color: 'green' } } } },
      mp,
    );
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'sel-y', labels: { color: 'green' } } },
    });
    // A marker entering the selector last: once its event is in, every earlier one is too.
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'sel-z', labels: { color: 'blue' } } },
    });
    await waitFor(async () => (w.events.some((e) => e.object.metadata?.name === 'sel-z') ? true : undefined));
    w.abort();
    expect(
      w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type}:${e.object.metadata.name}`),
    ).toEqual(['ADDED:sel-x', 'MODIFIED:sel-x', 'DELETED:sel-x', 'ADDED:sel-z']);
  });

  it('answers a resourceVersion older than the kept history with an ERROR event: 410 Expired', async () => {
    const first = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'old-0' } },
    });
    // watchHistory is 5 in this file, so six more changes push the first one out.
    for (let i = 1; i <= 6; i++) {
      await h.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: `old-${i}` } } });
    }
    const w = await record(h.kc, CM_PATH, {
      resourceVersion: String(Number(first.metadata?.resourceVersion) - 1),
    });
    const [event] = await w.waitForCount(1);
    expect(event!.type).toBe('ERROR');
    expect(event!.object).toMatchObject({ kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' });
    expect(event!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    expect(await w.done).toBe('closed');
  });

  it('compaction makes every older resourceVersion expire, while the current one still works', async () => {
    const cm = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'compact' } },
    });
    h.sim.store.compact();
    const stale = await record(h.kc, CM_PATH, {
      resourceVersion: String(Number(cm.metadata?.resourceVersion) - 1),
    });
    expect((await stale.waitForCount(1))[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    const current = await record(h.kc, CM_PATH, { resourceVersion: String(h.sim.store.resourceVersion) });
    await h.core.deleteNamespacedConfigMap({ name: 'compact', namespace: NS });
    expect((await current.waitForCount(1))[0]).toMatchObject({ type: 'DELETED' });
    current.abort();
  });

  it('sends periodic BOOKMARK events with the current resourceVersion when asked', async () => {
    const w = await record(h.kc, CM_PATH, {
      resourceVersion: String(h.sim.store.resourceVersion),
      allowWatchBookmarks: true,
    });
    const [bookmark] = await w.waitForCount(1);
    w.abort();
    expect(bookmark).toMatchObject({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1' } });
    expect(Number(bookmark!.object.metadata.resourceVersion)).toBe(h.sim.store.resourceVersion);
  });

  it('marks the end of initial events with a bookmark when sendInitialEvents=true', async () => {
    const w = await record(h.kc, CM_PATH, {
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
      labelSelector: 'grp=pre',
    });
    const events = await w.waitForCount(2);
    w.abort();
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'pre' } } });
    expect(events[1]).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
  });

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const w = await record(h.kc, CM_PATH, {
      resourceVersion: String(h.sim.store.resourceVersion),
      timeoutSeconds: 1,
    });
    expect(await w.done).toBe('closed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('closeAllWatches drops open streams, which the client sees as a close', async () => {
    const w = await record(h.kc, CM_PATH, { resourceVersion: String(h.sim.store.resourceVersion) });
    await waitFor(async () => (h.sim.store.activeWatches > 0 ? true : undefined));
    h.sim.store.closeAllWatches();
    expect(await w.done).toBe('closed');
    expect(h.sim.store.activeWatches).toBe(0);
  });

  it('feeds a stock informer that lists, then watches, and sees later changes', async () => {
    const informer = k8s.makeInformer(
      h.kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => h.core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'grp=inf' }),
      'grp=inf',
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'inf-1', labels: { grp: 'inf' } } },
    });
    await informer.start();
    await h.core.patchNamespacedConfigMap(
      { name: 'inf-1', namespace: NS, body: { data: { x: '1' } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    await h.core.deleteNamespacedConfigMap({ name: 'inf-1', namespace: NS });
    await waitFor(async () => (seen.length >= 3 ? true : undefined));
    await informer.stop();
    expect(seen).toEqual(['add:inf-1', 'update:inf-1', 'delete:inf-1']);
  });

  it('a stock informer survives a dropped watch plus 410 by relisting, and keeps seeing changes', async () => {
    let lists = 0;
    const informer = k8s.makeInformer(
      h.kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => {
        lists++;
        return h.core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'grp=res' });
      },
      'grp=res',
    );
    const seen: string[] = [];
    const errors: unknown[] = [];
    let connects = 0;
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('error', (err) => errors.push(err));
    informer.on('connect', () => connects++);
    await informer.start();
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'res-1', labels: { grp: 'res' } } },
    });
    await waitFor(async () => (seen.includes('add:res-1') ? true : undefined));
    // Other kinds move the global version on; compaction then puts the informer's version out of reach.
    await h.core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'res-bump' } } });
    h.sim.store.compact();
    h.sim.store.closeAllWatches();
    await waitFor(async () => (connects >= 2 && h.sim.store.activeWatches > 0 ? true : undefined));
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'res-2', labels: { grp: 'res' } } },
    });
    await waitFor(async () => (seen.includes('add:res-2') ? true : undefined));
    const errorsBeforeStop = [...errors];
    await informer.stop();
    expect(errorsBeforeStop).toEqual([]);
    expect(seen).toEqual(['add:res-1', 'add:res-2']);
    expect(lists).toBe(2);
  });
});
