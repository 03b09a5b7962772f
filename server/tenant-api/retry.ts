import type { TenantApiErrorKind } from './errors.ts';

/**
 * Whether a failed attempt is worth repeating. Only for idempotent calls (every tenant API call
 * is): lost connections, timeouts, 429 and 5xx may pass; other 4xx will not change on a retry,
 * nor will 501 (the backend lacks the endpoint) or a reply that breaks the contract.
 */
export function isRetryable(failure: { kind: TenantApiErrorKind; status?: number }): boolean {
  switch (failure.kind) {
    case 'network':
    case 'timeout':
      return true;
    case 'http':
      return (
        failure.status === 429 ||
        (failure.status !== undefined && failure.status >= 500 && failure.status !== 501)
      );
    case 'invalid-response':
      return false;
  }
}

/**
 * The wait before retry number `retry` (0 for the first retry): exponential from `baseMs`, capped
 * at `maxMs`, with "equal jitter" (half fixed, half random) so tenants failing together do not
 * retry in lockstep. A `Retry-After` from the backend raises the wait, within the same cap.
 */
export function backoffDelay(
  retry: number,
  options: { baseMs: number; maxMs: number; retryAfterMs?: number; random?: () => number },
): number {
  const random = options.random ?? Math.random;
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  const jittered = exponential / 2 + (exponential / 2) * random();
  const wanted = Math.max(jittered, options.retryAfterMs ?? 0);
  return Math.round(Math.min(options.maxMs, wanted));
}

/** Reads a `Retry-After` header (seconds or an HTTP date) as milliseconds from `nowMs`. */
export function parseRetryAfter(header: string | null, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
