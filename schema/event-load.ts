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
