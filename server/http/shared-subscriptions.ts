/**
 * One execution per event for every subscriber of the same subscription: subscribers whose
 * document, operation name, variables and caller (operator and role) are the same would each
 * execute the same selection against the same event and get the same result, so the first of them
 * runs the real subscription and the others receive what it yields. Authorization in this schema
 * depends on the caller alone (scopes by role; the only fields that read the operator are on
 * Query and Mutation), so keying by operator and role shares only what would be identical anyway.
 *
 * Each subscriber has its own queue: a slow socket delays no one else. The shared execution ends
 * when its last subscriber leaves, or when its source ends or fails (every subscriber then ends
 * the same way).
 */

type Source<T> = AsyncIterator<T> & { return?: () => Promise<IteratorResult<T>> };

type Subscriber<T> = {
  push(value: T): void;
  end(error?: unknown): void;
};

/** Subscribers attached to any shared stream right now (each counted once, until it leaves or ends). */
type Counter = { active: number };

class SharedStream<T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private closed = false;

  constructor(
    private readonly source: Source<T>,
    private readonly onEmpty: () => void,
    private readonly counter: Counter,
  ) {}

  start(): void {
    void (async () => {
      try {
        for (;;) {
          const next = await this.source.next();
          if (next.done) break;
          for (const s of this.subscribers) s.push(next.value);
        }
        this.finish();
      } catch (error) {
        this.finish(error);
      }
    })();
  }

  private finish(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.onEmpty();
    for (const s of this.subscribers) s.end(error);
    this.subscribers.clear();
  }

  /** A new subscriber's iterator, or undefined once the stream has ended (the caller starts another). */
  attach(): AsyncIterableIterator<T> | undefined {
    if (this.closed) return undefined;
    const queue: T[] = [];
    let waiting: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void } | undefined;
    let ended: { error?: unknown } | undefined;
    this.counter.active++;
    let counted = true;
    const uncount = () => {
      if (counted) this.counter.active--;
      counted = false;
    };
    const subscriber: Subscriber<T> = {
      push: (value) => {
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w.resolve({ value, done: false });
        } else queue.push(value);
      },
      end: (error) => {
        uncount();
        ended = { error };
        if (!waiting) return;
        const w = waiting;
        waiting = undefined;
        if (error === undefined) w.resolve({ value: undefined, done: true });
        else w.reject(error);
      },
    };
    this.subscribers.add(subscriber);
    const leave = async (): Promise<IteratorResult<T>> => {
      uncount();
      ended ??= {};
      queue.length = 0;
      subscriber.end();
      if (this.subscribers.delete(subscriber) && this.subscribers.size === 0 && !this.closed) {
        this.closed = true;
        this.onEmpty();
        await this.source.return?.();
      }
      return { value: undefined, done: true };
    };
    return {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
        if (ended) {
          return ended.error === undefined
            ? Promise.resolve({ value: undefined, done: true })
            : Promise.reject(ended.error);
        }
        return new Promise((resolve, reject) => {
          waiting = { resolve, reject };
        });
      },
      return: leave,
      throw: leave,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * Wraps a `subscribe` function: calls with the same key share one execution. `subscribe` may
 * answer an iterable of results, or a single result (an error before anything ran), which is never
 * shared.
 */
export function shareSubscriptions<A>(
  subscribe: (args: A) => unknown,
  /** Called for a subscriber that joins an execution already running (its own never started). */
  onJoin: (args: A) => void = () => {},
) {
  const streams = new Map<string, SharedStream<unknown>>();
  const starting = new Map<string, Promise<unknown>>();
  const counter: Counter = { active: 0 };
  return {
    async subscribe(args: A, key: string | undefined): Promise<unknown> {
      if (key === undefined) return subscribe(args);
      for (;;) {
        const attached = streams.get(key)?.attach();
        if (attached) {
          onJoin(args);
          return attached;
        }
        const pending = starting.get(key);
        if (pending) {
          await pending.catch(() => {});
          continue;
        }
        const start = Promise.resolve(subscribe(args));
        starting.set(key, start);
        let result: unknown;
        try {
          result = await start;
        } finally {
          starting.delete(key);
        }
        if (!isAsyncIterable(result)) return result;
        const stream: SharedStream<unknown> = new SharedStream(
          result[Symbol.asyncIterator](),
          () => {
            if (streams.get(key) === stream) streams.delete(key);
          },
          counter,
        );
        streams.set(key, stream);
        const own = stream.attach()!;
        stream.start();
        return own;
      }
    },
    /** Executions running now: one per distinct key with subscribers. */
    get executions() {
      return streams.size;
    },
    /** Subscriptions receiving events now, shared or not. */
    get subscribers() {
      return counter.active;
    },
  };
}
