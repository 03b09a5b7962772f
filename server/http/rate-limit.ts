/**
 * A fixed-window counter per client: at most `limit` events per `windowMs`. In memory, per
 * replica: it bounds what one client can make one replica do (sign-in attempts, token guesses),
 * which is what keeps a replica responsive; a fleet-wide budget is the ingress's job. At most
 * `maxClients` are remembered (the oldest window is dropped first), so a flood of addresses cannot
 * grow it without bound.
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxClients?: number;
  now?: () => number;
}) {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();

  function current(client: string) {
    const at = now();
    let window = windows.get(client);
    if (!window || at - window.start >= options.windowMs) {
      windows.delete(client);
      window = { start: at, count: 0 };
      windows.set(client, window);
      if (windows.size > maxClients) windows.delete(windows.keys().next().value!);
    }
    return window;
  }

  const retryAfter = (window: { start: number }) =>
    Math.max(1, Math.ceil((window.start + options.windowMs - now()) / 1000));

  return {
    /** Counts one event; `retryAfterSeconds` when it is over the limit (the event should be refused). */
    take(client: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const window = current(client);
      window.count++;
      return window.count <= options.limit
        ? { ok: true }
        : { ok: false, retryAfterSeconds: retryAfter(window) };
    },
    /** Whether the client is over the limit now, without counting anything. */
    blocked(client: string): { retryAfterSeconds: number } | undefined {
      const window = windows.get(client);
      if (!window || now() - window.start >= options.windowMs || window.count < options.limit)
        return undefined;
      return { retryAfterSeconds: retryAfter(window) };
    },
  };
}

/** A client past a limit: answered 429 with Retry-After, on every door. */
export class RateLimited extends Error {
  override name = 'RateLimited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Who a request comes from, for limits: the peer address. X-Forwarded-For is not trusted (anyone
 * can send it); behind an ingress every client shares its address, so the limits are generous.
 */
export function clientOf(req: { socket?: { remoteAddress?: string | undefined } }): string {
  return req.socket?.remoteAddress ?? 'unknown';
}
