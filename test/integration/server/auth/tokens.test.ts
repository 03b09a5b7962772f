import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { gql, rest as restCall, useTestServer } from '../../../support/server.ts';
import { collect, subscribed, unsubscribed, wsClient } from '../../../support/ws.ts';

describe('API tokens', () => {
  let clockOffsetMs = 0;
  const server = useTestServer({}, { now: () => new Date(Date.now() + clockOffsetMs) });

  const rest = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = server.headers,
  ) => {
    const { status, body: answer } = await restCall(server, method, path, body, headers);
    return { status, body: answer as any };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const whoAmI = async (token: string) =>
    (await gql(server, '{ me { email authenticatedBy } }', undefined, bearer(token))).status;

  it('POST /me/tokens returns the token once; it is stored as a hash and listed by prefix only', async () => {
    const created = await rest('POST', '/me/tokens', { name: 'terraform-automation', expires_in_days: 90 });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^cpt_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      name: 'terraform-automation',
      prefix: created.body.token.slice(0, 8),
    });
    expect(Date.parse(created.body.expires_at) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    expect(await whoAmI(created.body.token)).toBe(200);

    const listed = await rest('GET', '/me/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const mine = listed.body.tokens.find((t: { id: string }) => t.id === created.body.id);
    expect(mine).toMatchObject({ name: 'terraform-automation', revoked_at: null });
    expect(mine.last_used_at).not.toBeNull();

    const rows = await server.services.db.selectFrom('api_tokens').select('hash').execute();
    expect(JSON.stringify(rows)).not.toContain(created.body.token);
  });

  it('works on GraphQL, graphql-ws and REST alike', async () => {
    const { body } = await rest('POST', '/me/tokens', { name: 'everywhere', expires_in_days: 1 });
    expect((await rest('GET', '/audit?first=1', undefined, bearer(body.token))).status).toBe(200);
    const client = wsClient(server.url, { authorization: `Bearer ${body.token}` });
    const sub = collect(client, 'subscription { auditEvents { action } }');
    await subscribed(server.services.bus, 'audit.recorded');
    expect(sub.failure).toBeUndefined();
    sub.stop();
    await unsubscribed(server.services.bus, 'audit.recorded');
    await client.dispose();
  });

  it('a revoked token gets 401 and its live subscriptions are closed', async () => {
    const { body } = await rest('POST', '/me/tokens', { name: 'short-lived', expires_in_days: 1 });
    const client = wsClient(server.url, { authorization: `Bearer ${body.token}` });
    const sub = collect(client, 'subscription { auditEvents { action } }');
    await subscribed(server.services.bus, 'audit.recorded');
    const revoked = await rest('DELETE', `/me/tokens/${body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect(await whoAmI(body.token)).toBe(401);
    await expect
      .poll(() => (sub.failure as { code?: number } | undefined)?.code, { timeout: 5000 })
      .toBe(4401);
    await client.dispose();
    expect((await rest('DELETE', `/me/tokens/${body.id}`)).status).toBe(404);
    expect((await rest('DELETE', '/me/tokens/not-a-uuid')).status).toBe(404);
  });

  it('an expired token gets 401 (the clock is driven, not waited for)', async () => {
    const { body } = await rest('POST', '/me/tokens', { name: 'expiring', expires_in_days: 1 });
    expect(await whoAmI(body.token)).toBe(200);
    clockOffsetMs = 86_400_000 + 1000;
    try {
      expect(await whoAmI(body.token)).toBe(401);
    } finally {
      clockOffsetMs = 0;
    }
    expect(await whoAmI(body.token)).toBe(200);
  });

  it('a tampered token and the token of a deleted operator get 401', async () => {
    const { body } = await rest('POST', '/me/tokens', { name: 'tamper', expires_in_days: 1 });
    const last = body.token.at(-1) === 'A' ? 'B' : 'A';
    expect(await whoAmI(`${body.token.slice(0, -1)}${last}`)).toBe(401);

    await server.services.db
      .updateTable('operators')
      .set({ deleted_at: new Date() })
      .where('email', '=', 'viewer@test.local')
      .execute();
    const { status } = await gql(server, '{ me { email } }', undefined, server.viewerHeaders);
    expect(status).toBe(401);
  });

  it.each([
    ['expires_in_days 0', { name: 'x', expires_in_days: 0 }, /expires_in_days: must be between 1 and 365/],
    [
      'expires_in_days 366',
      { name: 'x', expires_in_days: 366 },
      /expires_in_days: must be between 1 and 365/,
    ],
    [
      'expires_in_days "abc"',
      { name: 'x', expires_in_days: 'abc' },
      /expires_in_days: is required and must be a whole number of days/,
    ],
    [
      'a fractional day count',
      { name: 'x', expires_in_days: 1.5 },
      /expires_in_days: must be a whole number of days/,
    ],
    ['a missing name', { expires_in_days: 5 }, /name: is required/],
    [
      'a 10 kB name',
      { name: 'n'.repeat(10_000), expires_in_days: 5 },
      /name: must be at most 100 characters/,
    ],
  ])('refuses %s with a clear 400 and creates nothing', async (_what, body, message) => {
    const before = (await rest('GET', '/me/tokens')).body.tokens.length;
    const res = await rest('POST', '/me/tokens', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await rest('GET', '/me/tokens')).body.tokens.length).toBe(before);
  });

  it('token creation and revocation are in the audit log, without the token', async () => {
    const { body } = await rest('POST', '/me/tokens', { name: 'audited', expires_in_days: 1 });
    await rest('DELETE', `/me/tokens/${body.id}`);
    const audit = await rest('GET', `/audit?action=token.*&target_id=${body.id}`);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'token.revoked',
      'token.created',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(body.token);
  });

  it('`justiam-cp token create` makes an operator and prints a working token, headless', async () => {
    const child = spawn(
      'node',
      [
        'bin/justiam-cp.mjs',
        'token',
        'create',
        '--email',
        'robot@example.com',
        '--name',
        'ci',
        '--expires-in-days',
        '7',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DATABASE_URL: server.database.url,
        },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const token = out.trim();
    expect(token).toMatch(/^cpt_/);
    const { body } = await gql(server, '{ me { email role } }', undefined, bearer(token));
    expect(body.data).toEqual({ me: { email: 'robot@example.com', role: 'ADMIN' } });

    const bad = spawn('node', ['bin/justiam-cp.mjs', 'token', 'create', '--email', 'nope', '--name', 'x'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: server.database.url },
    });
    let err = '';
    bad.stderr.on('data', (d) => {
      err += d;
    });
    const [badCode] = await once(bad, 'exit');
    expect(badCode).toBe(2);
    expect(err).toContain('--email must be an email address');
  });
});
