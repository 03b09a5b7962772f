import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantApiClient } from '../../../server/tenant-api/client.ts';
import { TenantApiError } from '../../../server/tenant-api/errors.ts';
import { type SimHarness, startSimWithTenants } from '../dev/tenant-sim/helpers.ts';

async function failure(promise: Promise<unknown>): Promise<TenantApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantApiError);
  return error as TenantApiError;
}

describe('tenant API client against the tenant simulator', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimWithTenants(['acme', 'slow']);
  });
  afterAll(() => h?.stop());

  const retrying = { retries: 2, backoffMs: 5 };

  it('times out a slow tenant after timeoutMs per attempt, naming tenant and endpoint but not the token', async () => {
    h.sim.faults.set('slow', { delayMs: 1000 });
    try {
      const started = performance.now();
      const error = await failure(
        h.api('slow', undefined, { timeoutMs: 150, retries: 1, backoffMs: 5 }).status(),
      );
      const elapsed = performance.now() - started;
      expect(error).toMatchObject({
        kind: 'timeout',
        slug: 'slow',
        endpoint: 'GET /cp/v1/status',
        attempts: 2,
      });
      expect(error.status).toBeUndefined();
      expect(error.message).toBe('tenant slow: GET /cp/v1/status timed out after 150 ms (2 attempts)');
      expect(error.message).not.toContain(h.tenants.get('slow')!.cpToken);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(900);
    } finally {
      h.sim.faults.clear('slow');
    }
  });

  it('retries a 503 and succeeds when the tenant recovers', async () => {
    h.sim.faults.set('acme', { status: 503, times: 1 });
    expect((await h.api('acme', undefined, retrying).status()).status).toBe('ok');
    expect(h.sim.faults.get('acme')).toBeUndefined();
  });

  it('retries a 429 and a dropped connection', async () => {
    h.sim.faults.set('acme', { status: 429, times: 2 });
    expect((await h.api('acme', undefined, retrying).migrations()).pending).toEqual(['0004_sessions']);
    h.sim.faults.set('acme', { down: true, times: 2 });
    await expect(h.api('acme', undefined, retrying).clearLicense()).resolves.toBeUndefined();
  });

  it('does not retry a 400: the one failure is the answer even though the next attempt would succeed', async () => {
    h.sim.faults.set('acme', { status: 400, times: 1 });
    const error = await failure(h.api('acme', undefined, retrying).status());
    expect(error).toMatchObject({ kind: 'http', status: 400, attempts: 1, code: 'FAULT_INJECTED' });
    expect(error.message).toBe(
      'tenant acme: GET /cp/v1/status answered HTTP 400 FAULT_INJECTED: fault injected for tenant acme',
    );
  });

  it('does not retry a 401 or a 404', async () => {
    const unauthorized = await failure(h.api('acme', 'wrong-token', retrying).status());
    expect(unauthorized).toMatchObject({ status: 401, attempts: 1, code: 'UNAUTHENTICATED' });
    expect(unauthorized.message).not.toContain('wrong-token');
    const unknown = await failure(h.api('ghost', 'any-token', retrying).status());
    expect(unknown).toMatchObject({ status: 404, attempts: 1, code: 'TENANT_NOT_FOUND' });
  });

  it('gives up after 1 + retries attempts of a lasting 5xx, leaving the rest of the fault unused', async () => {
    h.sim.faults.set('acme', { status: 502, times: 5 });
    try {
      const error = await failure(h.api('acme', undefined, retrying).status());
      expect(error).toMatchObject({ kind: 'http', status: 502, attempts: 3 });
      expect(error.message).toMatch(
        /^tenant acme: GET \/cp\/v1\/status answered HTTP 502 .* \(3 attempts\)$/,
      );
      expect(h.sim.faults.get('acme')?.times).toBe(2);
    } finally {
      h.sim.faults.clear('acme');
    }
  });

  it('keeps secret values and the token out of errors of calls that carry them', async () => {
    const token = h.tenants.get('acme')!.cpToken;
    h.sim.faults.set('acme', { status: 500 });
    try {
      const calls = [
        h
          .api('acme')
          .putSecrets({ cpToken: 'new-cp-token-value-123456', jwtSecret: 'jwt-secret-value-123456' }),
        h.api('acme').setAdminPassword('admin-password-value'),
        h.api('acme').putLicense('license-token-value', 5),
      ];
      for (const call of calls) {
        const error = await failure(call);
        expect(error.endpoint).toMatch(/^PUT \/cp\/v1\//);
        for (const secret of [
          token,
          'new-cp-token-value',
          'jwt-secret-value',
          'admin-password-value',
          'license-token-value',
        ])
          expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(secret);
      }
    } finally {
      h.sim.faults.clear('acme');
    }
  });

  it('reports a network error for a backend that is not listening, after retrying', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = createTenantApiClient({
      baseUrlTemplate: `http://127.0.0.1:${port}/t/{slug}`,
      ...retrying,
    });
    const error = await failure(client.forTenant('acme', 'secret-token').status());
    expect(error).toMatchObject({ kind: 'network', attempts: 3, slug: 'acme' });
    expect(error.message).toMatch(
      /^tenant acme: GET \/cp\/v1\/status failed: .*ECONNREFUSED.* \(3 attempts\)$/,
    );
  });
});

