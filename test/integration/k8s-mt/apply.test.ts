import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../../../server/dev/kube-sim/index.ts';
import { K8S_DIR, loadManifests, manifestFiles, ROOT } from '../../support/k8s-mt.ts';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const PLURAL: Record<string, string> = {
  ServiceAccount: 'serviceaccounts',
  Role: 'roles.rbac.authorization.k8s.io',
  RoleBinding: 'rolebindings.rbac.authorization.k8s.io',
  ConfigMap: 'configmaps',
  Deployment: 'deployments.apps',
  Service: 'services',
  PodDisruptionBudget: 'poddisruptionbudgets.policy',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
  Ingress: 'ingresses.networking.k8s.io',
};

/** Deep "has at least": what the manifest says is there, with the values it gives. */
function missingFrom(have: unknown, want: unknown, path = ''): string[] {
  if (want === null || typeof want !== 'object')
    return have === want ? [] : [`${path}: ${JSON.stringify(have)}`];
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return [`${path}: ${JSON.stringify(have)}`];
    return want.flatMap((w, i) => missingFrom(have[i], w, `${path}[${i}]`));
  }
  if (have === null || typeof have !== 'object') return [`${path}: ${JSON.stringify(have)}`];
  return Object.entries(want).flatMap(([k, v]) =>
    missingFrom((have as Record<string, unknown>)[k], v, `${path}.${k}`),
  );
}

/**
 * kubectl applies every manifest of k8s-mt/ to the cluster simulator, file by file and through the
 * kustomization, and each object reads back as written.
 */
describe.skipIf(!existsSync(KUBECTL))('kubectl apply of k8s-mt/', () => {
  let sim: KubeSim;
  let dir: string;
  let kubectl: (...args: string[]) => Promise<string>;

  beforeAll(async () => {
    sim = await startKubeSim({ podStartDelayMs: 10 });
    dir = await mkdtemp(join(tmpdir(), 'cp-apply-'));
    await sim.writeKubeconfig(join(dir, 'kubeconfig'));
    kubectl = async (...args) =>
      (
        await run(KUBECTL, ['--cache-dir', join(dir, 'cache'), ...args], {
          env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') },
        })
      ).stdout;
  });
  afterAll(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('apply -f of each file creates every object, which reads back as written', async () => {
    const files = manifestFiles();
    const out = await kubectl('apply', '--server-side=false', ...files.flatMap((f) => ['-f', f]));
    const objects = loadManifests();
    for (const o of objects) {
      expect(out).toMatch(new RegExp(`${o.kind!.toLowerCase()}[.\\w]*/${o.metadata!.name} created`));
    }
    for (const o of objects) {
      const got = JSON.parse(
        await kubectl('get', '-n', 'justiam-mt', PLURAL[o.kind!]!, o.metadata!.name!, '-o', 'json'),
      );
      const { file: _file, body } = o;
      expect(missingFrom(got, body), `${o.kind} ${o.metadata!.name} (${relative(ROOT, o.file)})`).toEqual([]);
    }
  });

  it('apply -k of the kustomization changes nothing of what -f made; the Deployments get their pods', async () => {
    const versions = async () =>
      Object.fromEntries(
        await Promise.all(
          loadManifests().map(async (o) => {
            const got = JSON.parse(
              await kubectl('get', '-n', 'justiam-mt', PLURAL[o.kind!]!, o.metadata!.name!, '-o', 'json'),
            );
            return [`${o.kind}/${o.metadata!.name}`, got.metadata.resourceVersion as string];
          }),
        ),
      );
    const before = await versions();
    const out = await kubectl('apply', '--server-side=false', '-k', K8S_DIR);
    // kubectl says "configured" for a PodDisruptionBudget whatever it sends (its selector is
    // patched with a replace directive); the resourceVersions tell whether anything changed.
    expect(out, out).not.toMatch(/created/);
    expect(out.trim().split('\n')).toHaveLength(Object.keys(before).length);
    expect(await versions()).toEqual(before);
    const pods = JSON.parse(
      await kubectl(
        'get',
        'pods',
        '-n',
        'justiam-mt',
        '-l',
        'app.kubernetes.io/name=justiam-control-plane',
        '-o',
        'json',
      ),
    ) as { items: { metadata: { labels: Record<string, string> } }[] };
    const components = pods.items.map((p) => p.metadata.labels['app.kubernetes.io/component']).sort();
    expect(components).toEqual(['backend', 'backend', 'frontend', 'frontend']);
  });
});
