import { describe, expect, it } from 'vitest';
import { createTenantApiClient } from '../../../server/tenant-api/client.ts';

/** A stand-in transport (not the thing under test): answers from a list and records requests. */
function scripted(answers: (() => Response | Promise<Response>)[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const okStatus = { version: '1', status: 'ok', stats: { users: 0, groups: 0, apps: 0, active_users: 0 } };

describe('createTenantApiClient', () => {
  it('refuses a template without {slug} and nonsense limits at creation', () => {
    expect(() => createTenantApiClient({ baseUrlTemplate: 'http://b/t' })).toThrow('{slug}');
    expect(() => createTenantApiClient({ baseUrlTemplate: 'http://b/{slug}', timeoutMs: 0 })).toThrow(
      'timeoutMs',
    );
    expect(() => createTenantApiClient({ baseUrlTemplate: 'http://b/{slug}', retries: 1.5 })).toThrow(
      'retries',
    );
  });

  it('refuses a CP token that cannot go in a header, without echoing it', () => {
    const client = createTenantApiClient({ baseUrlTemplate: 'http://b/{slug}' });
    for (const bad of ['', 'has space', 'line\nbreak'])
      expect(() => client.forTenant('acme', bad)).toThrow(
        /^the CP token of tenant acme is empty or has characters/,
      );
  });

  it('retries a network error, then a 500, and returns the third answer', async () => {
    const t = scripted([
      () =>
        Promise.reject(
          new TypeError('fetch failed', { cause: { code: 'ECONNRESET', message: 'socket hang up' } }),
        ),
      () => json(500, { error: { code: 'X', message: 'boom' } }),
      () => json(200, okStatus),
    ]);
    const api = createTenantApiClient({
      baseUrlTemplate: 'http://b/t/{slug}',
      backoffMs: 1,
      fetch: t.fetch,
    }).forTenant('acme', 'tok-1');
    expect((await api.status()).status).toBe('ok');
    expect(t.requests.map((r) => r.url)).toEqual(Array(3).fill('http://b/t/acme/cp/v1/status'));
    expect(new Headers(t.requests[0]!.init.headers).get('authorization')).toBe('Bearer tok-1');
  });

  it('with retries 0 makes exactly one attempt', async () => {
    const t = scripted([() => json(503, {}), () => json(200, okStatus)]);
    const api = createTenantApiClient({
      baseUrlTemplate: 'http://b/{slug}',
      retries: 0,
      fetch: t.fetch,
    }).forTenant('acme', 'tok-1');
    await expect(api.status()).rejects.toMatchObject({ status: 503, attempts: 1 });
    expect(t.requests).toHaveLength(1);
  });

  it('names the socket error of a network failure', async () => {
    const t = scripted([
      () =>
        Promise.reject(
          new TypeError('fetch failed', { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND b' } }),
        ),
    ]);
    const api = createTenantApiClient({
      baseUrlTemplate: 'http://b/{slug}',
      retries: 0,
      fetch: t.fetch,
    }).forTenant('acme', 'tok-1');
    await expect(api.applyMigrations()).rejects.toThrow(
      'tenant acme: POST /cp/v1/migrations/apply failed: getaddrinfo ENOTFOUND b',
    );
  });
});
