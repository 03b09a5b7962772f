import { CloseCode } from 'graphql-ws';

/** The graphql-ws endpoint on the page's own origin: `wss:` behind HTTPS, `ws:` otherwise. */
export function graphqlWsUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/graphql`;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/**
 * How long to wait before reconnect attempt `retries` (0-based): exponential from half a second,
 * capped at 30 s, with jitter so a restarted API is not hit by every open browser at once.
 * `random` is injectable for tests; it must return a number in [0, 1).
 */
export function retryDelayMs(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, retries));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Close codes after which graphql-ws gives up instead of reconnecting (its own rules). */
const FATAL_CLOSES = new Set<number>([
  CloseCode.InternalServerError,
  CloseCode.InternalClientError,
  CloseCode.BadRequest,
  CloseCode.BadResponse,
  CloseCode.Unauthorized,
  CloseCode.SubprotocolNotAcceptable,
  CloseCode.SubscriberAlreadyExists,
  CloseCode.TooManyInitialisationRequests,
]);
/** Closes in the 1000s that are not the server's error: normal, going away, abnormal, restart… */
const RETRIED_CLOSES = new Set([1000, 1001, 1005, 1006, 1012, 1013, 1014]);

/**
 * Whether the socket client will try again after a close with `code`: not after the protocol's
 * fatal codes (4400, 4401, 4500…) nor an internal error of the WebSocket layer (1011, 1002…), after
 * which the page must be reloaded to be live again.
 */
export function willReconnect(code: number | undefined): boolean {
  if (code === undefined) return true;
  if (FATAL_CLOSES.has(code)) return false;
  if (code >= 1000 && code <= 1999) return RETRIED_CLOSES.has(code);
  return true;
}
