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
