import type { Logger } from 'pino';
import { listen } from '../../http/listen.ts';
import type { Journal } from './journal.ts';
import { writeKubeconfigFile } from './kubeconfig.ts';
import { Lifecycle } from './lifecycle.ts';
import { prepareCreate } from './objects.ts';
import { openPersistence } from './persistence.ts';
import { resourceByKind } from './resources.ts';
import { type ApiAccess, createApiServer } from './server.ts';

export type { ApiAccess };

import { ObjectStore } from './store.ts';

export interface KubeSimOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Time a pod spends in each lifecycle step; 0 still makes every step a separate event. Default 200. */
  podStartDelayMs?: number;
  /** Image tags the simulated registry does not have: pods using them stay in ImagePullBackOff. */
  unpullableTags?: string[];
  /**
   * Run the container of each Job pod as a process on this host (server/dev/kube-sim/executor.ts):
   * its command and args with the environment resolved from the pod spec, Secrets and ConfigMaps;
   * volumes are the host's filesystem (a mount path is a host path). The pod ends Succeeded or
   * Failed with the exit code. `path` is the PATH commands are found in (default: this process's).
   * Off by default: Job pods then succeed after the lifecycle's delays.
   */
  runJobs?: boolean | { path?: string | undefined };
  /** Watch events kept per resource for resuming watches; older versions get 410 Gone. Default 1000. */
  watchHistory?: number;
  /** How often watches with `allowWatchBookmarks=true` get a BOOKMARK. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /**
   * Keep the cluster on disk: this file is the snapshot, a journal beside it (`<name>.journal`)
   * gets every change, fsynced before the change is answered or watched. Loaded at start.
   */
  persistFile?: string;
  /** Journal size that triggers a compaction into the snapshot (at least the snapshot's size). Default 4 MiB. */
  journalCompactBytes?: number;
  /** Answer 404 when creating into a missing namespace instead of creating it. Default false. */
  strictNamespaces?: boolean;
  /** Namespaces that always exist. Default `default` and `justiam-mt`. */
  namespaces?: string[];
  logger?: Logger;
  /** Told of every resource request (verb, group, resource, …), e.g. to find the RBAC rules a client needs. */
  onAccess?: (access: ApiAccess) => void;
}

export interface KubeSimKubeconfigOptions {
  namespace?: string;
  token?: string;
}

/** A running simulator. */
export interface KubeSim {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** Direct access for tests: inspect objects, `closeAllWatches()`, `compact()`. */
  store: ObjectStore;
  /** Writes a kubeconfig pointing at this simulator that kubectl and @kubernetes/client-node load. */
  writeKubeconfig(path: string, options?: KubeSimKubeconfigOptions): Promise<void>;
  /** Ends watches and connections, clears timers, and compacts the journal when persisting. */
  stop(): Promise<void>;
}

/**
 * Starts the cluster simulator: a Kubernetes API server for the kinds the control plane uses,
 * with watches, optimistic concurrency and a KWOK-like pod lifecycle.
 */
export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const log = options.logger;
  const store = new ObjectStore(options.watchHistory ?? 1000, (err) =>
    log?.error({ err }, 'kube-sim listener failed'),
  );
  let journal: Journal | undefined;
  if (options.persistFile) {
    journal = await openPersistence(options.persistFile, store, {
      compactBytes: options.journalCompactBytes ?? 4 * 1024 * 1024,
      logger: log,
    });
  }
  const nsType = resourceByKind('Namespace');
  for (const name of options.namespaces ?? ['default', 'justiam-mt']) {
    if (!store.get(nsType, undefined, name))
      store.create(nsType, prepareCreate(nsType, { metadata: { name } }, undefined));
  }
  const lifecycle = new Lifecycle({
    store,
    podStartDelayMs: options.podStartDelayMs ?? 200,
    unpullableTags: options.unpullableTags,
    runJobs: options.runJobs
      ? {
          path: (typeof options.runJobs === 'object' && options.runJobs.path) || (process.env.PATH ?? ''),
        }
      : undefined,
    logger: log,
  });
  lifecycle.start();

  const server = createApiServer({
    store,
    strictNamespaces: options.strictNamespaces ?? false,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    logger: log,
    onAccess: options.onAccess,
  });
  const host = options.host ?? '127.0.0.1';
  const { port, url } = await listen(server, options.port ?? 0, host).catch(async (err: unknown) => {
    lifecycle.stop();
    await journal?.close();
    throw err;
  });
  log?.info({ url, persistFile: options.persistFile }, 'kube-sim listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    writeKubeconfig: (path, kc = {}) => writeKubeconfigFile(path, { server: url, ...kc }),
    stop() {
      stopping ??= (async () => {
        lifecycle.stop();
        store.closeAllWatches();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await journal?.close();
      })();
      return stopping;
    },
  };
}
