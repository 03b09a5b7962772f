import { performance } from 'node:perf_hooks';
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeConnection } from '../../../server/cluster/connect.ts';
import { WORKLOAD_SELECTOR } from '../../../server/cluster/labels.ts';
import { createWorkloadInformers } from '../../../server/cluster/workloads.ts';
import type { EventBus } from '../../../server/events/bus.ts';
import type { Logger } from '../../../server/log.ts';
import { collected, memoryGrowth, settledMemory } from '../lib/memory.ts';
import { within } from '../lib/timeout.ts';
import { POD_COUNT, POD_PATH, SYNC_RUNS } from './params.ts';

export type SyncSample = { ms: number; heap: number; rss: number };

export type SyncResults = {
  informer: SyncSample[];
  baseline: SyncSample[];
  listBytes: number;
  /** After stop(): how long until the informer's cache was collectable. */
  releaseMs: number[];
};

// Each side is measured in a function of its own so that nothing the other side parsed or cached
// is still reachable (e.g. from a slot of the caller's async frame) when memory is read.

/** One fresh production pods informer: start() → synced, and the heap its cache holds. */
async function informerSyncOnce(
  conn: KubeConnection,
  bus: EventBus,
  logger: Logger,
): Promise<SyncSample & { cacheProbe: WeakRef<V1Pod> }> {
  const workloads = createWorkloadInformers(conn, bus, logger);
  const before = await settledMemory();
  const started = performance.now();
  workloads.pods.start();
  await within(workloads.pods.synced, 30_000, 'informer sync');
  const ms = performance.now() - started;
  const growth = memoryGrowth(before, await settledMemory());
  const cached = workloads.pods.list();
  await workloads.stop();
  if (cached.length !== POD_COUNT) {
    throw new Error(`informer cached ${cached.length} pods, expected ${POD_COUNT}`);
  }
  return { ms, heap: growth.heapUsed, rss: growth.rss, cacheProbe: new WeakRef(cached[0]!) };
}

async function fetchList(listUrl: string): Promise<{ items: V1Pod[]; bytes: number }> {
  const response = await fetch(listUrl);
  if (!response.ok) throw new Error(`list answered ${response.status}`);
  const text = await response.text();
  return { items: (JSON.parse(text) as { items: V1Pod[] }).items, bytes: Buffer.byteLength(text) };
}

/** The baseline: the same list request with a bare fetch and JSON.parse, and the heap the result holds. */
async function baselineListOnce(listUrl: string): Promise<SyncSample & { bytes: number }> {
  const before = await settledMemory();
  const started = performance.now();
  // The response text dies with fetchList's frame, so only the parsed pods count.
  const { items, bytes } = await fetchList(listUrl);
  const ms = performance.now() - started;
  const growth = memoryGrowth(before, await settledMemory());
  if (items.length !== POD_COUNT) throw new Error(`list returned ${items.length} pods`);
  return { ms, heap: growth.heapUsed, rss: growth.rss, bytes };
}

/**
 * Initial sync of the production pods informer (`createWorkloadInformers().pods`, a fresh one per
 * run) beside a bare list of the same path and selector. The two run alternately, so drift in the
 * machine's state affects both alike; the first pair warms up and is not counted.
 */
export async function measureSync(options: {
  simUrl: string;
  conn: KubeConnection;
  bus: EventBus;
  logger: Logger;
}): Promise<SyncResults> {
  const { conn, bus, logger } = options;
  const listUrl = `${options.simUrl}${POD_PATH}?labelSelector=${encodeURIComponent(WORKLOAD_SELECTOR)}`;
  const results: SyncResults = { informer: [], baseline: [], listBytes: 0, releaseMs: [] };
  for (let run = 0; run <= SYNC_RUNS; run++) {
    const { cacheProbe, ...informer } = await informerSyncOnce(conn, bus, logger);
    const stoppedAt = performance.now();
    // A stopped informer's cache is freed a little later (its aborted watch stream ends
    // asynchronously); measuring before then would count that release against the baseline.
    if (!(await collected(cacheProbe))) throw new Error('a stopped informer still holds its cache after 5 s');
    results.releaseMs.push(performance.now() - stoppedAt);
    const { bytes, ...baseline } = await baselineListOnce(listUrl);
    results.listBytes = bytes;
    if (run === 0) continue;
    results.informer.push(informer);
    results.baseline.push(baseline);
  }
  return results;
}
