import { performance } from 'node:perf_hooks';
import { type KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node';
import type { KubeConnection } from '../../../server/cluster/connect.ts';
import { WORKLOAD_SELECTOR } from '../../../server/cluster/labels.ts';
import { createWorkloadInformers } from '../../../server/cluster/workloads.ts';
import type { ObjectStore } from '../../../server/dev/kube-sim/store.ts';
import type { EventBus } from '../../../server/events/bus.ts';
import type { Topics } from '../../../server/events/topics.ts';
import type { Logger } from '../../../server/log.ts';
import { Arrivals } from '../lib/arrivals.ts';
import { type GcPauses, recordGcPauses, settledMemory } from '../lib/memory.ts';
import { within } from '../lib/timeout.ts';
import { CHANGE_LABEL, CHANGES, NAMESPACE, POD_PATH, WARMUP_CHANGES } from './params.ts';
import { POD } from './seed.ts';

export type WatchLatency = { latency: number[]; gc: GcPauses };

export type BusLatency = {
  total: number[];
  /** Change → the informer's publisher calls `bus.publish`. */
  informerHop: number[];
  /** `bus.publish` → the subscriber's iterator yields (NOTIFY and back through LISTEN). */
  notifyHop: number[];
  gc: GcPauses;
};

type Observed = { changedAt: number; seenAt: number[] };

/**
 * Changes pods one at a time (a label, through the simulator's store, which fans the change out to
 * open watches synchronously) and returns, per counted change, when it was made and when each
 * observer saw it, plus the GC pauses during the counted series.
 */
async function driveChanges(
  store: ObjectStore,
  names: readonly string[],
  observers: readonly Arrivals[],
  offset: number,
): Promise<{ changes: Observed[]; gc: GcPauses }> {
  const changes: Observed[] = [];
  let gc: { stop(): GcPauses } | undefined;
  for (let i = 0; i < WARMUP_CHANGES + CHANGES; i++) {
    const name = names[(offset + i) % names.length]!;
    const pod = store.get(POD, NAMESPACE, name)!;
    pod.metadata.labels = { ...pod.metadata.labels, [CHANGE_LABEL]: String(offset + i) };
    const seen = Promise.all(observers.map((o) => o.expect(name)));
    const changedAt = performance.now();
    store.update(POD, pod);
    const seenAt = await seen;
    if (i >= WARMUP_CHANGES) changes.push({ changedAt, seenAt });
    else if (i === WARMUP_CHANGES - 1) {
      // Start the counted series on a clean heap, not amid collecting what earlier phases left.
      await settledMemory();
      gc = recordGcPauses();
    }
  }
  return { changes, gc: gc!.stop() };
}

/** The baseline: change → callback of a bare `Watch` on the informer's path and selector. */
export async function measureBareWatch(options: {
  kubeConfig: KubeConfig;
  store: ObjectStore;
  names: readonly string[];
}): Promise<WatchLatency> {
  const { store } = options;
  const arrivals = new Arrivals('bare watch');
  let failure: unknown;
  const controller = await new Watch(options.kubeConfig).watch(
    POD_PATH,
    { labelSelector: WORKLOAD_SELECTOR, resourceVersion: String(store.resourceVersion) },
    (type: string, object: V1Pod) => {
      const at = performance.now();
      if (type === 'MODIFIED' && object.metadata?.name) arrivals.arrive(object.metadata.name, at);
    },
    (error: unknown) => {
      failure = error;
    },
  );
  try {
    const { changes, gc } = await driveChanges(store, options.names, [arrivals], 0);
    return { latency: changes.map((c) => c.seenAt[0]! - c.changedAt), gc };
  } catch (error) {
    throw failure ? new Error(`bare watch ended: ${String(failure)}`, { cause: error }) : error;
  } finally {
    controller.abort();
  }
}

/**
 * Change → `cluster.changed` on a bus subscriber, through the production pods informer and
 * publisher. The bus the informers get is wrapped to note when the informer publishes, which
 * splits the path into the informer hop (watch, reducer, publisher) and the NOTIFY round trip.
 * It changes the other half of the pods, so no pod is changed by both series.
 */
export async function measureBus(options: {
  conn: KubeConnection;
  store: ObjectStore;
  bus: EventBus;
  logger: Logger;
  names: readonly string[];
}): Promise<BusLatency> {
  const { bus, names } = options;
  const published = new Arrivals('informer publish');
  const delivered = new Arrivals('bus subscriber');
  const tapped: EventBus = {
    ...bus,
    publish(topic, payload) {
      const at = performance.now();
      const event = payload as Topics['cluster.changed'];
      if (topic === 'cluster.changed' && event.type === 'MODIFIED' && event.name) {
        published.arrive(event.name, at);
      }
      bus.publish(topic, payload);
    },
  };
  const events = bus.subscribe('cluster.changed');
  const consumer = (async () => {
    for await (const event of events) {
      const at = performance.now();
      if (event.resource === 'pods' && event.type === 'MODIFIED' && event.name) {
        delivered.arrive(event.name, at);
      }
    }
  })();
  const workloads = createWorkloadInformers(options.conn, tapped, options.logger);
  try {
    for (let i = 0; bus.subscriberCount('cluster.changed') === 0; i++) {
      if (i > 100) throw new Error('the bus subscriber never registered');
      await new Promise((r) => setTimeout(r, 10));
    }
    workloads.pods.start();
    await within(workloads.pods.synced, 30_000, 'informer sync');
    const offset = Math.floor(names.length / 2);
    const { changes, gc } = await driveChanges(options.store, names, [published, delivered], offset);
    return {
      total: changes.map((c) => c.seenAt[1]! - c.changedAt),
      informerHop: changes.map((c) => c.seenAt[0]! - c.changedAt),
      notifyHop: changes.map((c) => c.seenAt[1]! - c.seenAt[0]!),
      gc,
    };
  } finally {
    await workloads.stop();
    await events.return?.();
    await consumer;
  }
}
