/** Names seen so far: REST answers repeat the same few dozen keys in every object of a page. */
const snakeNames = new Map<string, string>();
/** Past this many distinct names the cache stops growing (keys inside JSON details are open-ended). */
const MAX_CACHED_NAMES = 10_000;

/** `hasNextPage` → `has_next_page`. */
export function snakeCase(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snakeNames.size < MAX_CACHED_NAMES) snakeNames.set(key, name);
  }
  return name;
}

/** Renames every object key to snake_case, deeply; values are left as they are. */
export function toSnakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toSnakeKeys(value[i]);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const renamed = toSnakeKeys((value as Record<string, unknown>)[key]);
      // A key named __proto__ (JSON details may hold one) stays a key, never the prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: renamed,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[snakeCase(key)] = renamed;
    }
    return out;
  }
  return value;
}
