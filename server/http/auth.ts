import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import * as oidc from 'openid-client';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { createDevIssuer, DevIssuer } from '../dev/oidc-issuer.ts';
import { ANONYMOUS_ACTOR } from '../domain/actor.ts';
import { record } from '../domain/audit/record.ts';
import { sha256 } from '../domain/auth/hash.ts';
import { roleFromClaims, upsertOperator } from '../domain/auth/operators.ts';
import { actorOf, type Principal } from '../domain/auth/principal.ts';
import { createPrincipalCache, isRevocation, type Revocation } from '../domain/auth/principal-cache.ts';
import { checkSession, createSession, endSession, resolveSession } from '../domain/auth/sessions.ts';
import { resolveApiToken } from '../domain/auth/tokens.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { readSessionCookie, sessionCookie } from './cookies.ts';
import {
  createOidcClient,
  discoverEmbeddedIssuer,
  discoverIssuer,
  type OidcClient,
  type SignInState,
} from './oidc-client.ts';
import { escapeHtml, PAGE_CSS, PAGE_CSS_PATH, sendPage } from './pages.ts';
import { clientOf, createRateLimiter, RateLimited } from './rate-limit.ts';
import { requestIdOf } from './request-id.ts';
import { sendJson } from './respond.ts';

const LOGIN_REQUEST_TTL_MS = 10 * 60_000;
/** Credentials cached at most, per replica (an entry is a few hundred bytes). */
const CACHED_CREDENTIALS = 10_000;
/** Per client and minute, on each replica. */
const SIGN_INS_PER_MINUTE = 30;
const FAILED_TOKENS_PER_MINUTE = 20;

export type AuthService = {
  /**
   * The principal behind a request's bearer token or session cookie, or null. With `client` (the
   * peer address), failed token checks are counted: past the limit that client's bearer requests
   * are refused with {@link RateLimited} until its window ends.
   */
  authenticate(
    headers: IncomingHttpHeaders | Record<string, unknown>,
    client?: string,
  ): Promise<Principal | null>;
  /**
   * Stops trusting a credential on this replica at once, for the request that ended it: other
   * replicas hear of it from the `auth.revoked` event the database sends on commit.
   */
  forget(revocation: Revocation): void;
  /**
   * Whether a cookie-authenticated write may proceed: it carries yoga's CSRF header or comes from
   * our own origin. Browsers never add either to a cross-site form post.
   */
  csrfOk(headers: IncomingHttpHeaders): boolean;
  /**
   * Whether a browser page of this origin may use the operator's session cookie on a WebSocket:
   * the control plane's own origin, or one listed in CORS_ORIGINS. No Origin (not a browser) passes.
   */
  cookieOriginOk(origin: string | undefined): boolean;
  /** Serves /auth/login, /auth/callback and /auth/logout; null for other paths. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string | null>;
  /**
   * Connects to the issuer once the public URL is known (after listening), waiting for the first
   * discovery attempt; an issuer that does not answer leaves sign-in unavailable, not the process.
   * `internalUrl` reaches this server over loopback (for the embedded development issuer).
   */
  configure(publicUrl: string, internalUrl: string): Promise<void>;
  /** Whether operators can sign in now, and why not. */
  signIn(): { state: SignInState; issuer: string; problem: string | undefined };
  /** What to show at start-up: where to log in. */
  describe(): string;
  stop(): Promise<void>;
};

