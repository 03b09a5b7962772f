import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseRenewal, renewalRetryDelayMs } from '../../../../../server/domain/license/renewal.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../support/kube.ts';
import { heldLicense, jwks, mint, testSigner } from '../../../../support/license.ts';
import { gql, rest, type TestServer, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const issuer = testSigner('issuer-2026');
/** Another key under the issuer's kid: what it signs must be refused. */
const stranger = testSigner('issuer-2026');
const DAY_MS = 86_400_000;
/**
 * LICENSE_RENEWAL_TIMEOUT_MS: short, so the stalling cases take a second each; not shorter, as the
 * replacement cases activate a license while the issuer holds its answer, within this time.
 */
const TIMEOUT_MS = 1000;

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The license issuer's renewal endpoint, as a real HTTP server the control plane calls: each test
 * says how it answers, and it records what it was asked.
 */
async function startRenewalServer() {
  let answer: Answer = (_req, res) => res.writeHead(500).end();
  const requests: { method: string; path: string; authorization: string | undefined }[] = [];
  const http = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    req.resume();
    answer(req, res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    answer(next: Answer) {
      answer = next;
    },
    async stop() {
      http.closeAllConnections();
      http.close();
      await once(http, 'close');
    },
  };
}
type RenewalServer = Awaited<ReturnType<typeof startRenewalServer>>;

const json =
  (body: unknown): Answer =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** A license of the issuer, valid from just before the driven clock. */
function licenseAt(clock: number, claims: Parameters<typeof mint>[1]) {
  return mint(issuer, { notBefore: Math.floor(clock / 1000) - 60, ...claims });
}

/** What a server says about renewing: status, current license id and its renewal record. */
async function licenseOf(server: TestServer) {
  const { body } = await rest(server, 'GET', '/license');
  return body;
}

/** The newest audit entry for `action`. */
async function lastAudit(server: TestServer, action: string) {
  const { body } = await rest(server, 'GET', `/audit?action=${action}&first=1`);
  return body.entries[0] as {
    action: string;
    actor: { kind: string; label: string };
    target: { kind: string; id: string };
    details: Record<string, unknown>;
  };
}

/**
 * Renewal against a real renewal server: manual (REST and GraphQL) and automatic (the leader job,
 * run by hand under a driven clock). Every way a renewal can go wrong leaves the license in force,
 * recorded, audited and explained; what a tenant holds is read from its own database.
 */
describe('license renewal', () => {
  let clock = Date.now();
  const server = useTestServer(
    {
      LICENSE_PUBLIC_KEYS: jwks(issuer),
      // The renewal server here is plain http on loopback.
      LICENSE_RENEWAL_ALLOW_HTTP: 'true',
      LICENSE_RENEWAL_TIMEOUT_MS: String(TIMEOUT_MS),
      LICENSE_RENEW_DAYS: '14',
      RECONCILE_INTERVAL_MS: '3600000',
      STATUS_POLL_INTERVAL_MS: '3600000',
      TENANT_API_TIMEOUT_MS: '1000',
    },
    { now: () => new Date(clock) },
  );
  const slug = uniqueSlug('renew');
  let issuerServer: RenewalServer;
  /** Every token handed to or by the control plane here: none may appear in audit or logs. */
  const tokens: string[] = [];
  let current: { lid: string; token: string; expiresAt: number };

  const held = async () =>
    heldLicense((await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!);
  const settle = () => server.services.licenseSync.idle();
  const renewalUrl = () => `${issuerServer.url}/renew`;

  /** Activates a license expiring `days` after the clock, with the renewal server's URL unless told otherwise. */
  async function activate(lid: string, days = 20, withUrl = true) {
    const expiresAt = Math.floor((clock + days * DAY_MS) / 1000);
    const token = await licenseAt(clock, {
      lid,
      expiresAt,
      ...(withUrl ? { renewalUrl: renewalUrl() } : {}),
    });
    tokens.push(token);
    const res = await rest(server, 'POST', '/license', { license: token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    current = { lid, token, expiresAt };
    await settle();
    return token;
  }

  /** A license the issuer answers with: `lid`, a year past the current one unless `claims` say otherwise. */
  async function answerWith(lid: string, claims: Parameters<typeof mint>[1] = {}) {
    const token = await licenseAt(clock, {
      lid,
      expiresAt: current.expiresAt + 365 * 86_400,
      renewalUrl: renewalUrl(),
      ...claims,
    });
    tokens.push(token);
    return token;
  }

  beforeAll(async () => {
    issuerServer = await startRenewalServer();
    const created = await rest(server, 'POST', '/tenants', { slug, name: slug, admin_email: null });
    expect(created.status).toBe(201);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'tenant active',
    );
  }, 30_000);
  afterAll(async () => {
    await issuerServer?.stop();
    await dropTenantDatabases([slug]);
  });

  it('with no license: 409 NO_LICENSE over REST and GraphQL, and nothing is recorded as a failure', async () => {
    const res = await rest(server, 'POST', '/license/renew');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'NO_LICENSE' });
    expect(res.body.error.message).toContain('nothing to renew');
    const { body } = await gql(server, 'mutation { renewLicense { __typename ... on Error { code } } }');
    expect(body.data).toEqual({ renewLicense: { __typename: 'ConflictError', code: 'NO_LICENSE' } });
    expect((await licenseOf(server)).renewal).toMatchObject({ failures: 0, last_error: null });
    expect(issuerServer.requests).toEqual([]);
  });

  it('a license without renewal_url: 409 NO_RENEWAL_URL naming it, over REST and GraphQL, nothing recorded', async () => {
    await activate('lic-no-url', 20, false);
    const res = await rest(server, 'POST', '/license/renew');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NO_RENEWAL_URL');
    expect(res.body.error.message).toContain('license lic-no-url has no renewal_url');
    const { body } = await gql(server, 'mutation { renewLicense { __typename ... on Error { code } } }');
    expect(body.data).toEqual({ renewLicense: { __typename: 'ConflictError', code: 'NO_RENEWAL_URL' } });
    const status = await licenseOf(server);
    expect(status).toMatchObject({ license_id: 'lic-no-url', renewal_url_set: false });
    expect(status.renewal).toMatchObject({ failures: 0, last_error: null });
    expect(issuerServer.requests).toEqual([]);
  });

  it('renews over REST: the issuer is sent the current token, its JSON answer is activated (source renew, renewedAt) and reaches the tenant', async () => {
    const old = await activate('lic-1');
    expect(await held()).toEqual({ token: old, user_cap: 100 });
    const next = await answerWith('lic-2');
    issuerServer.answer(json({ license: next }));
    issuerServer.requests.length = 0;
    clock += 60_000;

    const res = await rest(server, 'POST', '/license/renew');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(issuerServer.requests).toEqual([
      { method: 'POST', path: '/renew', authorization: `Bearer ${old}` },
    ]);
    expect(res.body).toMatchObject({
      state: 'active',
      license_id: 'lic-2',
      expires_at: new Date((current.expiresAt + 365 * 86_400) * 1000).toISOString(),
      renewal_url_set: true,
      renewal: {
        failures: 0,
        last_error: null,
        // Not again before a quarter of the new license's life has passed.
        next_attempt_at: new Date(
          clock + ((current.expiresAt + 365 * 86_400) * 1000 - clock) / 4,
        ).toISOString(),
        renewed_at: new Date(clock).toISOString(),
      },
    });
    const row = await server.services.db
      .selectFrom('licenses')
      .select(['source', 'token'])
      .where('lid', '=', 'lic-2')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'renew', token: next });
    const audit = await lastAudit(server, 'license.activated');
    expect(audit.details).toMatchObject({ lid: 'lic-2', source: 'renew', previous_lid: 'lic-1' });

    await settle();
    expect(await held()).toEqual({ token: next, user_cap: 100 });
    expect((await licenseOf(server)).sync).toEqual({ total: 1, pending: 0, synced: 1, failed: 0 });
    current = { lid: 'lic-2', token: next, expiresAt: current.expiresAt + 365 * 86_400 };
  });

  it('renews over GraphQL, taking a bare token answered as application/jwt', async () => {
    const next = await answerWith('lic-3');
    issuerServer.answer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/jwt' }).end(`${next}\n`),
    );
    issuerServer.requests.length = 0;
    const { body } = await gql(
      server,
      `mutation { renewLicense { __typename
        ... on MutationRenewLicenseSuccess { data { licenseId renewal { failures renewedAt } } }
        ... on Error { code message } } }`,
    );
    expect(body.data).toEqual({
      renewLicense: {
        __typename: 'MutationRenewLicenseSuccess',
        data: { licenseId: 'lic-3', renewal: { failures: 0, renewedAt: new Date(clock).toISOString() } },
      },
    });
    expect(issuerServer.requests).toEqual([
      { method: 'POST', path: '/renew', authorization: `Bearer ${current.token}` },
    ]);
    await settle();
    expect(await held()).toEqual({ token: next, user_cap: 100 });
    current = { lid: 'lic-3', token: next, expiresAt: current.expiresAt + 365 * 86_400 };
  });

  describe('a failed renewal answers 502 LICENSE_RENEWAL_FAILED saying why, keeps the license, counts, audits', () => {
    /** Answers left hanging by a stalling case, ended once the case is over. */
    const hanging = new Set<ServerResponse>();
    const stall: Answer = (_req, res) => {
      hanging.add(res);
    };
    const big = 'x'.repeat(70_000);

    const cases: [string, () => Promise<Answer>, RegExp][] = [
      ['stalls before answering', async () => stall, new RegExp(`did not answer within ${TIMEOUT_MS} ms`)],
      [
        'stalls half-way through its answer',
        async () => (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }).write('{"license":"');
          hanging.add(res);
        },
        new RegExp(`did not finish answering within ${TIMEOUT_MS} ms`),
      ],
      ['answers 500', async () => (_req, res) => res.writeHead(500).end(), /answered HTTP 500/],
      [
        'answers garbage',
        async () => (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello there'),
        /the renewed license is refused: not a compact JWS/,
      ],
      [
        'answers JSON that does not parse',
        async () => (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"lic'),
        /answered JSON that does not parse/,
      ],
      [
        'answers JSON without a license',
        async () => json({ token: 'x' }),
        /JSON answer has no "license" string/,
      ],
      [
        'answers a license signed with another key under the issuer’s kid',
        async () => {
          const token = await mint(stranger, {
            lid: 'lic-forged',
            notBefore: Math.floor(clock / 1000) - 60,
            expiresAt: current.expiresAt + 365 * 86_400,
          });
          tokens.push(token);
          return json({ license: token });
        },
        /the renewed license is refused: the signature does not match key issuer-2026/,
      ],
      [
        'answers an older license',
        async () =>
          json({ license: await answerWith('lic-older', { expiresAt: current.expiresAt - 86_400 }) }),
        /the renewed license is not newer: it expires at .+, the current one at/,
      ],
      [
        'answers a license expiring when the current one does',
        async () => json({ license: await answerWith('lic-same', { expiresAt: current.expiresAt }) }),
        /the renewed license is not newer/,
      ],
      [
        'answers a license for another licensee',
        async () => json({ license: await answerWith('lic-globex', { licensee: 'Globex Inc' }) }),
        /the renewed license is for licensee "Globex Inc", not "Acme Corp"/,
      ],
      [
        'answers over 64 KiB, saying so up front',
        async () => (_req, res) =>
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(big.length) }).end(big),
        /the renewal server's answer is 70000 bytes; at most 65536 are read/,
      ],
      [
        'answers over 64 KiB in chunks',
        async () => (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write(big.slice(0, 35_000));
          res.end(big.slice(35_000));
        },
        /the renewal server's answer is over 65536 bytes/,
      ],
      [
        'redirects',
        async () => {
          const good = await answerWith('lic-via-redirect');
          return (req, res) => {
            if (req.url === '/elsewhere') return json({ license: good })(req, res);
            res.writeHead(302, { location: '/elsewhere' }).end();
          };
        },
        /answered HTTP 302: redirects are not followed/,
      ],
    ];

    it.each(cases)('when the issuer %s', async (_what, make, reason) => {
      issuerServer.answer(await make());
      issuerServer.requests.length = 0;
      clock += 1000;
      const before = (await licenseOf(server)).renewal.failures as number;
      try {
        const res = await rest(server, 'POST', '/license/renew');
        expect(res.status, JSON.stringify(res.body)).toBe(502);
        expect(res.body.error.code).toBe('LICENSE_RENEWAL_FAILED');
        expect(res.body.error.message).toMatch(reason);
        expect(res.body.error.message).toMatch(
          /^license renewal failed: .+; the current license stays in force$/,
        );
      } finally {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
      // Asked once, never redirected anywhere else.
      expect(issuerServer.requests.map((r) => r.path)).toEqual(['/renew']);

      const status = await licenseOf(server);
      expect(status).toMatchObject({ state: 'active', license_id: current.lid });
      expect(status.renewal).toMatchObject({
        failures: before + 1,
        last_failed_at: new Date(clock).toISOString(),
        next_attempt_at: new Date(clock + renewalRetryDelayMs(before + 1)).toISOString(),
        renewed_at: expect.any(String),
      });
      expect(status.renewal.last_error).toMatch(reason);

      const audit = await lastAudit(server, 'license.renewal_failed');
      expect(audit).toMatchObject({
        actor: { kind: 'token' },
        target: { kind: 'license', id: current.lid },
        details: { lid: current.lid, trigger: 'manual' },
      });
      expect(audit.details.reason).toMatch(reason);
      const everything = JSON.stringify(audit);
      for (const token of tokens) expect(everything).not.toContain(token.split('.')[2]);
    });

    it('over GraphQL it is a DependencyError LICENSE_RENEWAL_FAILED', async () => {
      issuerServer.answer((_req, res) => res.writeHead(503).end());
      const { body } = await gql(
        server,
        'mutation { renewLicense { __typename ... on Error { code message } } }',
      );
      expect(body.data?.renewLicense).toMatchObject({
        __typename: 'DependencyError',
        code: 'LICENSE_RENEWAL_FAILED',
        message: expect.stringMatching(/answered HTTP 503; the current license stays in force/),
      });
    });

    it('and the tenant still holds the license in force', async () => {
      expect(await held()).toEqual({ token: current.token, user_cap: 100 });
    });
  });

  it('a renewal answered after the license was replaced does not undo the replacement', async () => {
    let arrived!: () => void;
    const asked = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stale = await answerWith('lic-stale-renewal');
    issuerServer.answer((req, res) => {
      arrived();
      void released.then(() => json({ license: stale })(req, res));
    });
    const renewing = rest(server, 'POST', '/license/renew');
    // The renewal must reach the issuer; if it ends first, the assertions below say how.
    await Promise.race([asked, renewing]);
    // An operator activates a new license while the issuer is still answering the renewal.
    const replacement = await licenseAt(clock, {
      lid: 'lic-replacement',
      expiresAt: Math.floor((clock + 400 * DAY_MS) / 1000),
      renewalUrl: renewalUrl(),
    });
    tokens.push(replacement);
    expect((await rest(server, 'POST', '/license', { license: replacement })).status).toBe(200);
    release();
    const res = await renewing;
    await settle();

    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('LICENSE_CHANGED');
    const status = await licenseOf(server);
    expect(status).toMatchObject({ license_id: 'lic-replacement' });
    // The new license's renewal record starts clean: the old one's renewal is not its failure.
    expect(status.renewal).toMatchObject({ failures: 0, last_error: null, next_attempt_at: null });
    expect(await held()).toEqual({ token: replacement, user_cap: 100 });
    current = {
      lid: 'lic-replacement',
      token: replacement,
      expiresAt: Math.floor((clock + 400 * DAY_MS) / 1000),
    };
  });

  it('a renewal failing after the license was replaced is audited but not counted against the new one', async () => {
    let arrived!: () => void;
    const asked = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    issuerServer.answer((_req, res) => {
      arrived();
      void released.then(() => res.writeHead(500).end());
    });
    const renewing = rest(server, 'POST', '/license/renew');
    await Promise.race([asked, renewing]);
    const replacement = await licenseAt(clock, {
      lid: 'lic-replacement-2',
      expiresAt: Math.floor((clock + 400 * DAY_MS) / 1000),
      renewalUrl: renewalUrl(),
    });
    tokens.push(replacement);
    expect((await rest(server, 'POST', '/license', { license: replacement })).status).toBe(200);
    release();
    const res = await renewing;
    await settle();

    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('LICENSE_RENEWAL_FAILED');
    const status = await licenseOf(server);
    expect(status).toMatchObject({ license_id: 'lic-replacement-2' });
    expect(status.renewal).toMatchObject({ failures: 0, last_error: null, next_attempt_at: null });
    expect((await lastAudit(server, 'license.renewal_failed')).details).toMatchObject({
      lid: 'lic-replacement',
      reason: 'the renewal server answered HTTP 500',
    });
  });

  it('automatic: nothing before the window; inside it a failure waits for nextAttemptAt, then renews', async () => {
    const renewal = createLicenseRenewal(server.services, { intervalMs: 3_600_000 });
    const first = await activate('lic-auto', 20);
    issuerServer.answer((_req, res) => res.writeHead(500).end());
    issuerServer.requests.length = 0;

    expect(await renewal.runOnce()).toBe('not-due');
    clock = current.expiresAt * 1000 - 14 * DAY_MS - 1;
    expect(await renewal.runOnce()).toBe('not-due');
    expect(issuerServer.requests).toEqual([]);

    // The window opens 14 days (LICENSE_RENEW_DAYS) before expiry.
    clock += 1;
    expect(await renewal.runOnce()).toBe('failed');
    expect(issuerServer.requests).toHaveLength(1);
    const failed = await licenseOf(server);
    expect(failed).toMatchObject({ license_id: 'lic-auto', state: 'expiring' });
    expect(failed.renewal).toMatchObject({
      failures: 1,
      last_error: 'the renewal server answered HTTP 500',
      next_attempt_at: new Date(clock + 60_000).toISOString(),
    });
    expect(await lastAudit(server, 'license.renewal_failed')).toMatchObject({
      actor: { kind: 'system', label: 'control plane' },
      details: { lid: 'lic-auto', trigger: 'automatic' },
    });

    // Not retried before nextAttemptAt, even though the issuer would now answer.
    const next = await answerWith('lic-auto-2');
    issuerServer.answer(json({ license: next }));
    expect(await renewal.runOnce()).toBe('not-due');
    clock += 59_999;
    expect(await renewal.runOnce()).toBe('not-due');
    expect(issuerServer.requests).toHaveLength(1);

    clock += 1;
    expect(await renewal.runOnce()).toBe('renewed');
    expect(issuerServer.requests).toHaveLength(2);
    expect(issuerServer.requests[1]!.authorization).toBe(`Bearer ${first}`);
    const done = await licenseOf(server);
    expect(done).toMatchObject({ license_id: 'lic-auto-2', state: 'active', activated_by: 'control plane' });
    expect(done.renewal).toMatchObject({
      failures: 0,
      last_error: null,
      renewed_at: new Date(clock).toISOString(),
    });
    expect(Date.parse(done.renewal.next_attempt_at)).toBeGreaterThanOrEqual(clock + 3_600_000);
    await settle();
    expect(await held()).toEqual({ token: next, user_cap: 100 });

    // The renewed license is a year from its window: nothing more to do.
    expect(await renewal.runOnce()).toBe('not-due');
    expect(issuerServer.requests).toHaveLength(2);
  });

  it('automatic: an issuer of short licenses is not asked on every tick, only after a quarter of the new life', async () => {
    const renewal = createLicenseRenewal(server.services, { intervalMs: 3_600_000 });
    await activate('lic-weekly', 7);
    issuerServer.requests.length = 0;
    // Each answer is another week: always inside the 14-day window.
    const weekly = await answerWith('lic-weekly-2', { expiresAt: Math.floor((clock + 8 * DAY_MS) / 1000) });
    issuerServer.answer(json({ license: weekly }));
    expect(await renewal.runOnce()).toBe('renewed');
    const renewedAt = clock;
    for (let tick = 0; tick < 5; tick++) {
      clock += 60_000;
      expect(await renewal.runOnce()).toBe('not-due');
    }
    expect(issuerServer.requests).toHaveLength(1);
    // A quarter of 8 days later it is asked again.
    clock = renewedAt + 2 * DAY_MS;
    issuerServer.answer(
      json({
        license: await answerWith('lic-weekly-3', { expiresAt: Math.floor((clock + 8 * DAY_MS) / 1000) }),
      }),
    );
    expect(await renewal.runOnce()).toBe('renewed');
    expect(issuerServer.requests).toHaveLength(2);
  });

  // An activation starts a fresh renewal history: renewedAt is null again.
  it('an activated license shows renewedAt null even after earlier renewals', async () => {
    expect((await licenseOf(server)).renewal.renewed_at).not.toBeNull();
    await activate('lic-fresh', 200);
    expect((await licenseOf(server)).renewal.renewed_at).toBeNull();
  });

  it('never puts a token in the log', () => {
    const logs = server.logs.join('\n');
    expect(logs).toContain('license renewal failed');
    for (const token of tokens) expect(logs).not.toContain(token.split('.')[2]);
  });
});

