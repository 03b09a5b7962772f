import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { useCrashHarness } from '../../../support/crash-harness.ts';
import { eventually } from '../../../support/kube.ts';
import { operatorToken } from '../../../support/server.ts';
import { uniqueSlug } from '../../../support/tenants.ts';
import { lines, NS } from './crash-workload.ts';

/**
 * Issue #26 as it happened: the control plane runs the cluster simulator in its own process with
 * persistence on, six tenants are created at once, and the process is killed with SIGKILL. Here
 * the kill comes the moment a watcher has seen all six tenant Secrets, which is as late as a
 * write can be held back: the simulator once answered and announced them ~100 ms before saving.
 */
describe('control plane killed right after six concurrent tenant creates', () => {
  const slugs = Array.from({ length: 6 }, (_, i) => uniqueSlug(`six${i}`));
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-six-',
    // The cluster simulator runs inside the control plane here, as in issue #26.
    outside: 'none',
    slugs,
    env: {
      NODE_ENV: 'development',
      KUBE_MODE: 'simulator',
      KUBE_SIM_PERSIST: 'true',
      KUBE_SIM_POD_DELAY_MS: '20',
      // The killed leader's lease is in the persisted cluster: let it lapse quickly.
      LEADER_LEASE_SECONDS: '2',
    },
  });

  /** The simulator this server started, as its kubeconfig in DATA_DIR says. */
  function simulatorUrl(): string {
    const kc = new KubeConfig();
    kc.loadFromFile(join(harness.dataDir, 'kubeconfig'));
    return kc.getCurrentCluster()!.server;
  }

  it('keeps all six Secrets with their values, and the tenants become active', async () => {
    const doomed = await harness.start();
    const token = await operatorToken(harness.database.url, 'admin@test.local', 'admin');
    const call = (url: string, method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const names = new Set(slugs.map((s) => `tenant-${s}`));
    const seen = new Map<string, Record<string, string>>();
    const watch = await fetch(`${simulatorUrl()}/api/v1/namespaces/${NS}/secrets?watch=true`);
    const allSeen = (async () => {
      for await (const line of lines(watch)) {
        const { type, object } = JSON.parse(line) as {
          type: string;
          object: { metadata: { name: string }; data: Record<string, string> };
        };
        if (type === 'ADDED' && names.has(object.metadata.name)) seen.set(object.metadata.name, object.data);
        if (seen.size === names.size) return true;
      }
      return false;
    })();
    const creates = slugs.map((slug) =>
      call(doomed.url, 'POST', '/tenants', { slug, name: slug }).catch(() => undefined),
    );
    expect(await allSeen).toBe(true);
    expect((await harness.kill(doomed)).signal).toBe('SIGKILL');
    await Promise.all(creates);

    const recovered = await harness.start();
    try {
      const url = simulatorUrl();
      for (const name of names) {
        const res = await fetch(`${url}/api/v1/namespaces/${NS}/secrets/${name}`);
        expect(res.status, `${name} after the restart`).toBe(200);
        expect(((await res.json()) as { data: Record<string, string> }).data).toEqual(seen.get(name));
      }
      await eventually(
        async () => {
          const states = await Promise.all(
            slugs.map(async (slug) => {
              const res = await call(recovered.url, 'GET', `/tenants/${slug}`);
              return res.ok ? ((await res.json()) as { state: string }).state : String(res.status);
            }),
          );
          return states.every((s) => s.toUpperCase() === 'ACTIVE');
        },
        30_000,
        'all six tenants active',
      );
    } finally {
      await harness.stop(recovered);
    }
  }, 90_000);
});
