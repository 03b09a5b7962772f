import { Repeater } from 'graphql-yoga';
import type { EventBus } from './bus.ts';
import type { Topic } from './topics.ts';

/** "Something these topics cover changed" at `at` (ms since the epoch). */
export type Tick = { at: number };

/**
 * One feed of change ticks for any number of local subscribers: events of `topics` arriving within
 * `windowMs` of the first become one tick, and every subscriber gets the same tick object, so what
 * a tick makes them load is loaded once (schema/event-load.ts). The bus is listened to only while
 * someone subscribes. For aggregates (the dashboard) that a burst of changes would otherwise make
 * every subscriber recompute once per change.
 */
export function coalescedFeed(bus: EventBus, topics: Topic[], windowMs: number) {
  const listeners = new Set<(tick: Tick) => void>();
  let sources: AsyncIterableIterator<unknown>[] = [];
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      const tick: Tick = { at: Date.now() };
      for (const push of listeners) push(tick);
    }, windowMs);
  };
  const open = () => {
    sources = topics.map((topic) => bus.subscribe(topic));
    for (const source of sources) {
      void (async () => {
        for await (const _ of source) schedule();
      })();
    }
  };
  const close = () => {
    for (const source of sources) void source.return?.();
    sources = [];
    clearTimeout(timer);
    timer = undefined;
  };

  return {
    subscribe(): AsyncIterableIterator<Tick> {
      return new Repeater<Tick>(async (push, stop) => {
        const listener = (tick: Tick) => void push(tick);
        listeners.add(listener);
        if (listeners.size === 1) open();
        await stop;
        listeners.delete(listener);
        if (listeners.size === 0) close();
      });
    },
  };
}
