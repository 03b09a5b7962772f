import { describe, expect, it } from 'vitest';
import { CookieJar, loginThroughDevIssuer } from '../../../support/browser-flow.ts';
import { useTestServer } from '../../../support/server.ts';
import { collect, subscribed } from '../../../support/ws.ts';

describe('operator login through OIDC (dev issuer, real redirect flow)', () => {
  const server = useTestServer();

  const me = async (jar: CookieJar, extra: Record<string, string> = {}) => {
    const res = await jar.fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extra },
      body: JSON.stringify({ query: '{ me { email role authenticatedBy } }' }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('logs in with PKCE, state and nonce, sets an httpOnly SameSite=Lax cookie, and lands on return_to', async () => {
    const jar = new CookieJar();
    const redirect = await jar.fetch(`${server.url}/auth/login?return_to=/ui/tenants`);
    expect(redirect.status).toBe(302);
    const authorize = new URL(redirect.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();

    const fresh = new CookieJar();
    const { res, url } = await loginThroughDevIssuer(fresh, server.url, 'alice');
    expect(url).toBe(`${server.url}/ui/tenants`);
    expect(res.status).not.toBe(400);
    const { status, body } = await me(fresh);
    expect(status).toBe(200);
    expect(body.data.me).toEqual({ email: 'alice@justiam.local', role: 'ADMIN', authenticatedBy: 'session' });
  });

  it('maps the groups claim to roles: a user outside the admin group is a viewer', async () => {
    const jar = new CookieJar();
    await loginThroughDevIssuer(jar, server.url, 'viewer-bob');
    expect((await me(jar)).body.data.me.role).toBe('VIEWER');
  });

  it('sets the session cookie httpOnly and SameSite=Lax', async () => {
    const jar = new CookieJar();
    const { res: form, url: formUrl } = await jar.follow(`${server.url}/auth/login`);
    const action = /<form[^>]*action="([^"]+)"/.exec(await form.text())![1]!;
    let res = await jar.fetch(new URL(action, formUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'prompt=login&login=carol&password=x',
    });
    let current = new URL(action, formUrl).href;
    let cookieLine: string | undefined;
    while (res.status >= 300 && res.status < 400) {
      current = new URL(res.headers.get('location')!, current).href;
      res = await jar.fetch(current);
      cookieLine ??= res.headers.getSetCookie().find((c) => c.startsWith('cp_session='));
    }
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
    expect(cookieLine).not.toMatch(/Secure/);
  });

  it('logout ends the session server-side: replaying the old cookie fails', async () => {
    const jar = new CookieJar();
    await loginThroughDevIssuer(jar, server.url, 'dave');
    const cookie = jar.get(server.url, 'cp_session')!;
    expect((await me(jar)).status).toBe(200);

    const withoutCsrf = await jar.fetch(`${server.url}/auth/logout`, { method: 'POST' });
    expect(withoutCsrf.status).toBe(403);

    const out = await jar.fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    expect(out.status).toBe(200);
    expect(((await out.json()) as { end_session_url: string }).end_session_url).toMatch(/\/session\/end/);
    const replay = new CookieJar();
    replay.set(server.url, 'cp_session', cookie);
    const { status, body } = await me(replay);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('closes a live subscription when its session ends', async () => {
    const jar = new CookieJar();
    await loginThroughDevIssuer(jar, server.url, 'erin');
    const cookie = jar.get(server.url, 'cp_session')!;
    const { default: WebSocket } = await import('ws');
    const client = (await import('graphql-ws')).createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { cookie: `cp_session=${cookie}` } });
        }
      },
      retryAttempts: 0,
    });
    const sub = collect(client, 'subscription { auditEvents { action } }');
    await subscribed(server.services.bus, 'audit.recorded');
    expect(sub.failure).toBeUndefined();
    await jar.fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1' } });
    await expect
      .poll(() => (sub.failure as { code?: number } | undefined)?.code, { timeout: 5000 })
      .toBe(4401);
    await client.dispose();
  });

  it('cookie-authenticated mutations need the CSRF header or a same-origin Origin; bearer ones do not', async () => {
    const jar = new CookieJar();
    await loginThroughDevIssuer(jar, server.url, 'frank');
    const mutation = JSON.stringify({
      query: 'mutation { updateAlertSettings(input: {dailyReports: true}) { __typename } }',
    });
    const post = (headers: Record<string, string>) =>
      jar.fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: mutation,
      });
    const bare = await post({});
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as any).errors[0].message).toMatch(/cross-site request refused/);
    expect((await post({ 'x-graphql-yoga-csrf': '1' })).status).toBe(200);
    expect((await post({ origin: server.url })).status).toBe(200);
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    // REST writes likewise.
    const rest = await jar.fetch(`${server.url}/settings/alerts`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ daily_reports: false }),
    });
    expect(rest.status).toBe(403);
    const bearer = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: mutation,
    });
    expect(bearer.status).toBe(200);
  });

  it('refuses a callback with an unknown state or a replayed code: 400 and no session', async () => {
    const jar = new CookieJar();
    const { callbackUrl } = await loginThroughDevIssuer(jar, server.url, 'grace');
    expect(callbackUrl).toBeTruthy();
    // Replaying the same callback (same code and state) fails: the state was used up.
    const replayJar = new CookieJar();
    const replay = await replayJar.fetch(callbackUrl!);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as any).error.message).toMatch(
      /unknown, expired or already used login state/,
    );
    expect(replayJar.get(server.url, 'cp_session')).toBeUndefined();

    const forged = await new CookieJar().fetch(`${server.url}/auth/callback?code=abc&state=made-up`);
    expect(forged.status).toBe(400);
    const missing = await new CookieJar().fetch(`${server.url}/auth/callback`);
    expect(missing.status).toBe(400);

    const audit = await fetch(`${server.url}/audit?action=auth.*`, { headers: server.headers });
    const actions = ((await audit.json()) as { entries: { action: string }[] }).entries.map((e) => e.action);
    expect(actions).toContain('auth.login');
    expect(actions).toContain('auth.login_failed');
    expect(actions).toContain('auth.logout');
  });

  it('never redirects off-site after login', async () => {
    const jar = new CookieJar();
    const res = await jar.fetch(`${server.url}/auth/login?return_to=//evil.example/x`);
    const state = new URL(res.headers.get('location')!).searchParams.get('state')!;
    const row = await server.services.db
      .selectFrom('auth_requests')
      .select('return_to')
      .where('state', '=', state)
      .executeTakeFirstOrThrow();
    expect(row.return_to).toBe('/ui/');
  });
});
