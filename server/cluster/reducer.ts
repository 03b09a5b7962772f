import type { KubernetesObject } from '@kubernetes/client-node';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Change<T> = { type: ChangeType; object: T };

/** Objects by uid, as an informer holds them. */
export type Cache<T> = Map<string, T>;

/**
 * Compares resource versions. Kubernetes calls them opaque, but every real API server (etcd's
 * revision) and the simulator issue increasing integers, and informers rely on that to drop
 * replays; anything non-numeric is treated as newer.
 */
export function isNewer(incoming: string | undefined, current: string | undefined): boolean {
  if (!incoming || !current || !/^\d+$/.test(incoming) || !/^\d+$/.test(current)) return true;
  return BigInt(incoming) > BigInt(current);
}

const uidOf = (o: KubernetesObject) => o.metadata?.uid ?? `${o.metadata?.namespace}/${o.metadata?.name}`;

/**
 * Applies one watch event to the cache and returns the change it made, or null when the event is
 * stale (an older resourceVersion than the cached one) or changes nothing.
 */
export function applyWatchEvent<T extends KubernetesObject>(
  cache: Cache<T>,
  type: ChangeType,
  object: T,
): Change<T> | null {
  const uid = uidOf(object);
  const cached = cache.get(uid);
  if (type === 'DELETED') {
    if (!cached) return null;
    cache.delete(uid);
    return { type, object };
  }
  if (cached && !isNewer(object.metadata?.resourceVersion, cached.metadata?.resourceVersion)) return null;
  cache.set(uid, object);
  return { type: cached ? 'MODIFIED' : 'ADDED', object };
}

/**
 * Replaces the cache with a fresh list and returns what changed since: objects that appeared, that
 * changed, and (as DELETED with their last known state) those that are gone.
 */
export function applyRelist<T extends KubernetesObject>(cache: Cache<T>, items: T[]): Change<T>[] {
  const changes: Change<T>[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const uid = uidOf(item);
    seen.add(uid);
    const cached = cache.get(uid);
    if (!cached) changes.push({ type: 'ADDED', object: item });
    else if (cached.metadata?.resourceVersion !== item.metadata?.resourceVersion)
      changes.push({ type: 'MODIFIED', object: item });
    cache.set(uid, item);
  }
  for (const [uid, object] of cache) {
    if (!seen.has(uid)) {
      cache.delete(uid);
      changes.push({ type: 'DELETED', object });
    }
  }
  return changes;
}
