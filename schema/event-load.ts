import { initContextCache } from '@pothos/core';

const loaded = new WeakMap<object, Promise<unknown>>();

/**
 * Loads what an event points at once per event, however many subscribers receive it: the bus hands
 * the same payload object to every local subscriber, so a thousand subscriptions to one change
 * cost one query, not a thousand. Entries go when the event is garbage.
 */
export function loadOncePerEvent<T>(event: object, load: () => Promise<T>): Promise<T> {
  let pending = loaded.get(event) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    loaded.set(event, pending);
  }
  return pending;
}

/**
 * A subscription keeps one context for all its events, and dataloaders live on the context: give
 * each event a fresh cache, or nested fields would show what the first event loaded.
 */
export function freshLoadersPerEvent(ctx: object): void {
  Object.assign(ctx, initContextCache());
}
