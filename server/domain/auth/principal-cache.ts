import type { Principal } from './principal.ts';

/**
 * What ended or changed credentials: the `auth.revoked` event's payload. `all` (a table emptied
 * with TRUNCATE) ends every credential.
 */
export type Revocation = { kind: 'session' | 'token' | 'operator' | 'all'; id: string };

const KINDS: ReadonlySet<unknown> = new Set(['session', 'token', 'operator', 'all']);

/** Whether an event's payload is a revocation (anything can NOTIFY on the channel). */
export function isRevocation(value: unknown): value is Revocation {
  const candidate = value as Partial<Revocation> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    KINDS.has(candidate.kind) &&
    typeof candidate.id === 'string'
  );
}

export type PrincipalCache = {
  /**
   * The principal cached for `key` (a credential's hash), when it is still good at `now`: cached
   * less than the TTL ago, the credential not expired, and the event connection the entry was
   * checked under still the one listening.
   */
  get(key: string, now: Date): Principal | undefined;
  /**
   * Resolves `key` from the database with `load` and caches a principal it finds until the TTL
   * ends or `until` (when the credential stops being good), unless a revocation arrived while it
   * was being read or the event connection is down.
   */
  resolve(
    key: string,
    now: Date,
    load: () => Promise<{ principal: Principal; until: Date } | null>,
  ): Promise<Principal | null>;
  /** Drops what a revocation touches: one session or token, every credential of an operator, or all. */
  revoke(revocation: Revocation): void;
  readonly size: number;
};

type Entry = { principal: Principal; since: number; until: number; epoch: number };

/**
 * Principals behind bearer tokens and session cookies, kept for a few seconds so that a client
 * making many requests reads its credential once per TTL rather than once per request.
 *
 * Safe because revocation reaches every replica as an event: ending a session, revoking or
 * deleting a token and changing or deleting an operator publish `auth.revoked` from database
 * triggers (so a change made with SQL counts too), and each replica drops what it touches. Events
 * can be missed only while the LISTEN connection is down, so an entry is only used under the
 * connection it was checked under (`listening()` is that connection's number, `undefined` while
 * there is none), and nothing is cached without one. A read that a revocation overtook is not
 * cached. What is left is a connection that stalls without failing: the TTL bounds that.
 */
export function createPrincipalCache(options: {
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  max: number;
  /** The number of the event connection listening now; undefined while it is down. */
  listening: () => number | undefined;
}): PrincipalCache {
  const { ttlMs, max, listening } = options;
  const entries = new Map<string, Entry>();
  /** The keys cached for a credential id and for an operator id: a revocation finds them directly. */
  const byId = new Map<string, Set<string>>();
  /** Counts revocations: a read that started before one must not be cached after it. */
  let revocations = 0;

  const ids = (principal: Principal) => [`c:${principal.via.id}`, `o:${principal.operator.id}`];
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const id of ids(entry.principal)) {
      const keys = byId.get(id);
      keys?.delete(key);
      if (keys?.size === 0) byId.delete(id);
    }
  };
  const get = (key: string, now: Date): Principal | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    // A clock set back does not stretch an entry's life.
    const at = now.getTime();
    if (entry.until <= at || at < entry.since || entry.epoch !== listening()) {
      drop(key);
      return undefined;
    }
    return entry.principal;
  };

  return {
    get,
    async resolve(key, now, load) {
      const cached = get(key, now);
      if (cached) return cached;
      const epoch = listening();
      const seen = revocations;
      const found = await load();
      if (!found) return null;
      const { principal } = found;
      if (epoch === undefined || seen !== revocations || epoch !== listening()) return principal;
      drop(key);
      if (entries.size >= max) drop(entries.keys().next().value as string);
      const since = now.getTime();
      entries.set(key, { principal, since, until: Math.min(since + ttlMs, found.until.getTime()), epoch });
      for (const id of ids(principal)) {
        const keys = byId.get(id) ?? new Set<string>();
        keys.add(key);
        byId.set(id, keys);
      }
      return principal;
    },
    revoke({ kind, id }) {
      revocations += 1;
      if (kind === 'all') {
        entries.clear();
        byId.clear();
        return;
      }
      for (const key of [...(byId.get(`${kind === 'operator' ? 'o' : 'c'}:${id}`) ?? [])]) drop(key);
    },
    get size() {
      return entries.size;
    },
  };
}
