import { type KubeConfig, type KubernetesObject, Watch } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import { applyRelist, applyWatchEvent, type Cache, type Change, type ChangeType } from './reducer.ts';

export type InformerState = 'stopped' | 'listing' | 'watching' | 'backoff';

export type InformerStatus = {
  resource: string;
  state: InformerState;
  /** True once a list has completed; stays true across re-lists. */
  synced: boolean;
  objects: number;
  relists: number;
  lastSyncAt: Date | null;
  lastError: string | null;
};

export type InformerOptions<T extends KubernetesObject> = {
  /** Resource name for logs and status, e.g. `pods`. */
  resource: string;
  kubeConfig: KubeConfig;
  /** The watch path, e.g. `/api/v1/namespaces/justiam-mt/pods`. */
  path: string;
  labelSelector: string;
  list: () => Promise<{ items: T[]; resourceVersion: string | undefined }>;
  /** Called for every change, after the cache has it. Relists report their diff in one call. */
  onChanges: (changes: Change<T>[], cause: 'list' | 'watch') => void;
  logger: Logger;
  /** Backoff between attempts after a failure: min, max (ms). */
  backoff?: { minMs: number; maxMs: number };
};

export type Informer<T> = {
  start(): void;
  stop(): Promise<void>;
  status(): InformerStatus;
  /** The cached objects. */
  list(): T[];
  /** Resolves when the first list has completed. */
  synced: Promise<void>;
};

/**
 * List, then watch from the list's resourceVersion; on 410 Gone, a dropped watch or any error,
 * back off and list again, reporting what changed meanwhile. One informer per resource serves
 * every subscriber; it never dies silently: its state and last error are in `status()`.
 */
export function createInformer<T extends KubernetesObject>(options: InformerOptions<T>): Informer<T> {
  const { logger, resource } = options;
  const backoff = options.backoff ?? { minMs: 200, maxMs: 10_000 };
  const cache: Cache<T> = new Map();
  const watch = new Watch(options.kubeConfig);
  let running = false;
  let state: InformerState = 'stopped';
  let relists = 0;
  let lastSyncAt: Date | null = null;
  let lastError: string | null = null;
  let abort: AbortController | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => {
    markSynced = resolve;
  });

  type WatchEnd = { why: 'gone' | 'closed' | 'error'; resourceVersion: string | undefined };

  /** Watches until the stream ends; resolves with why, and the last resourceVersion seen. */
  function watchFrom(resourceVersion: string | undefined): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (why: WatchEnd['why'], error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error) lastError = error instanceof Error ? error.message : String(error);
        abort?.abort();
        resolve({ why, resourceVersion: rv });
      };
      let rv = resourceVersion;
      watch
        .watch(
          options.path,
          { labelSelector: options.labelSelector, resourceVersion: rv, allowWatchBookmarks: true },
          (type: string, object: T & { code?: number; message?: string }) => {
            if (type === 'BOOKMARK') {
              rv = object.metadata?.resourceVersion ?? rv;
              return;
            }
            if (type === 'ERROR') {
              finish(object.code === 410 ? 'gone' : 'error', object.message ?? `watch error ${object.code}`);
              return;
            }
            const change = applyWatchEvent(cache, type as ChangeType, object);
            rv = object.metadata?.resourceVersion ?? rv;
            if (change) options.onChanges([change], 'watch');
          },
          (error: unknown) => {
            const status = (error as { statusCode?: number; code?: number } | null)?.statusCode;
            if (status === 410) finish('gone', error);
            else finish(error ? 'error' : 'closed', error);
          },
        )
        .then(
          (controller) => {
            abort = controller;
            if (!running) controller.abort();
          },
          (error: unknown) => finish('error', error),
        );
    });
  }

  async function run() {
    let delay = backoff.minMs;
    while (running) {
      try {
        state = 'listing';
        const { items, resourceVersion } = await options.list();
        if (!running) break;
        const changes = applyRelist(cache, items);
        if (relists > 0 || changes.length > 0) options.onChanges(changes, 'list');
        relists += 1;
        lastSyncAt = new Date();
        markSynced();
        state = 'watching';
        delay = backoff.minMs;
        // A watch the server closed cleanly resumes from where it stopped, as client-go does;
        // only 410 Gone (history compacted past us) or a failure costs a full re-list.
        let started = Date.now();
        let end = await watchFrom(resourceVersion);
        while (running && end.why === 'closed') {
          // A server that keeps closing at once must not be hammered.
          if (Date.now() - started < 1000) await sleep(delay, (w) => (wake = w));
          delay = Date.now() - started < 1000 ? Math.min(backoff.maxMs, delay * 2) : backoff.minMs;
          started = Date.now();
          end = await watchFrom(end.resourceVersion);
        }
        if (!running) break;
        logger.info({ resource, why: end.why }, 'watch ended; listing again');
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        logger.warn({ resource, err: error, retryInMs: delay }, 'informer list failed');
      }
      if (!running) break;
      state = 'backoff';
      await sleep(delay, (w) => (wake = w));
      delay = Math.min(backoff.maxMs, delay * 2);
    }
    state = 'stopped';
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      abort?.abort();
      wake?.();
      await loop;
    },
    status: () => ({
      resource,
      state,
      synced: lastSyncAt !== null,
      objects: cache.size,
      relists,
      lastSyncAt,
      lastError,
    }),
    list: () => [...cache.values()],
    synced,
  };
}

/** Waits `ms`, handing out a function that ends the wait early (used by stop()). */
function sleep(ms: number, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
