import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { type KubeSim, startKubeSim } from '../../server/dev/kube-sim/index.ts';

export type TestCluster = { sim: KubeSim; kubeConfig: KubeConfig; namespace: string; stop(): Promise<void> };

/** Starts a cluster simulator on a free port and loads a kubeconfig for it, as the server does. */
export async function startTestCluster(
  options: {
    podStartDelayMs?: number;
    watchHistory?: number;
    unpullableTags?: string[];
    /** Run Job pods' containers as processes, their commands found on `path` (see kube-sim/executor.ts). */
    runJobs?: { path: string };
  } = {},
): Promise<TestCluster> {
  const sim = await startKubeSim({
    podStartDelayMs: options.podStartDelayMs ?? 10,
    watchHistory: options.watchHistory,
    unpullableTags: options.unpullableTags,
    ...(options.runJobs ? { runJobs: options.runJobs } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'cp-kube-'));
  const path = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(path);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return {
    sim,
    kubeConfig,
    namespace: 'justiam-mt',
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
