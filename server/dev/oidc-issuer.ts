import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { escapeHtml, renderPage, sendPage } from '../http/pages.ts';
import type { Logger } from '../log.ts';

/** Where the development issuer is mounted on the control plane's own HTTP server. */
export const DEV_ISSUER_PATH = '/dev-oidc';
export const DEV_CLIENT_ID = 'justiam-cp-dev';

export type DevIssuer = {
  /** The issuer identifier: `PUBLIC_URL/dev-oidc`, where browsers reach it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Serves a request under `/dev-oidc/`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

const LOGIN_NAME = /^[A-Za-z0-9._@+-]{1,100}$/;
const MAX_FORM_BYTES = 4096;

/**
 * The development OIDC issuer (oidc-provider), used when OIDC_ISSUER is unset. It is mounted on the
 * control plane's own server under `/dev-oidc/`, so sign-in works wherever the UI is reachable with
 * the one port published. Anyone signs in with any name: the name becomes the operator
 * (`name@justiam.local` unless it is an email), with the admin group unless it starts with
 * "viewer". Consent is implied for the control plane's client. Its pages are the control plane's
 * own (server/http/pages.ts) and load nothing from elsewhere. They go out under the policy every
 * answer carries (server/http/security-headers.ts); oidc-provider adds to it the hash of the one
 * inline script it writes itself (the self-submitting form_post page).
 */
export async function createDevIssuer(options: {
  publicUrl: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  adminGroup: string;
  logger: Logger;
}): Promise<DevIssuer> {
  const { default: Provider } = await import('oidc-provider');
  const issuer = `${options.publicUrl}${DEV_ISSUER_PATH}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'dev' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: clientSecret,
        client_name: 'JustIAM Control Plane',
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // Put the claims in the ID token itself, as many enterprise issuers do for groups.
    conformIdTokenClaims: false,
    interactions: { url: (_ctx, interaction) => `${DEV_ISSUER_PATH}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = renderPage(
            'Sign out',
            `<h1>Sign out</h1>
<p>You left the control plane. Sign out of the development sign-in as well, so the next sign-in asks for a name again.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = renderPage('Signed out', '<h1>Signed out</h1><p>You are signed out.</p>');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderPage(
        'Sign-in error',
        `<h1>The sign-in did not work</h1>
<p class="error">${escapeHtml(String(out.error_description ?? out.error ?? 'unknown error'))}</p>
<a class="button" href="/ui/">Back to the control plane</a>`,
      );
    },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => {
        const email = id.includes('@') ? id : `${id}@justiam.local`;
        return {
          sub: id,
          email,
          email_verified: true,
          name: id.split('@')[0],
          groups: id.startsWith('viewer') ? [] : [options.adminGroup],
        };
      },
    }),
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const clientId = ctx.oidc.client!.clientId;
      const existing = ctx.oidc.session!.grantIdFor(clientId);
      if (existing) return Grant.find(existing);
      const grant = new Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  // Behind a TLS-terminating proxy the request arrives as http: trust its forwarded protocol.
  provider.proxy = options.publicUrl.startsWith('https:');
  provider.on('server_error', (_ctx, error) => options.logger.warn({ err: error }, 'dev OIDC issuer error'));
  const callback = provider.callback();

  /** The login form of one interaction, and its submission. */
  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, submitted: boolean) {
    let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendPage(
        res,
        400,
        'Sign-in expired',
        '<h1>This sign-in has expired</h1><p>Start again from the control plane.</p><a class="button" href="/ui/">Sign in</a>',
      );
      return;
    }
    if (details.uid !== uid) {
      sendPage(
        res,
        400,
        'Sign-in error',
        '<h1>This sign-in does not match</h1><a class="button" href="/ui/">Sign in</a>',
      );
      return;
    }
    if (!submitted) {
      sendPage(res, 200, 'Sign in', loginForm(uid));
      return;
    }
    const login = new URLSearchParams(await readForm(req)).get('login')?.trim() ?? '';
    if (!LOGIN_NAME.test(login)) {
      sendPage(
        res,
        400,
        'Sign in',
        loginForm(uid, 'Use 1–100 letters, digits or . _ @ + - (an email address works).', login),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    clientId: DEV_CLIENT_ID,
    clientSecret,
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname.slice(DEV_ISSUER_PATH.length) || '/';
      const match = /^\/interaction\/([A-Za-z0-9_-]{1,100})(\/login)?$/.exec(path);
      if (match) {
        const submitted = Boolean(match[2]);
        if (submitted && req.method !== 'POST') {
          res.writeHead(405, { allow: 'POST' }).end();
          return;
        }
        await interaction(req, res, match[1]!, submitted);
        return;
      }
      // Mounted as express would mount it: the prefix moves to originalUrl, from which
      // oidc-provider builds its own URLs.
      Object.assign(req, { originalUrl: req.url });
      req.url = req.url!.slice(DEV_ISSUER_PATH.length) || '/';
      await callback(req, res);
    },
  };
}

function loginForm(uid: string, problem?: string, login = ''): string {
  return `<h1>Sign in</h1>
<div class="notice">This is the <strong>development sign-in</strong>, built into the control plane because
<code>OIDC_ISSUER</code> is not set. Any name signs in; names starting with <code>viewer</code> get the
viewer role, all others are admins. It is refused in production.</div>
<form method="post" action="${escapeHtml(`${DEV_ISSUER_PATH}/interaction/${uid}/login`)}">
<label for="login">Name or email</label>
<input id="login" name="login" type="text" autocomplete="username" autofocus required maxlength="100" value="${escapeHtml(login)}"${problem ? ' aria-describedby="problem" aria-invalid="true"' : ''}>
${problem ? `<p id="problem" class="error">${escapeHtml(problem)}</p>` : ''}
<button type="submit">Sign in</button>
</form>`;
}

async function readForm(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return '';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
