import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, NS, patchAs, record, type SimHarness, startHarness, waitFor } from './helpers.ts';

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness({ podStartDelayMs: 30 });
});
afterAll(async () => {
  await h.close();
});

const podsOf = async (name: string) =>
  (await h.core.listNamespacedPod({ namespace: NS, labelSelector: `app.kubernetes.io/name=${name}` })).items;
const isReady = (p: k8s.V1Pod) =>
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function readyPods(name: string, count: number, image?: string): Promise<k8s.V1Pod[]> {
  return waitFor(async () => {
    const pods = await podsOf(name);
    const ok =
      pods.length === count &&
      pods.every(isReady) &&
      (image === undefined || pods.every((p) => p.spec?.containers[0]?.image === image));
    return ok ? pods : undefined;
  });
}

describe('Deployments become pods (KWOK-like lifecycle)', () => {
  it('creates spec.replicas pods that go Pending → Running → Ready, with names, labels and owner', async () => {
    const w = await record(h.kc, `/api/v1/namespaces/${NS}/pods`, {
      labelSelector: 'app.kubernetes.io/name=life',
      resourceVersion: String(h.sim.store.resourceVersion),
    });
    const d = await h.apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('life', 'img:1', 2),
    });
    const pods = await readyPods('life', 2);
    w.abort();
    for (const p of pods) {
      const hash = p.metadata?.labels?.['pod-template-hash'];
      expect(hash).toBeTruthy();
      expect(p.metadata?.name).toMatch(new RegExp(`^life-${hash}-[a-z0-9]{5}$`));
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Deployment',
        name: 'life',
        uid: d.metadata?.uid,
        controller: true,
      });
      expect(p.spec?.containers[0]?.image).toBe('img:1');
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: true, image: 'img:1' });
      expect(p.status?.podIP).toMatch(/^10\.244\./);
    }
    const firstPod = pods[0]!.metadata!.name!;
    const phases = w.events
      .filter((e) => e.object.metadata.name === firstPod)
      .map((e) => `${e.type}:${e.object.status.phase}:${isReady(e.object)}`);
    expect(phases).toEqual(['ADDED:Pending:false', 'MODIFIED:Running:false', 'MODIFIED:Running:true']);

    const status = await waitFor(async () => {
      const s = (await h.apps.readNamespacedDeployment({ name: 'life', namespace: NS })).status;
      return s?.readyReplicas === 2 ? s : undefined;
    });
    expect(status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      observedGeneration: 1,
    });
    expect(status.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('scales up and down through spec.replicas', async () => {
    const mp = patchAs(k8s.PatchStrategy.MergePatch);
    await h.apps.patchNamespacedDeployment(
      { name: 'life', namespace: NS, body: { spec: { replicas: 4 } } },
      mp,
    );
    await readyPods('life', 4);
    await h.apps.patchNamespacedDeploymentScale(
      { name: 'life', namespace: NS, body: { spec: { replicas: 1 } } },
      mp,
    );
    await readyPods('life', 1);
    const d = await waitFor(async () => {
      const r = await h.apps.readNamespacedDeployment({ name: 'life', namespace: NS });
      return r.status?.replicas === 1 && r.status.readyReplicas === 1 ? r : undefined;
    });
    expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
  });

  it('rolls the pods to a new template hash when the image changes', async () => {
    const before = await readyPods('life', 1);
    const oldHash = before[0]!.metadata?.labels?.['pod-template-hash'];
    await h.apps.patchNamespacedDeployment(
      {
        name: 'life',
        namespace: NS,
        body: { spec: { template: { spec: { containers: [{ name: 'main', image: 'img:2' }] } } } },
      },
      patchAs(k8s.PatchStrategy.StrategicMergePatch),
    );
    const after = await readyPods('life', 1, 'img:2');
    expect(after[0]!.metadata?.labels?.['pod-template-hash']).not.toBe(oldHash);
    expect(after[0]!.metadata?.name).not.toBe(before[0]!.metadata?.name);
  });

  it('recreates a pod that is deleted by hand', async () => {
    const [pod] = await readyPods('life', 1);
    await h.core.deleteNamespacedPod({ name: pod!.metadata!.name!, namespace: NS });
    const [replacement] = await readyPods('life', 1);
    expect(replacement!.metadata?.name).not.toBe(pod!.metadata?.name);
  });

  it('deletes its pods when the Deployment is deleted', async () => {
    await h.apps.deleteNamespacedDeployment({ name: 'life', namespace: NS });
    await waitFor(async () => ((await podsOf('life')).length === 0 ? true : undefined));
  });
});

describe('Jobs', () => {
  it('runs one pod to Succeeded and marks the Job complete', async () => {
    const job = await h.batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: { name: 'migrate' },
        spec: {
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'migrate' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'tool:1' }] },
          },
        },
      },
    });
    const done = await waitFor(async () => {
      const j = await h.batch.readNamespacedJob({ name: 'migrate', namespace: NS });
      return j.status?.succeeded === 1 ? j : undefined;
    });
    expect(done.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
    expect(done.status?.completionTime).toBeInstanceOf(Date);
    expect(done.status?.active).toBeUndefined();
    const pods = await podsOf('migrate');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.status?.phase).toBe('Succeeded');
    expect(pods[0]!.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(pods[0]!.metadata?.labels?.['job-name']).toBe('migrate');
    expect(pods[0]!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Job', uid: job.metadata?.uid });
    // A second Job run to completion as a marker: the controller has made its passes since, and
    // made no second pod for the finished one.
    await h.batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: { name: 'marker' },
        spec: {
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'marker' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'tool:1' }] },
          },
        },
      },
    });
    await waitFor(async () => {
      const j = await h.batch.readNamespacedJob({ name: 'marker', namespace: NS });
      return j.status?.succeeded === 1 ? j : undefined;
    });
    expect(await podsOf('migrate')).toHaveLength(1);
  });
});
