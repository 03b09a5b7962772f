import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureUi } from '../../../support/browser.ts';
import { rest, useTestServer } from '../../../support/server.ts';

/** A Content-Security-Policy header as directive → sources. */
function csp(res: Response): Record<string, string[]> {
  return Object.fromEntries(
    (res.headers.get('content-security-policy') ?? '').split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

/** The `<script>` elements of a page that would run inline: no src, and not a data block. */
const inlineScripts = (html: string) =>
  [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(
    ([, attributes]) => !/\bsrc=/.test(attributes!) && !/type="application\/json"/.test(attributes!),
  );

describe('browser protections on every kind of answer', () => {
  const server = useTestServer();
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  const page = (path: string) => get(path, { accept: 'text/html' });

  beforeAll(() => ensureUi(), 120_000);

  /** Every kind of answer, each as one request for it. */
  const kinds: Record<string, () => Promise<Response>> = {
    'the UI': () => page('/ui/tenants'),
    'a file of the UI': async () => {
      const html = await (await page('/ui/')).text();
      return get(/src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)![1]!);
    },
    'the GraphiQL page': () => page('/graphql'),
    'a file of GraphiQL': async () => {
      const html = await (await page('/graphql')).text();
      return get(/src="(\/graphiql\/[^"]+\/start\.js)"/.exec(html)![1]!);
    },
    'a sign-in page': () => page('/auth/signed-out'),
    "the development issuer's page": () => page('/dev-oidc/auth'),
    'GraphQL JSON': () => get('/graphql?query=%7B__typename%7D', server.headers),
    'a REST answer': () => get('/tenants', server.headers),
    metrics: () => get('/metrics'),
    'a health check': () => get('/healthz'),
    'no route': () => get('/no-such-route'),
  };

  it.each(Object.keys(kinds))(
    '%s: no sniffing, no framing, no referrer, no powerful features',
    async (kind) => {
      const res = await kinds[kind]!();
      expect(res.status, kind).toBeLessThan(500);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // The test server listens on 127.0.0.1, a loopback origin, where browsers honour COOP.
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('permissions-policy')).toMatch(/(^|, )camera=\(\)/);
      expect(csp(res)['frame-ancestors']).toEqual(["'none'"]);
      expect(csp(res)['script-src']?.[0]).toBe("'self'");
      expect(csp(res)['script-src']).not.toContain("'unsafe-inline'");
      // Plain http: no HSTS.
      expect(res.headers.get('strict-transport-security')).toBeNull();
    },
  );

  it('the UI: each copy of index.html has a fresh nonce, the one its policy admits styles by, and no inline script', async () => {
    const [first, second] = [await page('/ui/'), await page('/ui/tenants')];
    const nonces = [];
    for (const res of [first, second]) {
      const html = await res.text();
      const policy = csp(res);
      expect(policy['style-src']).toHaveLength(2);
      const nonce = /^'nonce-(.+)'$/.exec(policy['style-src']![1]!)![1]!;
      const attributes = [...html.matchAll(/\bnonce="([^"]*)"/g)].map((m) => m[1]);
      expect(attributes.length).toBeGreaterThan(0);
      expect(new Set(attributes)).toEqual(new Set([nonce]));
      expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
      expect(inlineScripts(html)).toEqual([]);
      expect(policy['connect-src']).toEqual(["'self'"]);
      expect(policy['form-action']).toEqual(["'self'"]);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('GraphiQL: loads only files of the control plane, runs no inline script, and admits styles by its nonce', async () => {
    const res = await page('/graphql');
    const html = await res.text();
    const policy = csp(res);
    const nonce = /^'nonce-(.+)'$/.exec(policy['style-src']![1]!)![1]!;
    expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
    expect(inlineScripts(html)).toEqual([]);
    expect(html).not.toMatch(/unpkg|https?:\/\//);
    const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      expect(file).toMatch(/^\/(graphiql|ui)\//);
      const asset = await get(file);
      expect(asset.status, file).toBe(200);
      if (file.startsWith('/graphiql/'))
        expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    // The workers Monaco starts are files of ours as well.
    const options = JSON.parse(/id="graphiql-options">([^<]*)</.exec(html)![1]!);
    for (const worker of Object.values(options.workers as Record<string, string>))
      expect((await get(worker)).status, worker).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await get('/graphiql/0000000000000000/graphiql.js')).status).toBe(404);
    expect((await page('/graphql')).headers.get('content-security-policy')).not.toBe(
      res.headers.get('content-security-policy'),
    );
  });

  it("the sign-in pages: no inline script, no inline style; oidc-provider's self-submitting form runs by its script's hash", async () => {
    for (const path of ['/auth/signed-out', '/dev-oidc/auth']) {
      const res = await page(path);
      const html = await res.text();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(csp(res)['script-src']).toEqual(["'self'"]);
      expect(csp(res)['style-src']).toEqual(["'self'"]);
      expect(inlineScripts(html)).toEqual([]);
      expect(html).not.toMatch(/<style|style="/);
    }
    // No PKCE challenge: the issuer sends the error back through its form_post page.
    const formPost = await page(
      `/dev-oidc/auth?${new URLSearchParams({
        client_id: 'justiam-cp-dev',
        redirect_uri: `${server.url}/auth/callback`,
        response_type: 'code',
        response_mode: 'form_post',
        scope: 'openid',
      })}`,
    );
    const scripts = inlineScripts(await formPost.text());
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]![2]!).digest('base64');
    expect(csp(formPost)['script-src']).toEqual(["'self'", `'sha256-${hash}'`]);
    expect(csp(formPost)['frame-ancestors']).toEqual(["'none'"]);
  });

  it('keeps answers that can hold secrets out of every cache: a new token over GraphQL and REST, metrics', async () => {
    const created = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({
        query:
          'mutation { createApiToken(input: { name: "cache-check", expiresInDays: 1 }) { ... on MutationCreateApiTokenSuccess { data { token } } } }',
      }),
    });
    expect(JSON.stringify(await created.json())).toMatch(/cpt_/);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const restCreated = await rest(server, 'POST', '/me/tokens', {
      name: 'cache-check-rest',
      expires_in_days: 1,
    });
    expect(restCreated.body.token).toMatch(/^cpt_/);
    expect(restCreated.headers.get('cache-control')).toBe('no-store');
    expect((await get('/metrics')).headers.get('cache-control')).toBe('no-store');
    // Files named by their content may be kept.
    const html = await (await page('/ui/')).text();
    const script = await get(/src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)![1]!);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
