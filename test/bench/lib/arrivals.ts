import { performance } from 'node:perf_hooks';

type Waiter = { resolve(at: number): void; timer: NodeJS.Timeout };

/**
 * Matches things that arrive (watch events, bus messages) to the changes a benchmark made: the
 * driver calls `expect(key)` before making a change, the observer calls `arrive(key)` when it sees
 * one, and the promise resolves with the `performance.now()` of the arrival. Arrivals nobody
 * expects (other objects, replays) are ignored; an expected one that never comes is an error, so
 * a broken path fails the run instead of stalling it.
 */
export class Arrivals {
  private readonly waiting = new Map<string, Waiter>();

  constructor(
    private readonly what: string,
    private readonly timeoutMs = 5000,
  ) {}

  expect(key: string): Promise<number> {
    if (this.waiting.has(key)) throw new Error(`${this.what}: already waiting for ${key}`);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`${this.what}: nothing arrived for ${key} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiting.set(key, { resolve, timer });
    });
  }

  arrive(key: string, at = performance.now()): void {
    const waiter = this.waiting.get(key);
    if (!waiter) return;
    this.waiting.delete(key);
    clearTimeout(waiter.timer);
    waiter.resolve(at);
  }
}
