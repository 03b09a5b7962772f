import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readTenantState,
  seedTenantData,
  verifyAdminPassword,
} from '../../../../server/dev/tenant-sim/fixtures.ts';
import { TenantApiError } from '../../../../server/tenant-api/errors.ts';
import type { WorkerConfig } from '../../../../server/tenant-api/types.ts';
import { type SimHarness, startSimWithTenants } from './helpers.ts';

/** Raw HTTP, for what the typed client cannot send (bad bodies, missing tokens). */
async function raw(
  h: SimHarness,
  slug: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) {
  const res = await fetch(`${h.sim.url}/t/${slug}${path}`, {
    method,
    headers: {
      ...(token !== '' ? { authorization: `Bearer ${token ?? h.tenants.get(slug)!.cpToken}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const workerConfig: WorkerConfig = {
  taskWorker: { mode: 'agent', concurrency: 8 },
  loginWorker: { mode: 'shared', url: 'http://login-worker-shared.justiam-mt.svc:8090', maxConcurrent: 5 },
  pool: 'compute-heavy',
};

describe('tenant simulator: the tenant API over HTTP, one real database per tenant', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimWithTenants(['acme', 'globex']);
  });
  afterAll(() => h?.stop());

  it('status reports the version and real counts, with active users limited to the last 30 days', async () => {
    await seedTenantData(
      h.databases.get('acme')!.url,
      { users: 7, groups: 3, apps: 2, activeUsers: 4 },
      h.clock.now,
    );
    expect(await h.api('acme').status()).toEqual({
      version: '1.4.0',
      status: 'ok',
      stats: { users: 7, groups: 3, apps: 2, activeUsers: 4 },
    });
    // Another tenant's database is separate.
    expect((await h.api('globex').status()).stats).toEqual({ users: 0, groups: 0, apps: 0, activeUsers: 0 });
  });

  it('active users drop out of the count once their last login is more than 30 days old', async () => {
    const before = (await h.api('acme').status()).stats.activeUsers;
    expect(before).toBeGreaterThan(0);
    h.clock.advance(30 * 24 * 3600 * 1000);
    try {
      expect((await h.api('acme').status()).stats.activeUsers).toBe(0);
    } finally {
      h.clock.advance(-30 * 24 * 3600 * 1000);
    }
  });

  it('a new tenant starts with three migrations applied and 0004_sessions pending; apply applies it once', async () => {
    const api = h.api('globex');
    const before = await api.migrations();
    expect(before.applied.map((m) => m.id)).toEqual(['0001_init', '0002_groups', '0003_apps']);
    expect(before.pending).toEqual(['0004_sessions']);
    expect(before.applied[0]!.appliedAt).toBeInstanceOf(Date);

    h.clock.advance(60_000);
    const after = await api.applyMigrations();
    expect(after.pending).toEqual([]);
    expect(after.applied.map((m) => m.id)).toEqual([
      '0001_init',
      '0002_groups',
      '0003_apps',
      '0004_sessions',
    ]);
    expect(after.applied[3]!.appliedAt.getTime()).toBe(h.clock.now.getTime());
    // Applying again changes nothing, and the other tenant still has it pending.
    expect(await api.applyMigrations()).toEqual(after);
    expect((await h.api('acme').migrations()).pending).toEqual(['0004_sessions']);
  });

  it('stores the admin password as a salted scrypt hash: the new password verifies, the old one no longer does', async () => {
    const url = h.databases.get('acme')!.url;
    await h.api('acme').setAdminPassword('first-password-1');
    expect(await verifyAdminPassword(url, 'first-password-1')).toBe(true);
    await h.api('acme').setAdminPassword('second-password-2');
    expect(await verifyAdminPassword(url, 'second-password-2')).toBe(true);
    expect(await verifyAdminPassword(url, 'first-password-1')).toBe(false);
    const { adminPasswordHash } = await readTenantState(url);
    expect(adminPasswordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(adminPasswordHash).not.toContain('second-password-2');
    expect(await verifyAdminPassword(h.databases.get('globex')!.url, 'second-password-2')).toBe(false);
  });

  it('puts a license with its user cap, replaces it, and clearing returns the tenant to the free tier', async () => {
    const url = h.databases.get('acme')!.url;
    await h.api('acme').putLicense('lic-one', 100);
    expect((await readTenantState(url)).license).toEqual({ token: 'lic-one', userCap: 100 });
    await h.api('acme').putLicense('lic-two', null);
    expect((await readTenantState(url)).license).toEqual({ token: 'lic-two', userCap: null });
    await h.api('acme').clearLicense();
    expect((await readTenantState(url)).license).toBeUndefined();
    // Clearing twice is fine (idempotent).
    await h.api('acme').clearLicense();
  });

  it('stores the worker configuration in snake_case as sent by the client', async () => {
    await h.api('globex').putWorkerConfig(workerConfig);
    expect((await readTenantState(h.databases.get('globex')!.url)).workerConfig).toEqual({
      task_worker: { mode: 'agent', concurrency: 8 },
      login_worker: {
        mode: 'shared',
        url: 'http://login-worker-shared.justiam-mt.svc:8090',
        max_concurrent: 5,
      },
      pool: 'compute-heavy',
    });
    const inline: WorkerConfig = {
      taskWorker: { mode: 'inline', concurrency: 1 },
      loginWorker: { mode: 'inline', url: null, maxConcurrent: 1 },
      pool: null,
    };
    await h.api('globex').putWorkerConfig(inline);
    expect((await readTenantState(h.databases.get('globex')!.url)).workerConfig).toMatchObject({
      pool: null,
    });
  });

  it('answers 404 TENANT_NOT_FOUND for a slug the resolver does not know', async () => {
    const res = await raw(h, 'nope', 'GET', '/cp/v1/status', undefined, 'whatever-token');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'TENANT_NOT_FOUND', message: 'no tenant nope' } });
    await expect(h.api('nope').status()).rejects.toMatchObject({
      kind: 'http',
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
  });

  // A real backend meets each of these; the machine's PostgreSQL (trust) and the embedded one
  // (passwords) raise different errors for the same fault, and CI runs the suite on both.
  it.each([
    [
      'its database does not exist',
      /does not exist/,
      (u: URL) => {
        u.pathname = '/tenant_sim_never_created';
      },
    ],
    [
      'its role does not exist',
      /refused its credentials/,
      (u: URL) => {
        u.username = 'tenant_sim_no_such_role';
      },
    ],
    [
      'its password is wrong',
      /refused its credentials|does not exist/,
      (u: URL) => {
        u.password = 'db-password-123';
        u.pathname = '/tenant_sim_never_created';
      },
    ],
    [
      'its server refuses connections',
      /unreachable/,
      (u: URL) => {
        u.port = '1';
      },
    ],
  ])(
    'answers 503 TENANT_DATABASE_UNAVAILABLE, naming no database, role or password, when %s',
    async (_, reason, change) => {
      const url = new URL(h.databases.get('acme')!.url);
      change(url);
      const slug = `nodb${Math.random().toString(36).slice(2, 8)}`;
      h.tenants.set(slug, { databaseUrl: url.toString(), cpToken: `${slug}-token-1234` });
      const res = await raw(h, slug, 'GET', '/cp/v1/status');
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('TENANT_DATABASE_UNAVAILABLE');
      expect(res.json.error.message).toMatch(reason);
      expect(JSON.stringify(res.json)).not.toMatch(
        /never_created|no_such_role|db-password|tenant_|127\.0\.0\.1/,
      );
    },
  );

  it('answers 401 UNAUTHENTICATED for a missing token, a wrong token, and another tenant’s token', async () => {
    const missing = await raw(h, 'acme', 'GET', '/cp/v1/status', undefined, '');
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe('UNAUTHENTICATED');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await raw(h, 'acme', 'GET', '/cp/v1/status', undefined, 'wrong-token')).status).toBe(401);
    const foreign = h.api('acme', h.tenants.get('globex')!.cpToken);
    await expect(foreign.status()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses a write with a wrong token before looking at the body, and changes nothing', async () => {
    const url = h.databases.get('globex')!.url;
    const res = await raw(h, 'globex', 'PUT', '/cp/v1/license', { license: 'x', user_cap: 1 }, 'wrong-token');
    expect(res.status).toBe(401);
    expect((await raw(h, 'globex', 'PUT', '/cp/v1/license', '{not json', 'wrong-token')).status).toBe(401);
    expect((await readTenantState(url)).license).toBeUndefined();
  });

  it.each([
    ['/cp/v1/license', { license: 'lic', user_cap: 'ten' }, /^user_cap: .*expected number/],
    ['/cp/v1/license', { user_cap: 3 }, /^license: /],
    ['/cp/v1/license', { license: 'lic', user_cap: -1 }, /^user_cap: /],
    ['/cp/v1/admin-password', { password: 'short' }, /^password: must be at least 8 characters/],
    [
      '/cp/v1/admin-password',
      { password: 'long-enough-password', extra: 1 },
      /^body: Unrecognized key: "extra"/,
    ],
    ['/cp/v1/secrets', {}, /^body: give at least one of jwt_secret/],
    ['/cp/v1/secrets', { jwt_secret: 'too-short' }, /^jwt_secret: must be at least 16 characters/],
    ['/cp/v1/secrets', { proxy_token: 'p'.repeat(20), grace_seconds: -5 }, /^grace_seconds: /],
    [
      '/cp/v1/worker-config',
      {
        task_worker: { mode: 'threads', concurrency: 1 },
        login_worker: { mode: 'inline', url: null, max_concurrent: 1 },
        pool: null,
      },
      /^task_worker\.mode: /,
    ],
    [
      '/cp/v1/worker-config',
      {
        task_worker: { mode: 'inline', concurrency: 1 },
        login_worker: { mode: 'dedicated', url: null, max_concurrent: 1 },
        pool: null,
      },
      /^login_worker\.url: is required in dedicated mode/,
    ],
    ['/cp/v1/license', '{not json', /^body: not valid JSON/],
  ])(
    'PUT %s with a bad body answers 400 VALIDATION_FAILED naming the field (%j)',
    async (path, body, message) => {
      const res = await raw(h, 'globex', 'PUT', path, body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_FAILED');
      expect(res.json.error.message).toMatch(message);
    },
  );

  it('a 400 reaches the caller as a TenantApiError with the backend’s message and code', async () => {
    const error = await h
      .api('globex')
      .setAdminPassword('short')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantApiError);
    expect((error as TenantApiError).message).toBe(
      'tenant globex: PUT /cp/v1/admin-password answered HTTP 400 VALIDATION_FAILED: password: must be at least 8 characters',
    );
  });

  it('answers 405 with Allow for a known path and the wrong method, 404 for an unknown path', async () => {
    const wrong = await raw(h, 'acme', 'POST', '/cp/v1/status');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect((await raw(h, 'acme', 'GET', '/cp/v1/nothing-here')).status).toBe(404);
    expect((await fetch(`${h.sim.url}/healthz`)).status).toBe(200);
  });
});
