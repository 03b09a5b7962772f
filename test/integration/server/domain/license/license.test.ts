import type { V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP } from '../../../../../server/cluster/labels.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../support/kube.ts';
import { claims, forge, heldLicense, hs256, jwks, mint, testSigner } from '../../../../support/license.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const issuer = testSigner('issuer-2026');
const rotated = testSigner('issuer-2027');
const stranger = testSigner('issuer-2026');

/**
 * Activate, fan out, allocate and clear against real tenant backends (the tenant simulator, each
 * tenant its own database): what every backend holds is read from its database, not from us.
 */
describe('license', () => {
  let clock = Date.now();
  const server = useTestServer(
    {
      LICENSE_PUBLIC_KEYS: jwks(issuer, rotated),
      FREE_TIER_MAX_USERS: '25',
      // Rounds run when the test says so (kicks and runOnce), not on a timer.
      RECONCILE_INTERVAL_MS: '3600000',
      STATUS_POLL_INTERVAL_MS: '3600000',
      TENANT_API_TIMEOUT_MS: '1000',
    },
    { now: () => new Date(clock) },
  );
  const slugs = [uniqueSlug('lic-a'), uniqueSlug('lic-b'), uniqueSlug('lic-c')];
  const [a, b, c] = slugs as [string, string, string];
  afterAll(() => dropTenantDatabases(slugs));

  const held = async (slug: string) =>
    heldLicense((await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!);
  const status = async () => (await rest(server, 'GET', '/license')).body;
  const settle = () => server.services.licenseSync.idle();

  beforeAll(async () => {
    for (const slug of slugs) {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug, admin_email: null })).status).toBe(
        201,
      );
    }
    await eventually(
      async () => {
        const { body } = await rest(server, 'GET', '/tenants?first=10');
        return body.tenants.filter((t: { state: string }) => t.state === 'active').length === 3;
      },
      20_000,
      'three tenants active',
    );
  }, 30_000);

  it('answers the free tier before any license, not 404', async () => {
    const { status: code, body } = await rest(server, 'GET', '/license');
    expect(code).toBe(200);
    expect(body).toMatchObject({
      state: 'free',
      license_id: null,
      max_users: null,
      free_tier_max_users: 25,
      sync: { total: 3, failed: 0 },
    });
    expect(body.tenants.map((t: { slug: string }) => t.slug).sort()).toEqual([...slugs].sort());
    for (const line of body.tenants) expect(line.effective_cap).toBe(25);
  });

  it('activates: every reachable tenant holds the license at once; a down one fails, is retried with backoff and synced when back', async () => {
    server.tenantSim!.faults.set(c, { down: true });
    const token = await mint(issuer, { lid: 'lic-2026', maxUsers: 100 });
    const activated = await rest(server, 'POST', '/license', { license: token });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({
      state: 'active',
      license_id: 'lic-2026',
      licensee: 'Acme Corp',
      max_users: 100,
      features: ['audit', 'sso'],
      renewal_url_set: false,
      key_id: 'issuer-2026',
    });
    await settle();
    expect(await held(a)).toEqual({ token, user_cap: 100 });
    expect(await held(b)).toEqual({ token, user_cap: 100 });
    expect(await held(c)).toBeNull();

    const after = await status();
    expect(after.sync).toEqual({ total: 3, pending: 0, synced: 2, failed: 1 });
    const down = after.tenants.find((t: { slug: string }) => t.slug === c);
    expect(down).toMatchObject({ sync_state: 'failed', attempts: 1 });
    expect(down.last_error).toMatch(new RegExp(`tenant ${c}.*PUT /cp/v1/license`));
    expect(down.last_error).not.toContain(token);
    expect(new Date(down.next_attempt_at).getTime()).toBe(clock + 1000);

    // Back, but not due yet: nothing happens until the backoff has passed.
    server.tenantSim!.faults.clear(c);
    expect(await server.services.licenseSync.runOnce()).toEqual({ synced: 0, failed: 0 });
    clock += 1000;
    expect(await server.services.licenseSync.runOnce()).toEqual({ synced: 1, failed: 0 });
    expect(await held(c)).toEqual({ token, user_cap: 100 });
    expect((await status()).sync).toEqual({ total: 3, pending: 0, synced: 3, failed: 0 });
  });

  it('refuses every bad token with a clear 4xx and keeps the license in force', async () => {
    const now = Math.floor(clock / 1000);
    const publicPem = issuer.key.export({ format: 'pem', type: 'spki' }).toString();
    const good = await mint(issuer, { lid: 'lic-bad' });
    const [h, , s] = good.split('.') as [string, string, string];
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims(), lid: 'lic-bad', max_users: 1_000_000 })).toString('base64url')}.${s}`;
    const cases: [string, string, RegExp][] = [
      ['tampered payload', tampered, /signature does not match key issuer-2026/],
      [
        'wrong key, same kid',
        await mint(stranger, { lid: 'lic-bad' }),
        /signature does not match key issuer-2026/,
      ],
      ['unknown key', await mint(testSigner('nobody'), { lid: 'lic-bad' }), /does not match any trusted key/],
      ['alg none', `${forge({ alg: 'none' }, claims(), () => '')}`, /alg "none" \(unsigned\) is refused/],
      [
        'HS256 with the public key as secret',
        forge({ alg: 'HS256', kid: 'issuer-2026' }, claims(), hs256(publicPem)),
        /alg HS256 is refused/,
      ],
      [
        'expired',
        await mint(issuer, { notBefore: now - 100 * 86_400, expiresAt: now - 86_400 }),
        /expired at/,
      ],
      ['not yet valid', await mint(issuer, { notBefore: now + 86_400 }), /not valid before/],
      [
        'malformed signature',
        forge({ alg: 'EdDSA', kid: 'issuer-2026' }, claims(), () => 'x'),
        /JWS is malformed/,
      ],
      ['garbage', 'not-a-license', /not a compact JWS/],
      ['header garbage', 'e30x.e30.e30', /header is not valid/],
    ];
    for (const [what, token, reason] of cases) {
      const res = await rest(server, 'POST', '/license', { license: token });
      expect(res.status, what).toBe(400);
      expect(res.body.error.message, what).toMatch(reason);
    }
    // Missing claims, signed for real: each one named.
    for (const missing of ['lid', 'sub', 'max_users', 'features']) {
      const { SignJWT } = await import('jose');
      const payload: Record<string, unknown> = claims();
      delete payload[missing];
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid: 'issuer-2026' })
        .sign(issuer.privateKey);
      const res = await rest(server, 'POST', '/license', { license: token });
      expect(res.status, missing).toBe(400);
      expect(res.body.error.message, missing).toContain(`the ${missing} claim is missing`);
    }
    // Signed for real, but out of what a license can hold: refused, not a 500 from the database.
    const { SignJWT } = await import('jose');
    for (const [patch, reason] of [
      [{ exp: 1e13 }, /exp is after the year 9999/],
      [{ lid: 'lic\u0000x' }, /lid contains control characters/],
      [{ features: ['sso', 'bad\u0007'] }, /a feature contains control characters/],
      [{ renewal_url: 'https://user:pw@issuer.example/renew' }, /renewal_url must not hold credentials/],
      [{ renewal_url: 'ftp://issuer.example/renew' }, /renewal_url must be an http\(s\) URL/],
    ] as const) {
      const token = await new SignJWT({ ...claims(), ...patch })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'issuer-2026' })
        .sign(issuer.privateKey);
      const res = await rest(server, 'POST', '/license', { license: token });
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error.message, JSON.stringify(patch)).toMatch(reason);
    }
    const huge = await rest(server, 'POST', '/license', { license: 'a'.repeat(1024 * 1024) });
    expect([400, 413]).toContain(huge.status);
    const gqlHuge = await gql(
      server,
      'mutation($l: String!) { activateLicense(license: $l) { __typename ... on Error { code message } } }',
      {
        l: `${'a'.repeat(17_000)}.b.c`,
      },
    );
    expect(JSON.stringify(gqlHuge.body)).toMatch(/VALIDATION_FAILED|REQUEST_TOO_LARGE|413/);

    const kept = await status();
    expect(kept).toMatchObject({ state: 'active', license_id: 'lic-2026' });
  });

  it('accepts a license signed by the rotated key, valid from a few seconds ahead (issuer clock skew)', async () => {
    const now = Math.floor(clock / 1000);
    const token = await mint(rotated, { lid: 'lic-2027', maxUsers: 100, notBefore: now + 30 });
    const res = await rest(server, 'POST', '/license', { license: token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ license_id: 'lic-2027', key_id: 'issuer-2027' });
    await settle();
    expect(await held(a)).toEqual({ token, user_cap: 100 });
  });

  it('allocates: the allocated tenant gets its cap, the others share the rest; over-allocation is refused saying by how much', async () => {
    const set = (slug: string, cap: number | null) =>
      rest(server, 'PUT', `/tenants/${slug}/license-allocation`, { user_cap: cap });
    const res = await set(a, 60);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allocated: 60, unallocated: 40 });
    // The tenant's registry entry carries its allocation.
    const registry = await server.services.cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    expect(JSON.parse(registry!.data![`${a}.json`]!).license).toEqual({ user_cap: 60 });
    await settle();
    expect((await held(a))!.user_cap).toBe(60);
    expect((await held(b))!.user_cap).toBe(40);
    expect((await held(c))!.user_cap).toBe(40);

    const over = await set(b, 50);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'LICENSE_OVER_ALLOCATED' });
    expect(over.body.error.message).toContain('10 more than');
    expect((await status()).allocated).toBe(60);

    for (const [body, why] of [
      [{ user_cap: 0 }, /at least 1/],
      [{ user_cap: -5 }, /at least 1/],
      [{ user_cap: 1.5 }, /whole number/],
      [{ user_cap: 'ten' }, /number/],
      [{}, /user_cap/],
      [{ user_cap: 5, extra: 1 }, /extra/],
    ] as const) {
      const bad = await rest(server, 'PUT', `/tenants/${b}/license-allocation`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(bad.body.error), JSON.stringify(body)).toMatch(why);
    }
    expect((await set('no-such-tenant', 5)).status).toBe(404);

    const removed = await set(a, null);
    expect(removed.body).toMatchObject({ allocated: 0, unallocated: 100 });
    await settle();
    expect((await held(a))!.user_cap).toBe(100);
    expect((await held(b))!.user_cap).toBe(100);
  });

  it('clears: every tenant back to the free tier; kept allocations can be lowered or removed, not raised', async () => {
    expect((await rest(server, 'PUT', `/tenants/${b}/license-allocation`, { user_cap: 80 })).status).toBe(
      200,
    );
    const res = await rest(server, 'DELETE', '/license');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'free', license_id: null });
    await settle();
    for (const slug of slugs) expect(await held(slug)).toBeNull();
    expect((await status()).sync).toEqual({ total: 3, pending: 0, synced: 3, failed: 0 });
    const refused = await rest(server, 'PUT', `/tenants/${a}/license-allocation`, { user_cap: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NO_LICENSE');
    // A smaller license next needs the kept allocation lowered first: that works without a license.
    const smaller = await mint(issuer, { lid: 'lic-small', maxUsers: 50 });
    const tooSmall = await rest(server, 'POST', '/license', { license: smaller });
    expect(tooSmall.status).toBe(409);
    expect(tooSmall.body.error).toMatchObject({ code: 'LICENSE_OVER_ALLOCATED' });
    expect(tooSmall.body.error.message).toContain('30 more than');
    const raised = await rest(server, 'PUT', `/tenants/${b}/license-allocation`, { user_cap: 90 });
    expect(raised.body.error?.code).toBe('NO_LICENSE');
    expect(
      (await rest(server, 'PUT', `/tenants/${b}/license-allocation`, { user_cap: 40 })).body,
    ).toMatchObject({ allocated: 40 });
    expect(
      (await rest(server, 'PUT', `/tenants/${b}/license-allocation`, { user_cap: null })).body,
    ).toMatchObject({ allocated: 0 });
    await settle();
    for (const slug of slugs) expect(await held(slug)).toBeNull();
  });

  it('audits license ids, never tokens, and a tenant created later gets the license while provisioning', async () => {
    const token = await mint(issuer, { lid: 'lic-late', maxUsers: 100 });
    expect((await rest(server, 'POST', '/license', { license: token })).status).toBe(200);
    await settle();
    const late = uniqueSlug('lic-late');
    slugs.push(late);
    expect(
      (await rest(server, 'POST', '/tenants', { slug: late, name: late, admin_email: null })).status,
    ).toBe(201);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${late}`)).body.state === 'active',
      20_000,
      'late tenant active',
    );
    expect(await held(late)).toEqual({ token, user_cap: 100 });

    const audit = await rest(server, 'GET', '/audit?action=license.activated&first=20');
    expect(audit.body.entries.map((e: { target: { id: string } }) => e.target.id)).toContain('lic-late');
    const everything = JSON.stringify((await rest(server, 'GET', '/audit?first=500')).body);
    expect(everything).not.toContain(token.split('.')[2]);
    expect(server.logs.join('\n')).not.toContain(token.split('.')[2]);
  });
});