describe('license renewal with LICENSE_RENEWAL_ALLOW_HTTP=false', () => {
  const server = useTestServer({
    LICENSE_PUBLIC_KEYS: jwks(issuer),
    LICENSE_RENEWAL_ALLOW_HTTP: 'false',
    RECONCILE_INTERVAL_MS: '3600000',
    STATUS_POLL_INTERVAL_MS: '3600000',
  });
  let issuerServer: RenewalServer;
  beforeAll(async () => {
    issuerServer = await startRenewalServer();
  });
  afterAll(() => issuerServer?.stop());

  it('refuses a plain-http renewal URL without calling it: 502 saying how to allow it, recorded', async () => {
    const token = await mint(issuer, { lid: 'lic-http', renewalUrl: `${issuerServer.url}/renew` });
    expect((await rest(server, 'POST', '/license', { license: token })).status).toBe(200);
    issuerServer.answer(json({ license: await mint(issuer, { lid: 'lic-http-2' }, 730) }));

    const res = await rest(server, 'POST', '/license/renew');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('LICENSE_RENEWAL_FAILED');
    expect(res.body.error.message).toContain(
      'the renewal URL is http, not https; set LICENSE_RENEWAL_ALLOW_HTTP=true to allow it',
    );
    expect(issuerServer.requests).toEqual([]);
    const status = await licenseOf(server);
    expect(status).toMatchObject({ license_id: 'lic-http' });
    expect(status.renewal).toMatchObject({ failures: 1, last_error: expect.stringContaining('not https') });
    expect((await lastAudit(server, 'license.renewal_failed')).details).toMatchObject({ lid: 'lic-http' });
  });
});
