import * as oidc from 'openid-client';
import type { Logger } from '../log.ts';

export type SignInState = 'pending' | 'ready' | 'unavailable';

/** Where discovery starts, and how long it waits for the issuer. */
const DISCOVERY_TIMEOUT_SECONDS = 5;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** Metadata (and with it the issuer's keys' address) is read again this often while things work. */
export const REDISCOVER_MS = 15 * 60_000;

/**
 * The control plane's OIDC client configuration, kept current. Discovery runs in the background:
 * an identity provider that is down at start-up, or goes down later, makes sign-in unavailable
 * (the state says so, with the error) but never stops the process, and is retried with backoff.
 * Sessions and API tokens do not need the issuer, so the rest of the control plane keeps serving.
 */
export type OidcClient = {
  state(): SignInState;
  /** The configuration to sign in with; undefined unless the state is `ready`. */
  current(): oidc.Configuration | undefined;
  /** Why sign-in is unavailable: the issuer and the last error, for answers and logs. */
  problem(): string | undefined;
  /** Resolves once the first discovery attempt has ended, whatever its outcome. */
  readonly settled: Promise<void>;
  /** Discovers again now (e.g. after a token signed with a key we did not know). */
  refresh(): void;
  stop(): void;
};

/**
 * Keeps `discover()` fresh: at once, then every {@link REDISCOVER_MS}; after a failure again in
 * 1 s, 2 s, 4 s … up to a minute. A failure after success keeps the last good configuration (a
 * briefly unreachable issuer does not end sign-in that still works), and logs it.
 */
export function createOidcClient(options: {
  issuer: string;
  discover: () => Promise<oidc.Configuration>;
  logger: Logger;
}): OidcClient {
  const { issuer, logger } = options;
  let state: SignInState = 'pending';
  let config: oidc.Configuration | undefined;
  let lastError: string | undefined;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let markSettled!: () => void;
  const settled = new Promise<void>((resolve) => {
    markSettled = resolve;
  });

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, ms).unref();
  };

  function run(): Promise<void> {
    running ??= (async () => {
      try {
        config = await options.discover();
        if (state !== 'ready') logger.info({ issuer }, 'OIDC issuer discovered: sign-in is available');
        state = 'ready';
        lastError = undefined;
        failures = 0;
        schedule(REDISCOVER_MS);
      } catch (error) {
        failures++;
        lastError = (error as Error).message;
        const retryMs = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
        // The last good configuration stays in use; without one, sign-in is unavailable.
        if (!config) state = 'unavailable';
        logger.warn(
          { issuer, err: lastError, retryInMs: retryMs, signIn: state },
          config
            ? 'OIDC rediscovery failed; signing in with the last metadata'
            : 'OIDC issuer is unreachable: sign-in is unavailable until it answers',
        );
        schedule(retryMs);
      } finally {
        running = undefined;
        markSettled();
      }
    })();
    return running;
  }
  void run();

  return {
    state: () => state,
    current: () => (state === 'ready' ? config : undefined),
    problem: () =>
      state === 'ready'
        ? undefined
        : `the identity provider ${issuer} ${lastError ? `is unavailable (${lastError})` : 'is not connected yet'}`,
    settled,
    refresh() {
      void run();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Discovery of a configured issuer, over the network as any client does it. */
export function discoverIssuer(issuer: { url: string; clientId: string; clientSecret: string | undefined }) {
  const insecure = issuer.url.startsWith('http:');
  return () =>
    oidc.discovery(new URL(issuer.url), issuer.clientId, issuer.clientSecret, undefined, {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
}

/**
 * Discovery of the embedded development issuer, whose identifier is `PUBLIC_URL/dev-oidc`. The
 * control plane reads its metadata, keys and tokens over loopback (`internalUrl`), which works
 * even where PUBLIC_URL is not reachable from inside (a forwarded port, a container), and sends
 * browsers to the authorization and end-session endpoints at PUBLIC_URL.
 */
export function discoverEmbeddedIssuer(options: {
  issuer: string;
  publicUrl: string;
  internalUrl: string;
  clientId: string;
  clientSecret: string;
}) {
  const internalIssuer = options.issuer.replace(options.publicUrl, options.internalUrl);
  return async () => {
    const res = await fetch(`${internalIssuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_SECONDS * 1000),
    });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const metadata = (await res.json()) as oidc.ServerMetadata;
    if (metadata.issuer !== options.issuer) {
      throw new Error(`discovery names issuer ${metadata.issuer}, expected ${options.issuer}`);
    }
    // Endpoints come back on the origin the metadata was read from: browsers get PUBLIC_URL's.
    const toPublic = (url: string | undefined) =>
      url?.startsWith(options.internalUrl)
        ? `${options.publicUrl}${url.slice(options.internalUrl.length)}`
        : url;
    const browserFacing = {
      authorization_endpoint: toPublic(metadata.authorization_endpoint),
      end_session_endpoint: toPublic(metadata.end_session_endpoint),
    };
    const config = new oidc.Configuration(
      { ...metadata, ...browserFacing },
      options.clientId,
      options.clientSecret,
    );
    oidc.allowInsecureRequests(config);
    return config;
  };
}