describe('tenant API client against a backend that breaks the contract', () => {
  let server: Server;
  let base: string;
  let reply: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: '{}' };
  const seen: { url?: string; auth?: string; body: string; method?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ url: req.url, auth: req.headers.authorization, body, method: req.method });
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t/{slug}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('an answer of the wrong shape is an invalid-response error naming the field, and is not retried', async () => {
    seen.length = 0;
    reply = { status: 200, body: JSON.stringify({ version: '2.0', status: 'ok', stats: { users: 'many' } }) };
    const api = createTenantApiClient({ baseUrlTemplate: base, retries: 2, backoffMs: 1 }).forTenant(
      'acme',
      'tok-1234',
    );
    const error = await failure(api.status());
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(
      /^tenant acme: GET \/cp\/v1\/status sent an invalid response: stats\.users: /,
    );
    expect(seen).toHaveLength(1);
  });

  it('sends snake_case JSON with the bearer token to the slug’s escaped base URL', async () => {
    seen.length = 0;
    reply = { status: 204, body: '' };
    const api = createTenantApiClient({ baseUrlTemplate: base }).forTenant('a/b c', 'tok-1234');
    await api.putWorkerConfig({
      taskWorker: { mode: 'inline', concurrency: 2 },
      loginWorker: { mode: 'dedicated', url: 'http://lw:8090', maxConcurrent: 3 },
      pool: null,
    });
    await api.putSecrets({ proxyToken: 'proxy-token-123456789', graceSeconds: 60 });
    expect(seen[0]).toEqual({
      method: 'PUT',
      url: '/t/a%2Fb%20c/cp/v1/worker-config',
      auth: 'Bearer tok-1234',
      body: JSON.stringify({
        task_worker: { mode: 'inline', concurrency: 2 },
        login_worker: { mode: 'dedicated', url: 'http://lw:8090', max_concurrent: 3 },
        pool: null,
      }),
    });
    expect(JSON.parse(seen[1]!.body)).toEqual({ proxy_token: 'proxy-token-123456789', grace_seconds: 60 });
  });

  it('waits as long as Retry-After asks (within maxBackoffMs) before retrying a 429', async () => {
    seen.length = 0;
    reply = { status: 429, body: '', headers: { 'retry-after': '1' } };
    const api = createTenantApiClient({
      baseUrlTemplate: base,
      retries: 1,
      backoffMs: 1,
      maxBackoffMs: 300,
    }).forTenant('acme', 'tok-1234');
    const started = performance.now();
    const error = await failure(api.clearLicense());
    expect(error).toMatchObject({ status: 429, attempts: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(seen).toHaveLength(2);
  });

  it('scrubs a secret the backend echoes in its error message', async () => {
    reply = {
      status: 400,
      body: JSON.stringify({ error: { code: 'BAD', message: 'password hunter2-hunter2 is too guessable' } }),
    };
    const api = createTenantApiClient({ baseUrlTemplate: base }).forTenant('acme', 'tok-1234');
    const error = await failure(api.setAdminPassword('hunter2-hunter2'));
    expect(error.message).toBe(
      'tenant acme: PUT /cp/v1/admin-password answered HTTP 400 BAD: password [redacted] is too guessable',
    );
  });

  it('scrubs an echoed secret before cutting a long message, so no part of it survives the cut', async () => {
    const license = `eyJhbGciOiJFZERTQSJ9.${'p'.repeat(200)}.${'s'.repeat(86)}`;
    reply = {
      status: 400,
      body: JSON.stringify({
        error: { code: 'BAD', message: `${'x'.repeat(250)} license ${license} refused` },
      }),
    };
    const api = createTenantApiClient({ baseUrlTemplate: base }).forTenant('acme', 'tok-1234');
    const error = await failure(api.putLicense(license, 10));
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('eyJhbGciOiJFZERTQSJ9');
    expect(error.message).not.toContain('ppppp');
  });
});
