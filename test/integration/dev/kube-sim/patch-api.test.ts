import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, patchAs, type SimHarness, startHarness, statusOf } from './helpers.ts';

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function twoContainerDeployment(name: string): Promise<k8s.V1Deployment> {
  return h.apps.createNamespacedDeployment({
    namespace: NS,
    body: {
      metadata: { name },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
              { name: 'sidecar', image: 'side:1' },
            ],
          },
        },
      },
    },
  });
}

describe('PATCH media types', () => {
  it('merge patch replaces the containers list, so unnamed containers disappear', async () => {
    await twoContainerDeployment('mp');
    const out = await h.apps.patchNamespacedDeployment(
      {
        name: 'mp',
        namespace: NS,
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } },
      },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(out.spec?.template.spec?.containers.map((c) => [c.name, c.image])).toEqual([['app', 'app:2']]);
  });

  it('strategic merge patch merges containers by name and keeps the sidecar and env', async () => {
    await twoContainerDeployment('smp');
    const out = await h.apps.patchNamespacedDeployment(
      {
        name: 'smp',
        namespace: NS,
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } },
      },
      patchAs(k8s.PatchStrategy.StrategicMergePatch),
    );
    const containers = out.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => [c.name, c.image])).toEqual([
      ['app', 'app:2'],
      ['sidecar', 'side:1'],
    ]);
    expect(containers[0]?.env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('JSON patch edits by path, and a failed test op changes nothing (422)', async () => {
    const before = await twoContainerDeployment('jp');
    const out = await h.apps.patchNamespacedDeployment(
      {
        name: 'jp',
        namespace: NS,
        body: [
          { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'side:2' },
          { op: 'add', path: '/metadata/labels', value: { patched: 'yes' } },
        ],
      },
      patchAs(k8s.PatchStrategy.JsonPatch),
    );
    expect(out.spec?.template.spec?.containers[1]?.image).toBe('side:2');
    expect(out.metadata?.labels).toEqual({ patched: 'yes' });
    expect(out.metadata?.generation).toBe((before.metadata?.generation ?? 0) + 1);
    const body = await statusOf(
      h.apps.patchNamespacedDeployment(
        {
          name: 'jp',
          namespace: NS,
          body: [
            { op: 'replace', path: '/metadata/labels/patched', value: 'no' },
            { op: 'test', path: '/spec/replicas', value: 99 },
          ],
        },
        patchAs(k8s.PatchStrategy.JsonPatch),
      ),
      422,
    );
    expect(body.reason).toBe('Invalid');
    expect((await h.apps.readNamespacedDeployment({ name: 'jp', namespace: NS })).metadata?.labels).toEqual({
      patched: 'yes',
    });
  });

  it('a patch that carries a stale resourceVersion is a 409 Conflict', async () => {
    const cm = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'patch-occ' }, data: { a: '1' } },
    });
    await h.core.patchNamespacedConfigMap(
      { name: 'patch-occ', namespace: NS, body: { data: { a: '2' } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    await statusOf(
      h.core.patchNamespacedConfigMap(
        {
          name: 'patch-occ',
          namespace: NS,
          body: { metadata: { resourceVersion: cm.metadata?.resourceVersion }, data: { a: '3' } },
        },
        patchAs(k8s.PatchStrategy.MergePatch),
      ),
      409,
    );
  });

  it('merge patch updates one ConfigMap key without touching the others', async () => {
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'registry' }, data: { 'a.json': '{}', 'b.json': '{}' } },
    });
    const out = await h.core.patchNamespacedConfigMap(
      { name: 'registry', namespace: NS, body: { data: { 'b.json': '{"x":1}', 'a.json': null } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(out.data).toEqual({ 'b.json': '{"x":1}' });
  });

  it('status is ignored on the main resource and written only through /status', async () => {
    await twoContainerDeployment('st');
    const ignored = await h.apps.patchNamespacedDeployment(
      { name: 'st', namespace: NS, body: { status: { replicas: 42 } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(ignored.status?.replicas).not.toBe(42);
    const written = await h.apps.patchNamespacedDeploymentStatus(
      { name: 'st', namespace: NS, body: { status: { observedGeneration: 7 } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(written.status?.observedGeneration).toBe(7);
  });

  it('server-side apply is answered 415, not silently treated as another patch', async () => {
    await statusOf(
      h.core.patchNamespacedConfigMap(
        { name: 'registry', namespace: NS, body: { data: {} }, fieldManager: 'test' },
        patchAs(k8s.PatchStrategy.ServerSideApply),
      ),
      415,
    );
  });
});

describe('the scale subresource', () => {
  it('reads and writes spec.replicas through autoscaling/v1 Scale', async () => {
    await twoContainerDeployment('scaled');
    const scale = await h.apps.readNamespacedDeploymentScale({ name: 'scaled', namespace: NS });
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 0 } });
    expect(scale.status?.selector).toBe('app=scaled');

    const put = await h.apps.replaceNamespacedDeploymentScale({
      name: 'scaled',
      namespace: NS,
      body: { metadata: { name: 'scaled' }, spec: { replicas: 2 } },
    });
    expect(put.spec?.replicas).toBe(2);
    const patched = await h.apps.patchNamespacedDeploymentScale(
      { name: 'scaled', namespace: NS, body: { spec: { replicas: 0 } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(patched.spec?.replicas).toBe(0);
    const d = await h.apps.readNamespacedDeployment({ name: 'scaled', namespace: NS });
    expect(d.spec?.replicas).toBe(0);
    expect(d.metadata?.generation).toBe(3);
  });

  it('refuses a stale resourceVersion and a negative replica count', async () => {
    const scale = await h.apps.readNamespacedDeploymentScale({ name: 'scaled', namespace: NS });
    await h.apps.replaceNamespacedDeploymentScale({
      name: 'scaled',
      namespace: NS,
      body: { ...scale, spec: { replicas: 1 } },
    });
    await statusOf(
      h.apps.replaceNamespacedDeploymentScale({
        name: 'scaled',
        namespace: NS,
        body: { ...scale, spec: { replicas: 2 } },
      }),
      409,
    );
    await statusOf(
      h.apps.replaceNamespacedDeploymentScale({
        name: 'scaled',
        namespace: NS,
        body: { metadata: { name: 'scaled' }, spec: { replicas: -1 } },
      }),
      422,
    );
  });
});

describe('no-op writes', () => {
  it('a patch that changes nothing keeps the resourceVersion, as on a real server', async () => {
    const cm = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'noop' }, data: { a: '1' } },
    });
    const same = await h.core.patchNamespacedConfigMap(
      { name: 'noop', namespace: NS, body: { data: { a: '1' } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(same.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
    const changed = await h.core.patchNamespacedConfigMap(
      { name: 'noop', namespace: NS, body: { data: { a: '2' } } },
      patchAs(k8s.PatchStrategy.MergePatch),
    );
    expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
  });
});
