/**
 * `infrastructureChanged` under a burst, beside the informer it is fed by, measured in one run:
 *
 * - `--pods` pods (2,000) of the backend, login workers and agents are stored straight into the
 *   cluster simulator (this process), Running and Ready; its kubelet is slowed so it never moves them.
 * - `--subscribers` graphql-ws clients (200) in a child process subscribe to `infrastructureChanged`
 *   on a control plane in this process (KUBECONFIG to the simulator) and get their snapshot.
 * - Each round flips every pod's readiness in one synchronous burst (a failing readiness probe
 *   everywhere, then recovery), noting each pod's change time.
 * - Measured: per subscriber, the messages it got for the round (the coalescing ratio is changes
 *   per message); per subscriber and pod, the time from the pod's change to the subscriber first
 *   seeing it in its new state; beside it, the same for a bare informer (list + watch, the
 *   control plane's own code) in this process: when its watch delivered each change.
 *
 *   node --import tsx test/bench/infrastructure-feed.bench.ts [--pods 2000] [--subscribers 200] [--rounds 4]
 *
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres (a throwaway database).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { createInformer } from '../../server/cluster/informer.ts';
import { WORKLOAD_SELECTOR } from '../../server/cluster/labels.ts';
import { startKubeSim } from '../../server/dev/kube-sim/index.ts';
import { createLogger } from '../../server/log.ts';
import { seedPods, setPodReady } from './cluster-informer/seed.ts';
import type { FromSubscribers, ToSubscribers } from './infrastructure/protocol.ts';
import { startBenchControlPlane } from './lib/control-plane.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import { formatMs, formatRatio, percentile, sortedCopy } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    pods: { type: 'string', default: '2000' },
    subscribers: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '4' },
  },
});
const PODS = Number(args.pods);
const SUBSCRIBERS = Number(args.subscribers);
const ROUNDS = Number(args.rounds);
const NAMESPACE = 'justiam-mt';
const now = () => performance.timeOrigin + performance.now();

/** The child process and its answers, in order. */
function subscriberProcess() {
  const script = fileURLToPath(new URL('./infrastructure/subscribers.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting: { kind: string; resolve: (m: FromSubscribers) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: FromSubscribers) => {
    if (m.kind === 'failed') for (const w of waiting.splice(0)) w.reject(new Error(m.message));
    const i = waiting.findIndex((w) => w.kind === m.kind);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
  });
  const wait = <K extends FromSubscribers['kind']>(kind: K, timeoutMs: number) =>
    new Promise<Extract<FromSubscribers, { kind: K }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} within ${timeoutMs} ms`)), timeoutMs);
      waiting.push({
        kind,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromSubscribers, { kind: K }>);
        },
        reject,
      });
    });
  return {
    send: (m: ToSubscribers) => child.send(m),
    wait,
    stop: () => child.kill(),
  };
}

async function main() {
  printFacts('machine', machineFacts());
  const sim = await startKubeSim({ podStartDelayMs: 3_600_000, watchHistory: PODS * 4 });
  const dir = await mkdtemp(join(tmpdir(), 'bench-infra-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  const { names } = seedPods(sim.store, { namespace: NAMESPACE, count: PODS, tenants: Math.ceil(PODS / 3) });
  const database = await createBenchDatabase(benchServerUrl(), 'bench_infra');
  const { cp, authorization } = await startBenchControlPlane(database.url, {
    KUBE_MODE: 'kubeconfig',
    KUBECONFIG: kubeconfig,
    DRIFT_CHECK_INTERVAL_MS: '3600000',
    DATABASE_STATUS_INTERVAL_MS: '3600000',
  });

  // The floor: a bare informer on the same pods, in this process, noting when each change arrives.
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  let informerRound: { expected: boolean; at: Map<string, number> } | undefined;
  const informer = createInformer<V1Pod>({
    resource: 'pods',
    kubeConfig: kc,
    path: `/api/v1/namespaces/${NAMESPACE}/pods`,
    labelSelector: WORKLOAD_SELECTOR,
    list: async () => {
      const list = await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: WORKLOAD_SELECTOR });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
    },
    onChanges: (changes) => {
      const r = informerRound;
      if (!r) return;
      const at = now();
      for (const { object } of changes) {
        const ready = object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        const name = object.metadata?.name ?? '';
        if (ready === r.expected && !r.at.has(name)) r.at.set(name, at);
      }
    },
    logger: createLogger({ level: 'warn' }, process.stderr),
  });
  informer.start();
  await informer.synced;
  while (cp.services.workloads.pods.status().state !== 'watching')
    await new Promise((r) => setTimeout(r, 50));

  const subscribers = subscriberProcess();
  const url = `${cp.url.replace(/^http/, 'ws')}/graphql`;
  const openedAt = now();
  subscribers.send({ kind: 'open', url, authorization, count: SUBSCRIBERS });
  await subscribers.wait('ready', 300_000);
  const openMs = now() - openedAt;

  const feedLatencies: number[] = [];
  const informerLatencies: number[] = [];
  const messagesPerSubscriber: number[] = [];
  const roundRows: string[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ready = round % 2 === 1;
    subscribers.send({ kind: 'round', names, ready });
    await subscribers.wait('armed', 10_000);
    informerRound = { expected: ready, at: new Map() };
    const received = subscribers.wait('received', 120_000);
    const changedAt: number[] = [];
    const burstStart = now();
    for (const name of names) {
      changedAt.push(now());
      setPodReady(sim.store, NAMESPACE, name, ready);
    }
    const burstMs = now() - burstStart;
    await received;
    const allAt = now();
    subscribers.send({ kind: 'collect', changedAt });
    const result = await subscribers.wait('result', 60_000);
    const informerAt = informerRound.at;
    const informerRoundLatencies = names.map((n, i) => (informerAt.get(n) ?? Number.NaN) - changedAt[i]!);
    informerRound = undefined;
    // 400,000 figures a round: appended one by one (spreading them would overflow the stack).
    for (const ms of result.latencies) feedLatencies.push(ms);
    for (const ms of informerRoundLatencies) informerLatencies.push(ms);
    for (const n of result.messages) messagesPerSubscriber.push(n);
    const sortedFeed = sortedCopy(result.latencies);
    const sortedInformer = sortedCopy(informerRoundLatencies.filter((n) => !Number.isNaN(n)));
    const meanMessages = result.messages.reduce((a, b) => a + b, 0) / result.messages.length;
    roundRows.push([
      String(round + 1),
      ready ? 'Ready' : 'NotReady',
      formatMs(burstMs),
      meanMessages.toFixed(1),
      (PODS / meanMessages).toFixed(0),
      formatMs(percentile(sortedInformer, 50)),
      formatMs(percentile(sortedInformer, 99)),
      formatMs(percentile(sortedFeed, 50)),
      formatMs(percentile(sortedFeed, 99)),
      formatMs(allAt - burstStart),
    ]);
    await new Promise((r) => setTimeout(r, 500));
  }

  printTable(
    `rounds: ${PODS} pods flipped in one burst, ${SUBSCRIBERS} subscribers`,
    [
      { header: 'round' },
      { header: 'to' },
      { header: 'burst', align: 'right' },
      { header: 'msgs/sub', align: 'right' },
      { header: 'changes/msg', align: 'right' },
      { header: 'informer p50', align: 'right' },
      { header: 'informer p99', align: 'right' },
      { header: 'feed p50', align: 'right' },
      { header: 'feed p99', align: 'right' },
      { header: 'all received', align: 'right' },
    ],
    roundRows,
  );
  const feed = sortedCopy(feedLatencies);
  const floor = sortedCopy(informerLatencies.filter((n) => !Number.isNaN(n)));
  const messages = sortedCopy(messagesPerSubscriber);
  printTable(
    `all rounds: change in the cluster → receipt (${formatMs(openMs)} to open and snapshot ${SUBSCRIBERS} subscribers)`,
    [
      { header: 'path' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
    ],
    [
      [
        'informer (floor): watch event in this process',
        formatMs(percentile(floor, 50)),
        formatMs(percentile(floor, 99)),
        formatMs(floor.at(-1) ?? 0),
      ],
      [
        'infrastructureChanged at a subscriber',
        formatMs(percentile(feed, 50)),
        formatMs(percentile(feed, 99)),
        formatMs(feed.at(-1) ?? 0),
      ],
      [
        'ratio feed / informer',
        formatRatio(percentile(feed, 50), percentile(floor, 50)),
        formatRatio(percentile(feed, 99), percentile(floor, 99)),
        '',
      ],
    ],
  );
  printFacts('coalescing', {
    'changes per round': String(PODS),
    'messages per subscriber per round (median, max)': `${percentile(messages, 50)}, ${messages.at(-1)}`,
    'coalescing ratio (changes per message, median)': (PODS / percentile(messages, 50)).toFixed(0),
    'informer changes missed': String(informerLatencies.filter((n) => Number.isNaN(n)).length),
  });

  subscribers.send({ kind: 'close' });
  await new Promise((r) => setTimeout(r, 500));
  subscribers.stop();
  await informer.stop();
  await cp.stop();
  await sim.stop();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
