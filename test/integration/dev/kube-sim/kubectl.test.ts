import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, type SimHarness, startHarness, waitFor } from './helpers.ts';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

describe('kubectl against the simulator', () => {
  let h: SimHarness;
  let kubectl: (...args: string[]) => Promise<string>;

  beforeAll(async () => {
    h = await startHarness({ podStartDelayMs: 10 });
    kubectl = async (...args) => {
      const { stdout } = await run(KUBECTL, ['--cache-dir', join(h.dir, 'cache'), ...args], {
        env: { ...process.env, KUBECONFIG: h.kubeconfigPath },
      });
      return stdout;
    };
  });
  afterAll(async () => {
    await h.close();
  });

  it.skipIf(!existsSync(KUBECTL))(
    'create -f, get -o json, apply -f, scale, patch --type merge, delete',
    async () => {
      const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kc-web
  labels: {app.kubernetes.io/name: kc-web}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: kc-web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: kc-web}}
    spec:
      containers:
      - name: web
        image: ${image}
      - name: sidecar
        image: side:1
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kc-config}
data: {a: "1"}
`;
      const file = join(h.dir, 'manifest.yaml');
      await writeFile(file, manifest('web:1'));
      expect(await kubectl('create', '-f', file)).toContain('deployment.apps/kc-web created');

      const got = JSON.parse(await kubectl('get', 'deployment', 'kc-web', '-o', 'json'));
      expect(got.metadata.namespace).toBe(NS);
      expect(got.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
        'web:1',
        'side:1',
      ]);

      await writeFile(file, manifest('web:2'));
      expect(await kubectl('apply', '-f', file)).toContain('deployment.apps/kc-web configured');
      const applied = await h.apps.readNamespacedDeployment({ name: 'kc-web', namespace: NS });
      expect(applied.spec?.template.spec?.containers.map((c) => c.image)).toEqual(['web:2', 'side:1']);

      expect(await kubectl('scale', 'deployment/kc-web', '--replicas=3')).toContain('scaled');
      await waitFor(async () => {
        const pods = await h.core.listNamespacedPod({
          namespace: NS,
          labelSelector: 'app.kubernetes.io/name=kc-web',
        });
        return pods.items.length === 3 ? true : undefined;
      });

      await kubectl('patch', 'configmap', 'kc-config', '--type', 'merge', '-p', '{"data":{"b":"2"}}');
      const cm = JSON.parse(await kubectl('get', 'cm', 'kc-config', '-o', 'json'));
      expect(cm.data).toEqual({ a: '1', b: '2' });

      const pods = JSON.parse(
        await kubectl('get', 'pods', '-l', 'app.kubernetes.io/name=kc-web', '-o', 'json'),
      );
      expect(pods.items).toHaveLength(3);

      expect(await kubectl('delete', '-f', file)).toContain('deleted');
      await waitFor(async () => {
        const left = await h.core.listNamespacedPod({
          namespace: NS,
          labelSelector: 'app.kubernetes.io/name=kc-web',
        });
        return left.items.length === 0 ? true : undefined;
      });
      await expect(kubectl('get', 'cm', 'kc-config')).rejects.toThrow(/NotFound|not found/);
    },
  );
});
