import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../support/browser-flow.ts';
import { useTestServer } from '../../../support/server.ts';

const PUBLIC_URL = 'https://cp-tls.test';

/**
 * Behind a TLS-terminating proxy (PUBLIC_URL https, the proxy speaking http to the control plane
 * and saying so in X-Forwarded-Proto and -Host): the session cookie is `__Host-cp_session`, Secure, and the
 * unprefixed name is not read. The test plays the proxy: it sends every public URL to the server.
 */
describe('the session cookie when PUBLIC_URL is https', () => {
  const server = useTestServer({ PUBLIC_URL });
  const jar = new CookieJar();
  const local = (url: string) => url.replace(PUBLIC_URL, `http://127.0.0.1:${server.port}`);
  const viaProxy = (url: string, init: RequestInit = {}) =>
    jar.fetch(local(url), {
      ...init,
      headers: {
        ...init.headers,
        'x-forwarded-proto': 'https',
        'x-forwarded-host': new URL(PUBLIC_URL).host,
      },
    });
  const me = (cookie: string) =>
    fetch(local(`${PUBLIC_URL}/graphql`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });

  /** Follows redirects from `url`, resolving each against the public URL; returns the last answer and its URL. */
  const follow = async (first: Response, url: string) => {
    let res = first;
    let current = url;
    const cookies: string[] = [];
    while (res.status >= 300 && res.status < 400) {
      current = new URL(res.headers.get('location')!, current).href;
      res = await viaProxy(current);
      cookies.push(...res.headers.getSetCookie());
    }
    return { res, url: current, cookies };
  };

  it('signs in with a Secure __Host-cp_session cookie that only its own name reads, and signs out clearing it', async () => {
    const start = `${PUBLIC_URL}/auth/login?return_to=/ui/`;
    const { res: form, url: formUrl } = await follow(await viaProxy(start), start);
    const action = /<form[^>]*action="([^"]+)"/.exec(await form.text())![1]!;
    const submit = new URL(action, formUrl).href;
    const submitted = await viaProxy(submit, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=tls-admin',
    });
    const { url, cookies } = await follow(submitted, submit);
    expect(url).toBe(`${PUBLIC_URL}/ui/`);

    const line = cookies.find((c) => c.startsWith('__Host-cp_session='));
    expect(line).toBeDefined();
    const attributes = line!.split('; ').slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax', 'Secure']));
    expect(line).not.toMatch(/Domain=/i);
    expect(cookies.some((c) => c.startsWith('cp_session='))).toBe(false);

    const value = jar.get(local(PUBLIC_URL), '__Host-cp_session')!;
    expect((await me(`__Host-cp_session=${value}`)).status).toBe(200);
    // The same session under the name a sibling host or an http page could set is not read.
    expect((await me(`cp_session=${value}`)).status).toBe(401);

    const out = await viaProxy(`${PUBLIC_URL}/auth/logout`, {
      method: 'POST',
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-cp_session=; Path=\/; .*Max-Age=0; Secure$/),
    ]);
    expect((await me(`__Host-cp_session=${value}`)).status).toBe(401);
  });

  it('sends HSTS and names the wss: origin of PUBLIC_URL in connect-src', async () => {
    const res = await fetch(local(`${PUBLIC_URL}/auth/signed-out`));
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(res.headers.get('content-security-policy')).toMatch(/connect-src 'self' wss:\/\/cp-tls\.test;/);
    expect(res.headers.get('content-security-policy')).toMatch(/form-action 'self' https:\/\/cp-tls\.test$/);
  });
});
