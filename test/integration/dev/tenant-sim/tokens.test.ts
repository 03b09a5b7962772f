import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedTokenHashes, hashToken, tokenMatches } from '../../../../server/dev/tenant-sim/auth.ts';
import { readTenantState } from '../../../../server/dev/tenant-sim/fixtures.ts';
import { randomToken, type SimHarness, startSimWithTenants } from './helpers.ts';

const HOUR = 3600 * 1000;

describe('tenant simulator: CP tokens and secret rotation', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimWithTenants(['rot-secret', 'rot-api', 'rot-idem', 'rot-cache', 'rot-others']);
  });
  afterAll(() => h?.stop());

  it('accepts the previous token from the tenant’s Secret until its expiry, and refuses it after', async () => {
    const old = h.tenants.get('rot-secret')!.cpToken;
    const fresh = randomToken();
    h.tenants.set('rot-secret', {
      ...h.tenants.get('rot-secret')!,
      cpToken: fresh,
      cpTokenPrevious: { value: old, expiresAt: new Date(h.clock.now.getTime() + HOUR) },
    });
    // The new token is accepted at once: the 401 path looks the tenant up again.
    expect((await h.api('rot-secret', fresh).status()).status).toBe('ok');
    expect((await h.api('rot-secret', old).status()).status).toBe('ok');
    h.clock.advance(HOUR - 1);
    expect((await h.api('rot-secret', old).status()).status).toBe('ok');
    h.clock.advance(1);
    await expect(h.api('rot-secret', old).status()).rejects.toMatchObject({ status: 401 });
    expect((await h.api('rot-secret', fresh).status()).status).toBe('ok');
  });

  it('a CP token set through PUT /cp/v1/secrets becomes current; the one before lasts grace_seconds', async () => {
    const original = h.tenants.get('rot-api')!.cpToken;
    const second = randomToken();
    await h.api('rot-api').putSecrets({ cpToken: second, graceSeconds: 600 });
    expect((await h.api('rot-api', second).status()).status).toBe('ok');

    const third = randomToken();
    await h.api('rot-api', second).putSecrets({ cpToken: third, graceSeconds: 600 });
    expect((await h.api('rot-api', third).status()).status).toBe('ok');
    expect((await h.api('rot-api', second).status()).status).toBe('ok');
    h.clock.advance(600_000);
    await expect(h.api('rot-api', second).status()).rejects.toMatchObject({ status: 401 });
    expect((await h.api('rot-api', third).status()).status).toBe('ok');
    // The token in the tenant's Secret stays valid: the Secret is where the control plane keeps it.
    expect((await h.api('rot-api', original).status()).status).toBe('ok');
  });

  it('stores only hashes of rotated secrets, with the previous one and its expiry (default grace one hour)', async () => {
    const jwt = randomToken();
    const proxy = randomToken();
    await h.api('rot-others').putSecrets({ jwtSecret: jwt, proxyToken: proxy });
    const nextJwt = randomToken();
    await h.api('rot-others').putSecrets({ jwtSecret: nextJwt });
    const { secrets } = await readTenantState(h.databases.get('rot-others')!.url);
    expect(secrets).toEqual([
      {
        name: 'jwt_secret',
        current_hash: hashToken(nextJwt),
        previous_hash: hashToken(jwt),
        previous_expires_at: new Date(h.clock.now.getTime() + HOUR),
      },
      { name: 'proxy_token', current_hash: hashToken(proxy), previous_hash: null, previous_expires_at: null },
    ]);
    expect(JSON.stringify(secrets)).not.toContain(jwt);
    expect(JSON.stringify(secrets)).not.toContain(nextJwt);
  });

  it('repeating a rotation (a retried request) keeps the real previous token valid', async () => {
    const first = randomToken();
    const second = randomToken();
    await h.api('rot-idem').putSecrets({ cpToken: first });
    await h.api('rot-idem', first).putSecrets({ cpToken: second, graceSeconds: 60 });
    await h.api('rot-idem', first).putSecrets({ cpToken: second, graceSeconds: 60 });
    expect((await h.api('rot-idem', first).status()).status).toBe('ok');
    const state = (await readTenantState(h.databases.get('rot-idem')!.url)).secrets;
    expect(state[0]).toMatchObject({ current_hash: hashToken(second), previous_hash: hashToken(first) });
  });

  it('keeps a token the Secret no longer has for at most the resolution cache time (~1 s)', async () => {
    const old = h.tenants.get('rot-cache')!.cpToken;
    expect((await h.api('rot-cache', old).status()).status).toBe('ok');
    h.tenants.set('rot-cache', { ...h.tenants.get('rot-cache')!, cpToken: randomToken() });
    h.clock.advance(1100);
    await expect(h.api('rot-cache', old).status()).rejects.toMatchObject({ status: 401 });
  });
});

describe('token checks', () => {
  const tenant = {
    databaseUrl: 'postgres://unused',
    cpToken: 'current-token',
    cpTokenPrevious: { value: 'previous-token', expiresAt: new Date('2030-01-01T00:00:00Z') },
  };

  it('accepts the current token and the previous one strictly before its expiry', () => {
    const before = acceptedTokenHashes(tenant, undefined, new Date('2029-12-31T23:59:59Z'));
    const at = acceptedTokenHashes(tenant, undefined, new Date('2030-01-01T00:00:00Z'));
    expect(tokenMatches('current-token', before)).toBe(true);
    expect(tokenMatches('previous-token', before)).toBe(true);
    expect(tokenMatches('previous-token', at)).toBe(false);
    expect(tokenMatches('current-token', at)).toBe(true);
  });

  it('matches tokens of any length without throwing, and never an empty or near-miss token', () => {
    const hashes = [hashToken('abc'), 'not-hex'];
    expect(tokenMatches('abc', hashes)).toBe(true);
    expect(tokenMatches('abcd', hashes)).toBe(false);
    expect(tokenMatches('', hashes)).toBe(false);
    expect(tokenMatches('x'.repeat(10_000), hashes)).toBe(false);
  });
});
