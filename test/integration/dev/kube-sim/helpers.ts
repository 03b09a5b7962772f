import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { expect } from 'vitest';
import { type KubeSim, type KubeSimOptions, startKubeSim } from '../../../../server/dev/kube-sim/index.ts';

export const NS = 'justiam-mt';

/** A running simulator with stock clients configured from the kubeconfig it writes. */
export interface SimHarness {
  sim: KubeSim;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  coordination: k8s.CoordinationV1Api;
  dir: string;
  kubeconfigPath: string;
  close(): Promise<void>;
}

/** Starts a simulator on a free port and loads its kubeconfig the way an application would. */
export async function startHarness(options: KubeSimOptions = {}): Promise<SimHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-test-'));
  const sim = await startKubeSim({ port: 0, podStartDelayMs: 20, ...options });
  const kubeconfigPath = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfigPath);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    sim,
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    dir,
    kubeconfigPath,
    async close() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The `Status` body of a failed client call, after checking the HTTP code. */
export async function statusOf(call: Promise<unknown>, code: number): Promise<Record<string, any>> {
  const err = await call.then(
    () => {
      throw new Error(`expected HTTP ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(k8s.ApiException);
  const apiErr = err as k8s.ApiException<string>;
  expect(apiErr.code).toBe(code);
  const body = typeof apiErr.body === 'string' ? JSON.parse(apiErr.body) : apiErr.body;
  expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
  return body as Record<string, any>;
}

/** Polls until `check` returns a value (not undefined) or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** Options that make a client-node patch call send the given patch media type. */
export function patchAs(type: k8s.PatchStrategy) {
  return k8s.setHeaderOptions('Content-Type', type);
}

export interface WatchEvent {
  type: string;
  object: any;
}

/** A watch through the stock `k8s.Watch`, collecting events until closed. */
export interface Recorder {
  events: WatchEvent[];
  done: Promise<unknown>;
  abort(): void;
  /** Waits until `n` events arrived. */
  waitForCount(n: number, timeoutMs?: number): Promise<WatchEvent[]>;
}

/** Starts a stock client watch on `path` and records everything it delivers. */
export async function record(
  kc: k8s.KubeConfig,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): Promise<Recorder> {
  const events: WatchEvent[] = [];
  let resolveDone!: (v: unknown) => void;
  const done = new Promise<unknown>((r) => {
    resolveDone = r;
  });
  const controller = await new k8s.Watch(kc).watch(
    path,
    query,
    (type, object) => events.push({ type, object }),
    (err) => resolveDone(err ?? 'closed'),
  );
  return {
    events,
    done,
    abort: () => controller.abort(),
    waitForCount: (n, timeoutMs = 5000) =>
      waitFor(async () => (events.length >= n ? events.slice() : undefined), timeoutMs),
  };
}

/** A minimal valid Deployment. */
export function deployment(name: string, image: string, replicas: number): k8s.V1Deployment {
  return {
    metadata: { name, labels: { 'app.kubernetes.io/name': name } },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: { containers: [{ name: 'main', image }] },
      },
    },
  };
}
