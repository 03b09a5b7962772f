/**
 * The subscriber side of the fan-out benchmark, run as a child process (`fork`) of
 * `tenants.bench.ts`: it opens graphql-ws clients against the control plane, subscribes them to
 * `tenantUpdated`, and reports when each one received a change. Driven by IPC messages only.
 */
import { performance } from 'node:perf_hooks';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  type FromSubscribers,
  TENANT_UPDATED_SUBSCRIPTION,
  type ToSubscribers,
} from './tenant-fanout-protocol.ts';

type Received = { tenantUpdated: { slug: string; overview: { status: string } } };

/** Sockets opened at once; more would only queue in the server's accept backlog. */
const OPEN_BATCH = 50;

type Round = {
  status: string;
  startedAt: number;
  latencies: number[];
  stale: number;
  expected: number;
  done: () => void;
};

const clients: Client[] = [];
const stops: (() => void)[] = [];
let round: Round | undefined;

function send(message: FromSubscribers): void {
  process.send?.(message);
}

/** Opens one socket and resolves once the server has acknowledged its connection_init. */
function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      // The parent bench process sets this (an admin API token) before forking.
      connectionParams: { authorization: process.env.BENCH_AUTHORIZATION },
      on: {
        connected: () => resolve(client),
        error: (error) =>
          reject(error instanceof Error ? error : new Error(`socket error: ${String(error)}`)),
        closed: (event) => {
          const code = (event as { code?: number } | undefined)?.code;
          // Closing at the end of a phase is expected; anything earlier is a failure.
          if (round) send({ kind: 'failed', message: `a socket closed mid-round (code ${code})` });
          reject(new Error(`socket closed before it was acknowledged (code ${code})`));
        },
      },
    });
  });
}

function subscribe(client: Client, slug: string): () => void {
  return client.subscribe<Received>(
    { query: TENANT_UPDATED_SUBSCRIPTION, variables: { slug } },
    {
      next: (value) => {
        const at = performance.now();
        const current = round;
        if (!current) return;
        if (value.data?.tenantUpdated.overview.status !== current.status) {
          current.stale++;
          return;
        }
        current.latencies.push(at - current.startedAt);
        if (current.latencies.length === current.expected) current.done();
      },
      error: (error) => send({ kind: 'failed', message: `subscription error: ${JSON.stringify(error)}` }),
      complete: () => {},
    },
  );
}

async function open(message: Extract<ToSubscribers, { kind: 'open' }>): Promise<void> {
  const started = performance.now();
  const sockets = Math.ceil(message.subscriptions / message.perSocket);
  for (let first = 0; first < sockets; first += OPEN_BATCH) {
    const batch = Array.from({ length: Math.min(OPEN_BATCH, sockets - first) }, () => connect(message.url));
    clients.push(...(await Promise.all(batch)));
  }
  for (let i = 0; i < message.subscriptions; i++) {
    stops.push(subscribe(clients[Math.floor(i / message.perSocket)]!, message.slug));
  }
  send({ kind: 'opened', sockets, subscriptions: stops.length, ms: performance.now() - started });
}

async function runRound(message: Extract<ToSubscribers, { kind: 'round' }>): Promise<void> {
  const current: Round = {
    status: message.status,
    startedAt: 0,
    latencies: [],
    stale: 0,
    expected: stops.length,
    done: () => {},
  };
  const finished = new Promise<void>((resolve) => {
    current.done = resolve;
  });
  const timer = setTimeout(() => current.done(), message.timeoutMs);
  round = current;
  current.startedAt = performance.now();
  send({ kind: 'fire', round: message.round });
  await finished;
  clearTimeout(timer);
  round = undefined;
  send({
    kind: 'result',
    round: message.round,
    latencies: current.latencies,
    missing: current.expected - current.latencies.length,
    stale: current.stale,
  });
}

async function close(): Promise<void> {
  for (const stop of stops.splice(0)) stop();
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  send({ kind: 'closed' });
}

process.on('message', (message: ToSubscribers) => {
  const handle = async () => {
    switch (message.kind) {
      case 'open':
        return open(message);
      case 'round':
        return runRound(message);
      case 'ping':
        return send({ kind: 'pong', id: message.id });
      case 'close':
        return close();
    }
  };
  handle().catch((error: unknown) =>
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});

// The benchmark going away (even killed) must not leave this process behind.
process.on('disconnect', () => process.exit(0));
