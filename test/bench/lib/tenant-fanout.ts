import { type ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ControlPlane } from '../../../server/runtime.ts';
import { type MemorySnapshot, settledMemory } from './memory.ts';
import type { FromSubscribers, ToSubscribers } from './tenant-fanout-protocol.ts';

type Kind = FromSubscribers['kind'];
type Waiter = { kind: Kind; resolve(message: FromSubscribers): void; reject(error: Error): void };

/**
 * The child process holding the graphql-ws subscribers. Requests are answered in order, one kind
 * of answer each; `fire` is the subscriber side asking for the trigger, and `failed` (or the child
 * dying) fails whatever is waiting.
 */
export class SubscriberProcess {
  private readonly waiters: Waiter[] = [];
  private failure: Error | undefined;
  /** Called when the subscriber side has noted its start time and wants the change made. */
  onFire: () => void = () => {};

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromSubscribers) => this.receive(message));
    child.on('exit', (code, signal) => this.fail(new Error(`subscriber process exited (${signal ?? code})`)));
    child.on('error', (error) => this.fail(error));
  }

  /** Forks `tenant-subscribers.ts` with this process's loader flags (tsx), so it runs TypeScript too. */
  static start(): SubscriberProcess {
    const script = fileURLToPath(new URL('./tenant-subscribers.ts', import.meta.url));
    return new SubscriberProcess(fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  private receive(message: FromSubscribers): void {
    if (message.kind === 'fire') {
      this.onFire();
      return;
    }
    if (message.kind === 'failed') {
      this.fail(new Error(`subscriber process: ${message.message}`));
      return;
    }
    const index = this.waiters.findIndex((w) => w.kind === message.kind);
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  request<K extends Kind>(
    message: ToSubscribers,
    answer: K,
    timeoutMs: number,
  ): Promise<Extract<FromSubscribers, { kind: K }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`subscriber process: no ${answer} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        kind: answer,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromSubscribers, { kind: K }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
      this.child.send(message);
    });
  }

  /** Half the median IPC round trip: the hop every latency figure includes before the trigger. */
  async ipcHopMs(samples = 50): Promise<number> {
    const rtts: number[] = [];
    for (let id = 0; id < samples; id++) {
      const t0 = performance.now();
      await this.request({ kind: 'ping', id }, 'pong', 5000);
      rtts.push(performance.now() - t0);
    }
    rtts.sort((a, b) => a - b);
    return rtts[Math.floor(rtts.length / 2)]! / 2;
  }

  /** Ends the child (it exits by itself once disconnected; this is for a run that failed). */
  stop(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

export type FanoutOptions = {
  subscriptions: number;
  perSocket: number;
  warmupRounds: number;
  rounds: number;
  /** Measure the server's memory before and after subscribing (a full GC each time). */
  memory: boolean;
};

export type FanoutResult = {
  sockets: number;
  subscriptions: number;
  /** `open` sent → every subscription registered on the server's event bus. */
  registerMs: number;
  /** Per counted round, each subscription's delay from trigger to receipt. */
  rounds: number[][];
  /** Server process (this one): before opening, once all are registered, after closing them all. */
  memory: { before: MemorySnapshot; subscribed: MemorySnapshot; closed: MemorySnapshot } | undefined;
};

/**
 * Memory after a full GC, taken twice with a pause between: pages freed by an earlier phase go back
 * to the OS lazily, and would otherwise show up as RSS "given back" by this one.
 */
async function steadyMemory(): Promise<MemorySnapshot> {
  await settledMemory();
  await sleep(500);
  return settledMemory();
}

/**
 * What the subscribers subscribe to: the control plane, or the bare graphql-ws floor. `change`
 * makes the next change ready (for the control plane, the tenant row updated), and `publish` is
 * the trigger, called when the subscriber process has noted its start time.
 */
export type FanoutTarget = {
  wsUrl: string;
  subscriberCount(): number;
  change(status: string): Promise<void>;
  publish(): void;
};

/** The control plane: a real status change (row updated, `tenant.updated` published as the status poller does). */
export function controlPlaneTarget(cp: ControlPlane, tenant: { id: string; slug: string }): FanoutTarget {
  const { bus, db } = cp.services;
  return {
    wsUrl: `${cp.url.replace(/^http/, 'ws')}/graphql`,
    // Subscribers of one document share one execution (server/http/shared-subscriptions.ts): count them at the socket layer.
    subscriberCount: () => cp.app.subscriptions().subscribers,
    change: async (status) => {
      await db
        .updateTable('tenants')
        .set({ status, status_checked_at: new Date(), updated_at: new Date() })
        .where('id', '=', tenant.id)
        .execute();
    },
    publish: () => bus.publish('tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'status' }),
  };
}

async function waitForSubscribers(target: FanoutTarget, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (target.subscriberCount() !== count) {
    if (Date.now() > deadline) {
      throw new Error(`the target has ${target.subscriberCount()} subscribers, expected ${count}`);
    }
    await sleep(5);
  }
}

/**
 * Subscribes `subscriptions` graphql-ws clients to one tenant's `tenantUpdated` on `target`, then
 * makes one change per round and collects when each subscriber received the new status. Closes
 * them all at the end.
 */
export async function measureFanout(
  target: FanoutTarget,
  subscribers: SubscriberProcess,
  slug: string,
  options: FanoutOptions,
): Promise<FanoutResult> {
  const base = target.subscriberCount();
  const before = options.memory ? await steadyMemory() : undefined;
  const t0 = performance.now();
  const opened = await subscribers.request(
    {
      kind: 'open',
      url: target.wsUrl,
      slug,
      subscriptions: options.subscriptions,
      perSocket: options.perSocket,
    },
    'opened',
    120_000,
  );
  await waitForSubscribers(target, base + options.subscriptions, 60_000);
  const registerMs = performance.now() - t0;
  const subscribed = options.memory ? await steadyMemory() : undefined;

  const rounds: number[][] = [];
  for (let r = 0; r < options.warmupRounds + options.rounds; r++) {
    const status = r % 2 === 0 ? 'degraded' : 'ok';
    await target.change(status);
    subscribers.onFire = () => target.publish();
    const result = await subscribers.request(
      { kind: 'round', round: r, status, timeoutMs: 30_000 },
      'result',
      40_000,
    );
    if (result.missing > 0 || result.stale > 0) {
      throw new Error(
        `round ${r}: ${result.missing} subscribers got nothing, ${result.stale} got a stale status`,
      );
    }
    if (r >= options.warmupRounds) rounds.push(result.latencies);
  }

  await subscribers.request({ kind: 'close' }, 'closed', 60_000);
  await waitForSubscribers(target, base, 30_000);
  const closed = options.memory ? await steadyMemory() : undefined;
  return {
    sockets: opened.sockets,
    subscriptions: opened.subscriptions,
    registerMs,
    rounds,
    memory: before && subscribed && closed ? { before, subscribed, closed } : undefined,
  };
}