/** Operator authentication: OIDC login with server-side sessions, and API tokens. */
export function createAuthService(deps: {
  config: Config;
  db: Db;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** The embedded stack's issuer, when OIDC_ISSUER is unset (never in production). */
  createDevIssuer?: typeof createDevIssuer | undefined;
}): AuthService {
  const { config, db, bus, logger, now } = deps;
  const policy = { ttlMs: config.auth.sessionTtlMs, idleMs: config.auth.sessionIdleMs };
  const limits = {
    /** Sign-in starts and callbacks per client: each stores a row or writes an audit entry. */
    signIn: createRateLimiter({ limit: SIGN_INS_PER_MINUTE, windowMs: 60_000 }),
    /** Bearer tokens that did not check out, per client: guessing must stay slow. */
    failedTokens: createRateLimiter({ limit: FAILED_TOKENS_PER_MINUTE, windowMs: 60_000 }),
  };
  // Every request carries a credential: checked once per AUTH_CACHE_MS, not once per request.
  // Followed from the first credential checked (creating the service starts nothing); nothing is
  // cached unless they are followed.
  let revocations: AsyncIterableIterator<unknown> | undefined;
  const cache = createPrincipalCache({
    ttlMs: config.auth.cacheMs,
    max: CACHED_CREDENTIALS,
    listening: () => (config.auth.cacheMs > 0 && revocations ? bus.listening() : undefined),
  });
  const followRevocations = () => {
    if (revocations) return;
    const events: AsyncIterableIterator<unknown> = bus.subscribe('auth.revoked');
    revocations = events;
    void (async () => {
      try {
        // Anyone who can connect to the database can NOTIFY: a payload of another shape is ignored.
        for await (const event of events) {
          if (isRevocation(event)) cache.revoke(event);
          else logger.warn({ topic: 'auth.revoked' }, 'ignored an auth.revoked event of unknown shape');
        }
      } catch (error) {
        logger.error(
          { err: error },
          'following auth.revoked failed; credentials are read on every request until it resumes',
        );
      } finally {
        // Whatever ended the loop, nothing cached while it ran is trusted any more.
        if (revocations === events) revocations = undefined;
        cache.revoke({ kind: 'all', id: '' });
      }
    })();
  };
  let oidcClient: OidcClient | undefined;
  let devIssuer: DevIssuer | undefined;
  let issuerUrl = config.auth.issuer?.url ?? '';
  let publicUrl = '';
  let issuerNote = '';
  const secureCookie = () => publicUrl.startsWith('https:');

  async function authenticate(
    headers: IncomingHttpHeaders | Record<string, unknown>,
    client?: string,
  ): Promise<Principal | null> {
    followRevocations();
    const authorization = headers.authorization ?? headers.Authorization;
    if (typeof authorization === 'string' && authorization.trim() !== '') {
      const blocked = client === undefined ? undefined : limits.failedTokens.blocked(client);
      if (blocked) {
        throw new RateLimited(
          'too many failed token checks from this address; wait and try again',
          blocked.retryAfterSeconds,
        );
      }
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      const token = match?.[1];
      const at = now();
      const principal = token
        ? await cache.resolve(`token:${sha256(token)}`, at, async () => {
            const found = await resolveApiToken(db, token, at);
            return found && { principal: found, until: found.via.expiresAt };
          })
        : null;
      if (!principal && client !== undefined) limits.failedTokens.take(client);
      return principal;
    }
    const cookie = typeof headers.cookie === 'string' ? headers.cookie : undefined;
    const session = readSessionCookie(cookie, secureCookie());
    if (!session) return null;
    const at = now();
    return cache.resolve(`session:${sha256(session)}`, at, () => checkSession(db, session, policy, at));
  }

  function csrfOk(headers: IncomingHttpHeaders): boolean {
    if (headers['x-graphql-yoga-csrf'] !== undefined) return true;
    const origin = headers.origin;
    return typeof origin === 'string' && publicUrl !== '' && origin === new URL(publicUrl).origin;
  }

  function cookieOriginOk(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    return (publicUrl !== '' && origin === new URL(publicUrl).origin) || config.corsOrigins.includes(origin);
  }

  function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}) {
    res.writeHead(302, { location, 'cache-control': 'no-store', ...headers }).end();
  }

  /**
   * Sign-in cannot start or finish now (discovery pending, or the issuer down): 503 with a
   * Retry-After and the reason, as a page for browsers and JSON for the rest. Never a 500.
   */
  function unavailable(req: IncomingMessage, res: ServerResponse) {
    const pending = oidcClient?.state() !== 'unavailable';
    const problem = oidcClient?.problem() ?? `the identity provider ${issuerUrl} is not connected yet`;
    const headers = { 'retry-after': pending ? '2' : '30' };
    const message = `sign-in is unavailable: ${problem}; API tokens keep working`;
    if (/text\/html/.test(req.headers.accept ?? '')) {
      sendPage(
        res,
        503,
        'Sign-in unavailable',
        `<h1>Sign-in is unavailable</h1><p>${escapeHtml(problem)}.</p>
<p>The control plane keeps running and tries again on its own; reload this page in a moment.</p>`,
        headers,
      );
      return;
    }
    sendJson(res, 503, { error: { code: 'SIGN_IN_UNAVAILABLE', message } }, headers);
  }

  async function login(req: IncomingMessage, res: ServerResponse, url: URL) {
    const client = oidcClient?.current();
    if (!client) return unavailable(req, res);
    const returnTo = safeReturnTo(url.searchParams.get('return_to'));
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    // Old, never-finished logins are cleared as new ones start.
    await db
      .deleteFrom('auth_requests')
      .where('created_at', '<', new Date(now().getTime() - LOGIN_REQUEST_TTL_MS))
      .execute();
    await db
      .insertInto('auth_requests')
      .values({ state, code_verifier: verifier, nonce, return_to: returnTo, created_at: now() })
      .execute();
    const target = oidc.buildAuthorizationUrl(client, {
      redirect_uri: `${publicUrl}/auth/callback`,
      scope: config.auth.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    redirect(res, target.href);
  }

  async function failLogin(req: IncomingMessage, res: ServerResponse, given: string) {
    // The reason can carry what the caller sent (an error parameter): plain text, bounded.
    const reason = given.replace(/\p{Cc}+/gu, ' ').slice(0, 200);
    const call = { actor: ANONYMOUS_ACTOR, requestId: requestIdOf(req) };
    await db.transaction().execute((trx) => record(trx, bus, call, 'auth.login_failed', null, { reason }));
    sendJson(res, 400, { error: { code: 'LOGIN_FAILED', message: `login failed: ${reason}` } });
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL) {
    const client = oidcClient?.current();
    if (!client) return unavailable(req, res);
    const state = url.searchParams.get('state');
    if (url.searchParams.get('error'))
      return failLogin(req, res, `the identity provider answered ${url.searchParams.get('error')}`);
    if (!state || !url.searchParams.get('code'))
      return failLogin(req, res, 'the callback lacks code or state');
    // Single use: the row goes as it is read, so a replayed callback finds nothing.
    const pending = await db
      .deleteFrom('auth_requests')
      .where('state', '=', state)
      .returningAll()
      .executeTakeFirst();
    if (!pending || pending.created_at.getTime() < now().getTime() - LOGIN_REQUEST_TTL_MS) {
      return failLogin(req, res, 'unknown, expired or already used login state');
    }
    let claims: Record<string, unknown>;
    try {
      const current = new URL(`${publicUrl}/auth/callback${url.search}`);
      const tokens = await oidc.authorizationCodeGrant(client, current, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      claims = { ...(tokens.claims() ?? {}) };
      if (!(config.auth.roleClaim in claims) && tokens.access_token) {
        Object.assign(claims, await oidc.fetchUserInfo(client, tokens.access_token, String(claims.sub)));
      }
    } catch (error) {
      logger.warn({ err: error }, 'OIDC code exchange failed');
      // A token signed with a key we do not know, or an endpoint that moved: read the metadata again.
      oidcClient?.refresh();
      return failLogin(req, res, `the identity provider refused the code (${(error as Error).message})`);
    }
    const role = roleFromClaims(claims, {
      claim: config.auth.roleClaim,
      adminValues: config.auth.adminValues,
      defaultRole: config.auth.defaultRole,
    });
    const issuer = client.serverMetadata().issuer;
    const at = now();
    const { cookie, principalLabel } = await db.transaction().execute(async (trx) => {
      const operator = await upsertOperator(
        trx,
        {
          issuer,
          subject: String(claims.sub),
          email: typeof claims.email === 'string' ? claims.email : null,
          name: typeof claims.name === 'string' ? claims.name : null,
          role,
        },
        at,
      );
      const value = await createSession(trx, operator.id, policy, at);
      const actor = actorOf({ operator, role, via: { kind: 'session', id: '', expiresAt: at } });
      await record(
        trx,
        bus,
        { actor, requestId: requestIdOf(req) },
        'auth.login',
        { kind: 'operator', id: operator.id },
        { issuer, role },
      );
      return { cookie: value, principalLabel: actor.label };
    });
    logger.info({ operator: principalLabel, role }, 'operator signed in');
    redirect(res, pending.return_to, {
      'set-cookie': sessionCookie(cookie, {
        secure: secureCookie(),
        maxAgeSeconds: Math.floor(policy.ttlMs / 1000),
      }),
    });
  }

  async function logout(req: IncomingMessage, res: ServerResponse) {
    const value = readSessionCookie(req.headers.cookie, secureCookie());
    if (value && !csrfOk(req.headers)) {
      sendJson(res, 403, {
        error: {
          code: 'CSRF',
          message: 'logout needs the x-graphql-yoga-csrf header or a same-origin request',
        },
      });
      return;
    }
    const principal = value ? await resolveSession(db, value, policy, now()) : null;
    if (value) {
      const ended = await db.transaction().execute(async (trx) => {
        const ended = await endSession(trx, value, now());
        if (ended && principal) {
          await record(
            trx,
            bus,
            { actor: actorOf(principal), requestId: requestIdOf(req) },
            'auth.logout',
            { kind: 'operator', id: principal.operator.id },
            {},
          );
        }
        return ended;
      });
      if (ended) cache.revoke({ kind: 'session', id: ended });
    }
    const client = oidcClient?.current();
    const endSessionUrl = client?.serverMetadata().end_session_endpoint
      ? oidc.buildEndSessionUrl(client, { post_logout_redirect_uri: `${publicUrl}/auth/signed-out` }).href
      : null;
    const clear = sessionCookie('', { secure: secureCookie(), maxAgeSeconds: 0 });
    if (/text\/html/.test(req.headers.accept ?? '') && endSessionUrl) {
      res.writeHead(303, { location: endSessionUrl, 'set-cookie': clear }).end();
      return;
    }
    sendJson(res, 200, { logged_out: true, end_session_url: endSessionUrl }, { 'set-cookie': clear });
  }

  return {
    authenticate,
    forget: (revocation) => cache.revoke(revocation),
    csrfOk,
    cookieOriginOk,
    async handle(req, res, url) {
      if ((url.pathname === '/auth/login' || url.pathname === '/auth/callback') && req.method === 'GET') {
        const allowed = limits.signIn.take(clientOf(req));
        if (!allowed.ok) {
          sendJson(
            res,
            429,
            {
              error: {
                code: 'RATE_LIMITED',
                message: 'too many sign-in attempts from this address; wait and try again',
              },
            },
            { 'retry-after': String(allowed.retryAfterSeconds) },
          );
          return url.pathname;
        }
      }
      if (url.pathname === '/auth/login' && req.method === 'GET') {
        await login(req, res, url);
        return '/auth/login';
      }
      if (url.pathname === '/auth/callback' && req.method === 'GET') {
        await callback(req, res, url);
        return '/auth/callback';
      }
      if (url.pathname === '/auth/signed-out' && req.method === 'GET') {
        sendPage(
          res,
          200,
          'Signed out',
          '<h1>You are signed out</h1><p>Your session has ended.</p><a class="button" href="/auth/login">Sign in again</a>',
        );
        return '/auth/signed-out';
      }
      if (url.pathname === PAGE_CSS_PATH && req.method === 'GET') {
        res
          .writeHead(200, {
            'content-type': 'text/css; charset=utf-8',
            'cache-control': 'public, max-age=3600',
          })
          .end(PAGE_CSS);
        return PAGE_CSS_PATH;
      }
      if (devIssuer && (url.pathname === '/dev-oidc' || url.pathname.startsWith('/dev-oidc/'))) {
        await devIssuer.handle(req, res);
        return '/dev-oidc';
      }
      if (url.pathname === '/auth/logout' && req.method === 'POST') {
        await logout(req, res);
        return '/auth/logout';
      }
      if (url.pathname.startsWith('/auth/')) {
        sendJson(res, 404, {
          error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` },
        });
        return 'unmatched';
      }
      return null;
    },
    async configure(url, internalUrl) {
      publicUrl = url.replace(/\/$/, '');
      const issuer = config.auth.issuer;
      if (issuer) {
        issuerNote = `issuer ${issuer.url}`;
        oidcClient = createOidcClient({ issuer: issuer.url, discover: discoverIssuer(issuer), logger });
      } else {
        if (!deps.createDevIssuer) throw new Error('OIDC_ISSUER is not set and no dev issuer was loaded');
        devIssuer = await deps.createDevIssuer({
          publicUrl,
          redirectUri: `${publicUrl}/auth/callback`,
          postLogoutRedirectUri: `${publicUrl}/auth/signed-out`,
          adminGroup: config.auth.adminValues[0] ?? 'justiam-admins',
          logger,
        });
        issuerUrl = devIssuer.issuer;
        issuerNote = `development sign-in at ${devIssuer.issuer}: any name signs in, names starting with "viewer" get the viewer role; set PUBLIC_URL to the address browsers use`;
        oidcClient = createOidcClient({
          issuer: devIssuer.issuer,
          discover: discoverEmbeddedIssuer({
            issuer: devIssuer.issuer,
            publicUrl,
            internalUrl,
            clientId: devIssuer.clientId,
            clientSecret: devIssuer.clientSecret,
          }),
          logger,
        });
      }
      await oidcClient.settled;
    },
    signIn: () => ({
      state: oidcClient?.state() ?? 'pending',
      issuer: issuerUrl,
      problem: oidcClient?.problem(),
    }),
    describe: () => `open ${publicUrl}/ui/ and sign in (${issuerNote})`,
    async stop() {
      await revocations?.return?.();
      oidcClient?.stop();
    },
  };
}

/** Only paths on this site: an open redirect through the login would be a phishing aid. */
function safeReturnTo(value: string | null): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/ui/';
  return value;
}
