import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, NS, record, type SimHarness, startHarness, statusOf, waitFor } from './helpers.ts';

describe('persistence across restart', () => {
  let first: SimHarness;
  let second: SimHarness | undefined;
  let file: string;

  beforeAll(async () => {
    first = await startHarness({ podStartDelayMs: 10 });
    file = join(first.dir, 'state', 'cluster.json');
  });
  afterAll(async () => {
    await second?.close();
    await first.close();
  });

  it('keeps objects, uids and the resourceVersion counter, and answers 410 for pre-restart versions', async () => {
    await first.sim.stop();
    const persistent = await startHarness({ podStartDelayMs: 10, persistFile: file });
    const secret = await persistent.core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'tenant-acme' }, stringData: { JWT_SECRET: 's3cret' } },
    });
    await persistent.apps.createNamespacedDeployment({ namespace: NS, body: deployment('kept', 'img:1', 2) });
    await waitFor(async () => {
      const d = await persistent.apps.readNamespacedDeployment({ name: 'kept', namespace: NS });
      return d.status?.readyReplicas === 2 ? true : undefined;
    });
    const rvBefore = persistent.sim.store.resourceVersion;
    await persistent.close();

    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.resourceVersion).toBe(rvBefore);
    expect((await readdir(join(first.dir, 'state'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    second = await startHarness({ podStartDelayMs: 10, persistFile: file });
    const again = await second.core.readNamespacedSecret({ name: 'tenant-acme', namespace: NS });
    expect(again.metadata?.uid).toBe(secret.metadata?.uid);
    expect(Buffer.from(again.data!.JWT_SECRET!, 'base64').toString()).toBe('s3cret');
    const pods = await second.core.listNamespacedPod({
      namespace: NS,
      labelSelector: 'app.kubernetes.io/name=kept',
    });
    expect(pods.items).toHaveLength(2);

    const created = await second.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'after' } },
    });
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(rvBefore);
    await statusOf(
      second.core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'tenant-acme' } } }),
      409,
    );

    const w = await record(second.kc, `/api/v1/namespaces/${NS}/secrets`, {
      resourceVersion: String(rvBefore - 1),
    });
    expect((await w.waitForCount(1))[0]).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
  });
});
