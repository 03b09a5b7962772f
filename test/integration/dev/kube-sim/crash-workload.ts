import { expect } from 'vitest';

/**
 * The client side of the kill -9 test: workers that create, patch and delete Secrets and
 * ConfigMaps over plain HTTP and keep, per object, what the simulator acknowledged and what was
 * still in flight when it died. Every object carries one value in three keys, written by one
 * request, so a half-applied write would show as keys that disagree.
 */

export const NS = 'justiam-mt';
const KEYS = ['a', 'b', 'c'] as const;

export type Kind = 'secrets' | 'configmaps';
/** What an object is: absent, or whole with one value in every key. */
export type State = 'absent' | { value: string };

export interface Tracked {
  kind: Kind;
  name: string;
  /** Known durable: the last acknowledged write (or what a restart showed). */
  acked: State;
  ackedRv?: number;
  /** Sent but unanswered when the simulator died: it may or may not have become durable. */
  inflight?: State;
  deleteSent: boolean;
}

/** Deterministic randomness, so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The data of an object holding `value`, in every key. */
export function encode(kind: Kind, value: string): Record<string, string> {
  const v = kind === 'secrets' ? Buffer.from(value).toString('base64') : value;
  return Object.fromEntries(KEYS.map((k) => [k, v]));
}

/** The state an object read back is in; throws when its keys disagree (a torn object). */
export function stateOf(kind: Kind, object: Record<string, unknown> | undefined): State {
  if (!object) return 'absent';
  const data = (object.data ?? {}) as Record<string, string | undefined>;
  const values = KEYS.map((k) => data[k]).map((v) =>
    kind === 'secrets' && v !== undefined ? Buffer.from(v, 'base64').toString() : v,
  );
  if (values.some((v) => v === undefined || v !== values[0])) {
    throw new Error(`torn object: ${JSON.stringify(object)}`);
  }
  return { value: values[0]! };
}

export function objectPath(kind: Kind, name?: string): string {
  return `/api/v1/namespaces/${NS}/${kind}${name ? `/${name}` : ''}`;
}

/** The objects written so far, and the highest resourceVersion any response or event carried. */
export class Ledger {
  readonly objects = new Map<string, Tracked>();
  maxSeenRv = 0;

  see(rv: unknown): void {
    const n = Number(rv);
    if (Number.isFinite(n)) this.maxSeenRv = Math.max(this.maxSeenRv, n);
  }
}

interface WorkerOptions {
  url: string;
  ledger: Ledger;
  random: () => number;
  prefix: string;
  /** Called after each acknowledged write; returns true once the simulator is being killed. */
  onAck(): boolean;
}

/**
 * Writes until a request fails (the simulator is gone) or `onAck` says to stop. Any answer
 * other than 2xx is a failure of the test: the workload never conflicts with itself.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const { url, ledger, random, prefix } = options;
  const mine: Tracked[] = [];
  for (let n = 0; ; n++) {
    const live = mine.filter((t) => t.acked !== 'absent');
    const r = random();
    let target: Tracked;
    let next: State;
    let init: RequestInit;
    let path: string;
    if (live.length === 0 || r < 0.3) {
      const kind: Kind = random() < 0.5 ? 'secrets' : 'configmaps';
      target = { kind, name: `${prefix}-${n}`, acked: 'absent', deleteSent: false };
      ledger.objects.set(`${kind}/${target.name}`, target);
      mine.push(target);
      next = { value: `${target.name}@${n}` };
      path = objectPath(kind);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name: target.name }, data: encode(kind, next.value) }),
      };
    } else {
      target = live[Math.floor(random() * live.length)]!;
      path = objectPath(target.kind, target.name);
      if (r < 0.92) {
        next = { value: `${target.name}@${n}` };
        init = {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ data: encode(target.kind, next.value) }),
        };
      } else {
        next = 'absent';
        target.deleteSent = true;
        init = { method: 'DELETE' };
      }
    }
    target.inflight = next;
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, init);
    } catch {
      return;
    }
    if (!response.ok) {
      throw new Error(`${init.method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    const body = (await response.json().catch(() => undefined)) as
      | { metadata?: { resourceVersion?: string } }
      | undefined;
    target.acked = next;
    target.inflight = undefined;
    const rv = Number(body?.metadata?.resourceVersion);
    // A body cut off by the kill still means acknowledged (the status came after the fsync).
    target.ackedRv = next !== 'absent' && Number.isFinite(rv) ? rv : undefined;
    ledger.see(rv);
    if (options.onAck()) return;
  }
}

/** One watch event as the test keeps it: the last per object. */
export interface Seen {
  type: string;
  rv: number;
}

/**
 * Watches a kind until the stream breaks, keeping the last event per object. Resolves once the
 * stream has started (headers received).
 */
export async function watchKind(
  url: string,
  kind: Kind,
  ledger: Ledger,
  seen: Map<string, Seen>,
): Promise<{ ended: Promise<void> }> {
  const response = await fetch(`${url}${objectPath(kind)}?watch=true`);
  expect(response.status).toBe(200);
  const ended = (async () => {
    try {
      for await (const line of lines(response)) {
        const event = JSON.parse(line) as {
          type: string;
          object: { metadata: { name: string; resourceVersion: string } };
        };
        const rv = Number(event.object.metadata.resourceVersion);
        ledger.see(rv);
        seen.set(`${kind}/${event.object.metadata.name}`, { type: event.type, rv });
      }
    } catch {
      // The simulator was killed: the stream breaks, which is expected.
    }
  })();
  return { ended };
}

/** The lines of a streamed response body (a watch), as they arrive. */
export async function* lines(response: Response): AsyncGenerator<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    yield* complete;
  }
}
