import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInformer, type Informer } from '../../../../server/cluster/informer.ts';
import { APP_NAME } from '../../../../server/cluster/labels.ts';
import type { Change } from '../../../../server/cluster/reducer.ts';
import { createLogger } from '../../../../server/log.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../support/kube.ts';

const SELECTOR = `${APP_NAME}=justiam-backend`;

describe('informer', () => {
  let cluster: TestCluster;
  let core: CoreV1Api;
  let informer: Informer<V1Pod> | undefined;
  const changes: Change<V1Pod>[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ watchHistory: 50 });
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    await informer?.stop();
    changes.length = 0;
  });
  afterAll(() => cluster?.stop());

  const pod = (name: string, app = 'justiam-backend'): V1Pod => ({
    metadata: { name, labels: { [APP_NAME]: app } },
    spec: { containers: [{ name: 'backend', image: 'justiam/backend:1.0.0' }] },
  });
  const create = (name: string, app?: string) =>
    core.createNamespacedPod({ namespace: cluster.namespace, body: pod(name, app) });
  const remove = (name: string) => core.deleteNamespacedPod({ name, namespace: cluster.namespace });
  const names = () =>
    informer!
      .list()
      .map((p) => p.metadata!.name!)
      .sort();

  function start() {
    informer = createInformer<V1Pod>({
      resource: 'pods',
      kubeConfig: cluster.kubeConfig,
      path: `/api/v1/namespaces/${cluster.namespace}/pods`,
      labelSelector: SELECTOR,
      list: async () => {
        const list = await core.listNamespacedPod({ namespace: cluster.namespace, labelSelector: SELECTOR });
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
      },
      onChanges: (c) => changes.push(...c),
      logger: createLogger({ level: 'silent' }),
      backoff: { minMs: 20, maxMs: 200 },
    });
    informer.start();
    return informer;
  }

  it('lists, then follows the watch, keeping only pods that match the selector', async () => {
    await create('b-1');
    await create('other-1', 'justiam-agent');
    await start().synced;
    expect(names()).toEqual(['b-1']);
    await create('b-2');
    await remove('b-1');
    await eventually(() => names().join() === 'b-2', 3000, 'b-2 only');
    expect(changes.map((c) => `${c.type} ${c.object.metadata?.name}`)).toEqual(
      expect.arrayContaining(['ADDED b-2', 'DELETED b-1']),
    );
    expect(informer!.status()).toMatchObject({
      resource: 'pods',
      state: 'watching',
      synced: true,
      objects: 1,
    });
    await remove('b-2');
  });

  it('resumes after the server drops the watch and ends with the right state, reporting what it missed', async () => {
    await create('c-1');
    await start().synced;
    await eventually(() => names().includes('c-1'), 3000, 'c-1');
    await eventually(() => cluster.sim.store.activeWatches > 0, 3000, 'the watch to be open');
    const relists = informer!.status().relists;
    // Drop every watch, then change things while the informer is away.
    cluster.sim.store.closeAllWatches();
    await remove('c-1');
    await create('c-2');
    await eventually(() => names().join() === 'c-2', 5000, 'c-2 only');
    // Resumed from its resourceVersion: the history still had the events, so no re-list was needed.
    expect(informer!.status().relists).toBe(relists);
    expect(changes.some((c) => c.type === 'DELETED' && c.object.metadata?.name === 'c-1')).toBe(true);
    await remove('c-2');
  });

  it('re-lists after 410 Gone on a too-old resourceVersion', async () => {
    await create('d-1');
    await start().synced;
    await eventually(() => cluster.sim.store.activeWatches > 0, 3000, 'the watch to be open');
    const relists = informer!.status().relists;
    // Compact history past the informer's resourceVersion, then break its watch: resuming gets 410.
    for (let i = 0; i < 60; i++) await create(`noise-${i}`, 'justiam-agent');
    cluster.sim.store.compact();
    cluster.sim.store.closeAllWatches();
    await create('d-2');
    await eventually(() => names().join() === 'd-1,d-2', 5000, 'd-1 and d-2');
    expect(informer!.status().relists).toBeGreaterThan(relists);
    expect(informer!.status().lastError).toMatch(/too old|expired|gone/i);
  });
});
