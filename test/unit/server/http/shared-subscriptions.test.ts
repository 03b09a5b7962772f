import { describe, expect, it } from 'vitest';
import { shareSubscriptions } from '../../../../server/http/shared-subscriptions.ts';

/** A source the test drives: `emit` a value, `fail` or `end` it; `returned` once a consumer stopped it. */
function source<T>() {
  const queue: T[] = [];
  let wake: ((r: IteratorResult<T>) => void) | undefined;
  let failWith: ((e: unknown) => void) | undefined;
  const state = { returned: false };
  const iterator: AsyncIterableIterator<T> = {
    next: () =>
      queue.length
        ? Promise.resolve({ value: queue.shift()!, done: false })
        : new Promise((resolve, reject) => {
            wake = resolve;
            failWith = reject;
          }),
    return: async () => {
      state.returned = true;
      wake?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    iterator,
    state,
    emit(value: T) {
      if (wake) {
        const w = wake;
        wake = undefined;
        w({ value, done: false });
      } else queue.push(value);
    },
    end: () => wake?.({ value: undefined, done: true }),
    fail: (error: unknown) => failWith?.(error),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('shareSubscriptions', () => {
  it('starts one execution for concurrent subscribers of one key and gives each every value', async () => {
    const src = source<number>();
    let started = 0;
    const shared = shareSubscriptions<null>(async () => {
      started++;
      await tick();
      return src.iterator;
    });
    const [x, y] = (await Promise.all([
      shared.subscribe(null, 'k'),
      shared.subscribe(null, 'k'),
    ])) as AsyncIterator<number>[];
    expect(started).toBe(1);
    expect(shared.subscribers).toBe(2);
    src.emit(1);
    src.emit(2);
    expect([(await x!.next()).value, (await x!.next()).value]).toEqual([1, 2]);
    // y has not read yet: its values waited in its own queue.
    expect([(await y!.next()).value, (await y!.next()).value]).toEqual([1, 2]);
    await x!.return!();
    expect(src.state.returned).toBe(false);
    await y!.return!();
    expect(src.state.returned).toBe(true);
    expect(shared.executions).toBe(0);
    expect(shared.subscribers).toBe(0);
  });

  it('ends every subscriber with the source, and passes its failure to all', async () => {
    const ended = source<number>();
    const shared = shareSubscriptions<AsyncIterableIterator<number>>((it) => it);
    const a = (await shared.subscribe(ended.iterator, 'a')) as AsyncIterator<number>;
    const b = (await shared.subscribe(ended.iterator, 'a')) as AsyncIterator<number>;
    const reads = [a.next(), b.next()];
    ended.end();
    expect((await Promise.all(reads)).map((r) => r.done)).toEqual([true, true]);

    const failing = source<number>();
    const c = (await shared.subscribe(failing.iterator, 'f')) as AsyncIterator<number>;
    const d = (await shared.subscribe(failing.iterator, 'f')) as AsyncIterator<number>;
    const failed = [c.next(), d.next()];
    failing.fail(new Error('boom'));
    for (const read of failed) await expect(read).rejects.toThrow('boom');
    expect(shared.subscribers).toBe(0);
    // A new subscriber after the end starts a new execution.
    const again = source<number>();
    const e = (await shared.subscribe(again.iterator, 'f')) as AsyncIterator<number>;
    again.emit(7);
    expect((await e.next()).value).toBe(7);
  });

  it('never shares a result that is not a stream (an error before anything ran), nor a call without a key', async () => {
    let calls = 0;
    const shared = shareSubscriptions<null>(() => {
      calls++;
      return { errors: [{ message: 'no' }] };
    });
    expect(await shared.subscribe(null, 'k')).toEqual({ errors: [{ message: 'no' }] });
    expect(await shared.subscribe(null, 'k')).toEqual({ errors: [{ message: 'no' }] });
    await shared.subscribe(null, undefined);
    expect(calls).toBe(3);
    expect(shared.executions).toBe(0);
  });
});
