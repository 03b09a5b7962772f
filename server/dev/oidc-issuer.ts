import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { listen } from '../http/listen.ts';
import type { Logger } from '../log.ts';

export type DevIssuer = { url: string; clientId: string; clientSecret: string; stop(): Promise<void> };

export const DEV_CLIENT_ID = 'justiam-cp-dev';

/**
 * The development OIDC issuer (oidc-provider), started when OIDC_ISSUER is unset. It signs in
 * anyone with any password: the login name becomes the operator (`name@justiam.local` unless it
 * is an email), with the admin group unless the name starts with "viewer". Consent is implied for
 * the control plane's client, so the flow is login form → back to the control plane.
 */
export async function startDevIssuer(options: {
  port: number;
  redirectUri: string;
  postLogoutRedirectUri: string;
  adminGroup: string;
  logger: Logger;
}): Promise<DevIssuer> {
  const { default: Provider } = await import('oidc-provider');
  const server = createServer();
  const { url } = await listen(server, options.port, '127.0.0.1');
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'dev' };

  const provider = new Provider(url, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: clientSecret,
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
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
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
  // oidc-provider is noisy about its development defaults; we chose them on purpose.
  provider.on('server_error', (_ctx, error) => options.logger.warn({ err: error }, 'dev OIDC issuer error'));
  server.on('request', provider.callback());

  return {
    url,
    clientId: DEV_CLIENT_ID,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
