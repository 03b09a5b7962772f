import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { V1Secret } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTenantState } from '../../../../../server/dev/tenant-sim/fixtures.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../support/kube.ts';
import { freePort } from '../../../../support/ports.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../../../support/smtp.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const PASSWORD = 'relay-secret-7f3a9c';

let smtp: TestSmtpServer;
let clock = Date.now();
const env: Record<string, string> = {
  RECONCILE_INTERVAL_MS: '3600000',
  STATUS_POLL_INTERVAL_MS: '3600000',
  ALERT_INTERVAL_MS: '3600000',
  TENANT_API_TIMEOUT_MS: '1000',
  SMTP_TIMEOUT_MS: '1500',
};
beforeAll(async () => {
  smtp = await startTestSmtpServer({ user: 'relay-user', password: PASSWORD });
  env.SMTP_CA_FILE = smtp.caFile;
});
afterAll(() => smtp?.stop());

/**
 * The SMTP relay against a real SMTP server (smtp-server with STARTTLS on a certificate made for
 * this run, and authentication) and real tenant backends (the tenant simulator, each tenant its
 * own database): what a backend holds is read from its database, and what the relay received is
 * what the SMTP server parsed.
 */
describe('SMTP relay', () => {
  const server = useTestServer(env, { now: () => new Date(clock) });
  const slugs = [uniqueSlug('smtp-a'), uniqueSlug('smtp-b'), uniqueSlug('smtp-late')];
  const [a, b, late] = slugs as [string, string, string];
  afterAll(async () => {
    await dropTenantDatabases(slugs);
  });

  const relay = (overrides: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: smtp.port,
    username: 'relay-user',
    password: PASSWORD,
    from: 'noreply@acme.test',
    ...overrides,
  });
  const held = async (slug: string) =>
    (await readTenantState((await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!)).smtp;
  const active = async (slug: string) =>
    eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      `${slug} active`,
    );

  beforeAll(async () => {
    for (const slug of [a, b]) {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    }
    for (const slug of [a, b]) await active(slug);
  }, 40_000);

  it('reads as not configured before anything is set, with no password', async () => {
    const { status, body } = await rest(server, 'GET', '/settings/smtp');
    expect(status).toBe(200);
    expect(body).toMatchObject({ configured: false, password_set: false, host: null });
    expect(await held(a)).toBeUndefined();
  });

  it.each([
    ['port 0', { port: 0 }, 'port'],
    ['port 70000', { port: 70000 }, 'port'],
    ['an empty host', { host: '' }, 'host'],
    ['an unknown tls', { tls: 'ssl3' }, 'tls'],
    ['a sender that is no address', { from: 'noreply' }, 'from'],
    ['an unknown field', { pasword: 'typo' }, ''],
  ])('refuses %s with 400 and changes nothing', async (_what, bad, field) => {
    const before = (await rest(server, 'GET', '/settings/smtp')).body;
    const { status, body } = await rest(server, 'PUT', '/settings/smtp', relay(bad));
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain(field);
    expect((await rest(server, 'GET', '/settings/smtp')).body).toEqual(before);
    expect(await server.services.cluster.read('Secret', 'v1', 'cp-smtp')).toBeUndefined();
  });

  it('refuses the same through GraphQL with a typed error', async () => {
    const { body } = await gql(
      server,
      `mutation($input: SmtpSettingsInput!) { updateSmtpSettings(input: $input) {
        __typename ... on ValidationError { issues { path message } } } }`,
      { input: { host: 'smtp.acme.test', port: 70000, from: 'noreply@acme.test' } },
    );
    expect(body.data).toMatchObject({ updateSmtpSettings: { __typename: 'ValidationError' } });
    expect((await rest(server, 'GET', '/settings/smtp')).body.configured).toBe(false);
  });

  it('sets the relay: the password goes to Secret cp-smtp only, every tenant backend holds the relay, and a down one is retried', async () => {
    server.tenantSim!.faults.set(b, { down: true });
    const { status, body } = await rest(server, 'PUT', '/settings/smtp', relay());
    expect(status).toBe(200);
    expect(body).toMatchObject({
      configured: true,
      host: '127.0.0.1',
      port: smtp.port,
      username: 'relay-user',
      password_set: true,
      from: 'noreply@acme.test',
      tls: 'starttls',
    });
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
    const secret = await server.services.cluster.read<V1Secret>('Secret', 'v1', 'cp-smtp');
    expect(Buffer.from(secret!.data!.SMTP_PASSWORD!, 'base64').toString()).toBe(PASSWORD);

    await server.services.smtpSync.idle();
    const hash = createHash('sha256').update(PASSWORD).digest('hex');
    expect(await held(a)).toEqual({
      config: {
        host: '127.0.0.1',
        port: smtp.port,
        username: 'relay-user',
        from: 'noreply@acme.test',
        tls: 'starttls',
      },
      passwordHash: hash,
    });
    expect(await held(b)).toBeUndefined();
    expect((await rest(server, 'GET', '/settings/smtp')).body.sync).toMatchObject({
      total: 2,
      synced: 1,
      failed: 1,
    });

    server.tenantSim!.faults.clear(b);
    await server.services.smtpSync.runOnce();
    expect(await held(b), 'not before its backoff ends').toBeUndefined();
    clock += 2000;
    await server.services.smtpSync.runOnce();
    expect((await held(b))?.passwordHash).toBe(hash);
    expect((await rest(server, 'GET', '/settings/smtp')).body.sync).toMatchObject({ synced: 2, failed: 0 });
  });

  it('keeps the stored password when an update leaves it out', async () => {
    const { password: _left, ...rest_ } = relay({ from: 'alerts@acme.test' });
    const { status, body } = await rest(server, 'PUT', '/settings/smtp', rest_);
    expect(status).toBe(200);
    expect(body).toMatchObject({ password_set: true, from: 'alerts@acme.test' });
    await server.services.smtpSync.idle();
    const state = await held(a);
    expect(state?.config).toMatchObject({ from: 'alerts@acme.test' });
    expect(state?.passwordHash).toBe(createHash('sha256').update(PASSWORD).digest('hex'));
  });

  it('audits the changed field names, never the password, and logs no password', async () => {
    const audit = (await rest(server, 'GET', '/audit?action=settings.smtp.updated&first=10')).body.entries;
    expect(audit.map((e: { details: { changed: string[] } }) => e.details.changed)).toEqual([
      ['from'],
      ['host', 'port', 'username', 'from', 'tls', 'password'],
    ]);
    expect(JSON.stringify((await rest(server, 'GET', '/audit?first=500')).body)).not.toContain(PASSWORD);
    expect(server.logs.join('\n')).not.toContain(PASSWORD);
    const { body } = await gql(server, '{ smtpSettings { passwordSet host } }');
    expect(body.data).toEqual({ smtpSettings: { passwordSet: true, host: '127.0.0.1' } });
  });

  it('gives a tenant created later the relay while it is provisioned', async () => {
    expect((await rest(server, 'POST', '/tenants', { slug: late, name: late })).status).toBe(201);
    await active(late);
    expect((await held(late))?.config).toMatchObject({ host: '127.0.0.1', from: 'alerts@acme.test' });
    const steps = (await rest(server, 'GET', `/tenants/${late}`)).body.operation.steps;
    expect(steps.map((s: { name: string }) => s.name)).toContain('smtp');
  });

  it('sends a real test e-mail over STARTTLS with authentication: it arrives with the right from, to and body', async () => {
    const before = smtp.received.length;
    const { status, body } = await rest(server, 'POST', '/settings/smtp/test', { to: 'ops@acme.test' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.response).toMatch(/^250 /);
    expect(body.via).toBe(`127.0.0.1:${smtp.port}`);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail).toMatchObject({
      from: 'alerts@acme.test',
      to: ['ops@acme.test'],
      subject: 'JustIAM control plane: SMTP test',
      user: 'relay-user',
    });
    expect(mail!.text).toContain('test e-mail from the JustIAM control plane');
  });

  it('reports a wrong password as an authentication failure with the server’s reply', async () => {
    expect((await rest(server, 'PUT', '/settings/smtp', relay({ password: 'wrong-password' }))).status).toBe(
      200,
    );
    const before = smtp.received.length;
    const { status, body } = await rest(server, 'POST', '/settings/smtp/test', { to: 'ops@acme.test' });
    expect(status).toBe(502);
    expect(body.error.code).toBe('SMTP_AUTHENTICATION_FAILED');
    expect(body.error.message).toMatch(/authentication failed.*535/);
    expect(body.error.message).not.toContain('wrong-password');
    expect(smtp.received.length).toBe(before);
    const audit = (await rest(server, 'GET', '/audit?action=settings.smtp.tested&first=1')).body.entries;
    expect(audit[0].details).toEqual({ to: 'ops@acme.test', outcome: 'SMTP_AUTHENTICATION_FAILED' });
  });

  it('reports a refused connection, a TLS error and a silent server as such, within a bounded time', async () => {
    const closed = await freePort();
    expect((await rest(server, 'PUT', '/settings/smtp', relay({ port: closed }))).status).toBe(200);
    let answer = await rest(server, 'POST', '/settings/smtp/test', { to: 'ops@acme.test' });
    expect(answer.body.error.code).toBe('SMTP_CONNECTION_REFUSED');
    expect(answer.body.error.message).toContain('connection refused');

    // TLS from the first byte against a server that speaks plain SMTP first.
    expect((await rest(server, 'PUT', '/settings/smtp', relay({ tls: 'tls' }))).status).toBe(200);
    answer = await rest(server, 'POST', '/settings/smtp/test', { to: 'ops@acme.test' });
    expect(answer.body.error.code).toBe('SMTP_TLS_ERROR');

    const silent = await silentServer();
    try {
      const port = (silent.address() as { port: number }).port;
      expect((await rest(server, 'PUT', '/settings/smtp', relay({ port, tls: 'starttls' }))).status).toBe(
        200,
      );
      const started = Date.now();
      answer = await rest(server, 'POST', '/settings/smtp/test', { to: 'ops@acme.test' });
      expect(answer.status).toBe(502);
      expect(answer.body.error.code).toBe('SMTP_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(4 * 1500);
    } finally {
      silent.close();
    }
  });

  it('finishes what a replica that died mid-round left: a line it claimed is told once the claim lapses', async () => {
    expect((await rest(server, 'PUT', '/settings/smtp', relay({ from: 'lapsed@acme.test' }))).status).toBe(
      200,
    );
    await server.services.smtpSync.idle();
    // The backend never got it, and a replica that has since died holds the line's claim.
    const url = (await readTenantSecret(server.services.cluster, a))!.DATABASE_URL!;
    const tenant = new pg.Client({ connectionString: url });
    await tenant.connect();
    await tenant.query('delete from smtp_config');
    await tenant.end();
    const id = (
      await server.services.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', a)
        .executeTakeFirstOrThrow()
    ).id;
    await server.services.db
      .updateTable('tenant_smtp')
      .set({
        state: 'pending',
        claimed_until: new Date(clock + 30_000),
        claim_token: randomUUID(),
        next_attempt_at: new Date(clock),
      })
      .where('tenant_id', '=', id)
      .execute();
    await server.services.smtpSync.runOnce();
    expect(await held(a), 'left alone while the claim holds').toBeUndefined();
    clock += 31_000;
    await server.services.smtpSync.runOnce();
    expect((await held(a))?.config).toMatchObject({ from: 'lapsed@acme.test' });
  });

  it('clears the relay: tenants are told they have none, the Secret goes, and mail falls back to the catcher', async () => {
    const { status, body } = await rest(server, 'DELETE', '/settings/smtp');
    expect(status).toBe(200);
    expect(body).toMatchObject({ configured: false, password_set: false, host: null });
    expect(await server.services.cluster.read('Secret', 'v1', 'cp-smtp')).toBeUndefined();
    await server.services.smtpSync.idle();
    for (const slug of [a, b, late]) expect(await held(slug), slug).toBeUndefined();
    const test = await rest(server, 'POST', '/settings/smtp/test', { to: 'ops@acme.test' });
    expect(test.status).toBe(200);
    expect(test.body.from).toBe('control-plane@justiam.local');
    const audit = (await rest(server, 'GET', '/audit?action=settings.smtp.cleared&first=5')).body.entries;
    expect(audit).toHaveLength(1);
    // Clearing nothing changes nothing.
    expect((await rest(server, 'DELETE', '/settings/smtp')).status).toBe(200);
    expect(
      (await rest(server, 'GET', '/audit?action=settings.smtp.cleared&first=5')).body.entries,
    ).toHaveLength(1);
  });

  it('refuses a recipient that is no address with 400', async () => {
    const { status, body } = await rest(server, 'POST', '/settings/smtp/test', { to: 'nobody' });
    expect(status).toBe(400);
    expect(body.error.message).toContain('to');
  });
});

/** Accepts connections and never says a word: a relay that hangs. */
async function silentServer(): Promise<Server> {
  const s = createServer(() => {});
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  return s;
}
