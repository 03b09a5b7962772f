import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { gql, operatorToken, rest, startTestServer, type TestServer } from '../../../support/server.ts';
import { collect, subscribed, wsClient } from '../../../support/ws.ts';

const ME = '{ me { email role } }';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** How a credential's status shows on a replica: the HTTP status of `me`. */
const statusOn = async (server: TestServer, token: string) =>
  (await gql(server, ME, undefined, bearer(token))).status;

/**
 * Each replica checks a credential once per AUTH_CACHE_MS (5 s by default), not once per request;
 * what ends or changes a credential reaches every replica as `auth.revoked`, sent by the database
 * on commit however the change was made.
 */
describe('credentials checked once per few seconds, on two replicas', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let sql: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([startTestServer(database.url), startTestServer(database.url)]);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const newToken = async (name: string) => {
    const { status, body } = await rest(a, 'POST', '/me/tokens', { name, expires_in_days: 1 });
    expect(status).toBe(201);
    return body as { token: string; id: string };
  };
  /** Runs `change` with the auth triggers off: a change the replicas are not told of. */
  const unannounced = async (change: string, values: unknown[]) => {
    await sql.query('begin');
    await sql.query('alter table api_tokens disable trigger user');
    await sql.query(change, values);
    await sql.query('alter table api_tokens enable trigger user');
    await sql.query('commit');
  };

  it('trusts a checked token for a while without reading it again', async () => {
    const { token, id } = await newToken('cached');
    expect(await statusOn(a, token)).toBe(200);
    // Gone from the database without a word to the replicas: A still knows it, B never saw it.
    await unannounced('delete from api_tokens where id = $1', [id]);
    expect(await statusOn(a, token)).toBe(200);
    expect(await statusOn(b, token)).toBe(401);
  });

  it('a token revoked on one replica is refused at once there, and on the other as soon as it hears', async () => {
    const { token, id } = await newToken('revoked');
    expect(await statusOn(a, token)).toBe(200);
    expect(await statusOn(b, token)).toBe(200);
    const revoked = await rest(a, 'DELETE', `/me/tokens/${id}`);
    expect(revoked.status).toBe(200);
    expect(await statusOn(a, token)).toBe(401);
    await expect.poll(() => statusOn(b, token), { timeout: 2000, interval: 20 }).toBe(401);
  });

  it('the replica that revokes forgets at once, without waiting for the event', async () => {
    const { token, id } = await newToken('forgotten');
    expect(await statusOn(a, token)).toBe(200);
    expect(await statusOn(b, token)).toBe(200);
    // No event this time: A refuses because it forgot, B (told nothing) still trusts its entry.
    await sql.query('alter table api_tokens disable trigger api_tokens_revoked');
    try {
      expect((await rest(a, 'DELETE', `/me/tokens/${id}`)).status).toBe(200);
      expect(await statusOn(a, token)).toBe(401);
      expect(await statusOn(b, token)).toBe(200);
    } finally {
      await sql.query('alter table api_tokens enable trigger api_tokens_revoked');
    }
  });

  it('ignores a malformed auth.revoked event and keeps working', async () => {
    const { token } = await newToken('malformed');
    expect(await statusOn(a, token)).toBe(200);
    for (const payload of [
      'null',
      '"x"',
      '{"kind":"token"}',
      '{"kind":"everything","id":"1"}',
      '{"kind":"token","id":7}',
    ]) {
      await sql.query(`select pg_notify('justiam_cp_events', $1)`, [`{"t":"auth.revoked","d":${payload}}`]);
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const server of [a, b]) expect(await statusOn(server, token)).toBe(200);
  });

  it('a token revoked or an operator demoted or deleted with SQL is refused on both replicas', async () => {
    const { token, id } = await newToken('by-sql');
    for (const server of [a, b]) expect(await statusOn(server, token)).toBe(200);
    await sql.query('update api_tokens set revoked_at = now() where id = $1', [id]);
    for (const server of [a, b]) {
      await expect.poll(() => statusOn(server, token), { timeout: 2000, interval: 20 }).toBe(401);
    }

    // The viewer's token: demoted operators lose the admin role at once, deleted ones everything.
    const viewer = String(b.viewerHeaders.authorization).slice('Bearer '.length);
    const role = async (server: TestServer) =>
      (await gql<{ me: { role: string } }>(server, ME, undefined, bearer(viewer))).body.data?.me.role;
    await sql.query(`update operators set role = 'admin' where email = 'viewer@test.local'`);
    for (const server of [a, b]) await expect.poll(() => role(server), { timeout: 2000 }).toBe('ADMIN');
    await sql.query(`update operators set role = 'viewer' where email = 'viewer@test.local'`);
    for (const server of [a, b]) await expect.poll(() => role(server), { timeout: 2000 }).toBe('VIEWER');
    await sql.query(`update operators set deleted_at = now() where email = 'viewer@test.local'`);
    for (const server of [a, b]) {
      await expect.poll(() => statusOn(server, viewer), { timeout: 2000, interval: 20 }).toBe(401);
    }
  });

  it("closes an operator's live subscriptions when the operator changes", async () => {
    const token = await operatorToken(database.url, 'erin@test.local', 'viewer');
    const client = wsClient(b.url, { authorization: `Bearer ${token}` });
    const sub = collect(client, 'subscription { auditEvents { action } }');
    await subscribed(b.services.bus, 'audit.recorded');
    await sql.query(`update operators set name = 'Erin' where email = 'erin@test.local'`);
    await expect
      .poll(() => (sub.failure as { code?: number } | undefined)?.code, { timeout: 5000 })
      .toBe(4401);
    await client.dispose();
  });

  it('the database announces what ends or changes a credential, and not its use', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const heard: { kind: string; id: string }[] = [];
    listener.on('notification', (message) => {
      const event = JSON.parse(message.payload ?? '{}') as { t: string; d: { kind: string; id: string } };
      if (event.t === 'auth.revoked') heard.push(event.d);
    });
    await listener.query('listen justiam_cp_events');
    try {
      const { token, id } = await newToken('announced');
      expect(await statusOn(b, token)).toBe(200);
      const { rows } = await sql.query<{ id: string }>(
        `insert into operators (issuer, subject, email, role) values ('test', 'dora', 'dora@test.local', 'viewer')
         returning id`,
      );
      const dora = rows[0]!.id;
      await sql.query(
        `insert into sessions (id_hash, operator_id, expires_at) values ('dora-session', $1, now() + interval '1 hour')`,
        [dora],
      );
      // Use: nothing to announce.
      await sql.query('update api_tokens set last_used_at = now() where id = $1', [id]);
      await sql.query(`update sessions set last_seen_at = now() where id_hash = 'dora-session'`);
      await sql.query('update operators set last_login_at = now(), role = role where id = $1', [dora]);
      // Rows that could not be in use any more go unannounced.
      await sql.query(
        `insert into sessions (id_hash, operator_id, expires_at, ended_at)
         values ('dora-old', $1, now() + interval '1 hour', now()), ('dora-expired', $1, now() - interval '1 hour', null)`,
        [dora],
      );
      await sql.query(`delete from sessions where id_hash in ('dora-old', 'dora-expired')`);
      // Ends and changes: one event each.
      await sql.query(`update sessions set ended_at = now() where id_hash = 'dora-session'`);
      await sql.query('update api_tokens set expires_at = expires_at - interval $$1 minute$$ where id = $1', [
        id,
      ]);
      await sql.query(`update operators set email = 'dora@example.com' where id = $1`, [dora]);
      await sql.query(`update api_tokens set hash = 'rotated-by-hand' where id = $1`, [id]);
      await sql.query('delete from api_tokens where id = $1', [id]);
      await sql.query('delete from operators where id = $1', [dora]);
      // Emptying a table ends every credential in it.
      await sql.query(`create temp table kept as select * from sessions`);
      await sql.query('truncate sessions');
      await sql.query('insert into sessions select * from kept');
      await expect.poll(() => heard.length, { timeout: 2000 }).toBeGreaterThanOrEqual(7);
      await new Promise((r) => setTimeout(r, 100));
      // The operator's session went with it by cascade, unannounced: it had ended already.
      expect(heard).toEqual([
        { kind: 'session', id: 'dora-session' },
        { kind: 'token', id },
        { kind: 'operator', id: dora },
        { kind: 'token', id },
        { kind: 'token', id },
        { kind: 'operator', id: dora },
        { kind: 'all', id: '' },
      ]);
    } finally {
      await listener.end();
    }
  });
});
