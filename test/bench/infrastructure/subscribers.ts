/**
 * The subscriber side of the infrastructure benchmark, run as a child process (`fork`) of
 * `infrastructure-feed.bench.ts`: it opens graphql-ws clients, subscribes each to
 * `infrastructureChanged`, and per round records when each client first saw each pod in the
 * state the round expects, and how many messages it got. Driven by IPC messages only.
 */
import { performance } from 'node:perf_hooks';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { FromSubscribers, ToSubscribers } from './protocol.ts';

const SUBSCRIPTION = `subscription {
  infrastructureChanged { kind pods { name ready } snapshot { components { pods { name ready } } } }
}`;
type Message = {
  infrastructureChanged: {
    kind: string;
    pods: { name: string; ready: boolean }[];
    snapshot: { components: { pods: { name: string; ready: boolean }[] }[] } | null;
  };
};

/** Sockets opened at once; more would only queue in the server's accept backlog. */
const OPEN_BATCH = 50;
const now = () => performance.timeOrigin + performance.now();

type Round = {
  expected: Map<string, boolean>;
  /** Per client: when it first saw each pod as expected (by index in `names`), and its messages. */
  seen: Float64Array[];
  remaining: number[];
  messages: number[];
  names: string[];
  index: Map<string, number>;
};

const clients: Client[] = [];
let round: Round | undefined;
let snapshots = 0;
let onSnapshots: (() => void) | undefined;

const send = (message: FromSubscribers) => {
  // Sockets closing at the end report errors after the parent has gone: nobody to tell.
  if (process.connected) process.send?.(message);
};

function receive(client: number, data: Message | null | undefined): void {
  const change = data?.infrastructureChanged;
  if (!change) return;
  if (change.kind === 'SNAPSHOT') {
    snapshots++;
    if (snapshots === clients.length) onSnapshots?.();
    return;
  }
  const r = round;
  if (!r || change.kind !== 'PODS') return;
  const at = now();
  r.messages[client]!++;
  const seen = r.seen[client]!;
  for (const pod of change.pods) {
    const i = r.index.get(pod.name);
    if (i === undefined || seen[i]! > 0 || r.expected.get(pod.name) !== pod.ready) continue;
    seen[i] = at;
    r.remaining[client]!--;
  }
  if (r.remaining.every((n) => n === 0)) send({ kind: 'received' });
}

function connect(url: string, authorization: string, id: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization },
      on: { connected: () => resolve(client), error: (e) => reject(new Error(`socket error: ${String(e)}`)) },
    });
    client.subscribe<Message>(
      { query: SUBSCRIPTION },
      {
        next: (value) => receive(id, value.data as Message | undefined),
        error: (error) => send({ kind: 'failed', message: `subscription error: ${JSON.stringify(error)}` }),
        complete: () => {},
      },
    );
  });
}

process.on('message', async (message: ToSubscribers) => {
  try {
    if (message.kind === 'open') {
      const ready = new Promise<void>((resolve) => {
        onSnapshots = resolve;
      });
      for (let i = 0; i < message.count; i += OPEN_BATCH) {
        const batch = Array.from({ length: Math.min(OPEN_BATCH, message.count - i) }, (_, j) =>
          connect(message.url, message.authorization, i + j),
        );
        clients.push(...(await Promise.all(batch)));
      }
      await ready;
      send({ kind: 'ready' });
    } else if (message.kind === 'round') {
      const names = message.names;
      round = {
        expected: new Map(names.map((n) => [n, message.ready])),
        seen: clients.map(() => new Float64Array(names.length)),
        remaining: clients.map(() => names.length),
        messages: clients.map(() => 0),
        names,
        index: new Map(names.map((n, i) => [n, i])),
      };
      send({ kind: 'armed' });
    } else if (message.kind === 'collect') {
      const r = round!;
      // Latencies from each pod's change in the cluster to each client's first sight of it.
      const latencies: number[] = [];
      for (const seen of r.seen)
        for (let i = 0; i < seen.length; i++) latencies.push(seen[i]! - message.changedAt[i]!);
      send({ kind: 'result', latencies, messages: r.messages });
      round = undefined;
    } else if (message.kind === 'close') {
      await Promise.all(clients.map((c) => c.dispose()));
      process.exit(0);
    }
  } catch (error) {
    send({ kind: 'failed', message: (error as Error).message });
  }
});
