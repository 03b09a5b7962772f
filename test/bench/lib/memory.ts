import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type MemorySnapshot = { heapUsed: number; rss: number; external: number };

export type GcMode = 'expose-gc' | 'v8-flag' | 'none';

/**
 * A full collection, from `--expose-gc` when the process was started with it; otherwise the flag
 * is switched on at run time and `gc` taken from a fresh context, which V8 honours for contexts
 * created after the flag is set. Without either, memory figures include garbage.
 */
function findGc(): { gc: (() => void) | undefined; mode: GcMode } {
  if (typeof globalThis.gc === 'function') return { gc: globalThis.gc, mode: 'expose-gc' };
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, mode: 'v8-flag' };
  } catch {
    // Some embedders forbid flag changes; memory is then measured without a collection.
  }
  return { gc: undefined, mode: 'none' };
}

const found = findGc();

/** How collections are forced in this process, for the report. */
export const gcMode: GcMode = found.mode;

/**
 * Heap and RSS after a full collection. Two passes with a turn of the event loop between them let
 * objects released by finished callbacks and weak references go too.
 */
export async function settledMemory(): Promise<MemorySnapshot> {
  found.gc?.();
  await nextTurn();
  found.gc?.();
  const { heapUsed, rss, external } = process.memoryUsage();
  return { heapUsed, rss, external };
}

/** `after - before`, field by field. */
export function memoryGrowth(before: MemorySnapshot, after: MemorySnapshot): MemorySnapshot {
  return {
    heapUsed: after.heapUsed - before.heapUsed,
    rss: after.rss - before.rss,
    external: after.external - before.external,
  };
}

/**
 * Waits until `ref`'s target has been collected, forcing collections, so a measurement that
 * follows does not see memory of an earlier one being freed half-way through it. Resolves with
 * whether it went within `timeoutMs`.
 */
export async function collected(ref: WeakRef<object>, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await settledMemory();
    if (ref.deref() === undefined) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type GcPauses = { count: number; totalMs: number; maxMs: number };

/**
 * Records garbage-collection pauses from now until `stop()`, to tell a latency tail caused by a
 * collection from one caused by the code under test.
 */
export function recordGcPauses(): { stop(): GcPauses } {
  const pauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0 };
  const add = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) {
      pauses.count += 1;
      pauses.totalMs += entry.duration;
      pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      add(observer.takeRecords());
      observer.disconnect();
      return pauses;
    },
  };
}
