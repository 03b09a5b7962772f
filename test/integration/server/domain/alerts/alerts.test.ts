import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../../../server/db/database.ts';
import { evaluateAlerts } from '../../../../../server/domain/alerts/evaluator.ts';
import { createMailer } from '../../../../../server/domain/mail/mailer.ts';
import { createLogger } from '../../../../../server/log.ts';
import { eventually } from '../../../../support/kube.ts';
import { jwks, mint, testSigner } from '../../../../support/license.ts';
import { operatorToken, rest, useTestServer } from '../../../../support/server.ts';
import { type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from '../../../../support/smtp.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const DAY = 86_400_000;
const issuer = testSigner('alerts-2026');

let smtp: TestSmtpServer;
let clock = Date.now();
const env: Record<string, string> = {
  LICENSE_PUBLIC_KEYS: jwks(issuer),
  RECONCILE_INTERVAL_MS: '3600000',
  STATUS_POLL_INTERVAL_MS: '3600000',
  ALERT_INTERVAL_MS: '3600000',
  LICENSE_RENEW_DAYS: '0',
};
beforeAll(async () => {
  smtp = await startTestSmtpServer({ user: 'relay-user', password: 'relay-pass' });
  env.SMTP_CA_FILE = smtp.caFile;
});
afterAll(() => smtp?.stop());

/**
 * Alerts and daily reports mailed to a real SMTP server, with the control plane's clock driven by
 * the test. Evaluations run when the test asks (and after events), never on a timer, so "once"
 * means once however many evaluations ran.
 */
describe('alerts that send', () => {
  const server = useTestServer(env, { now: () => new Date(clock) });
  const slug = uniqueSlug('alerts');
  afterAll(async () => {
    await dropTenantDatabases([slug]);
  });

  // The clock moves weeks ahead: an API token that outlives it (the default one lasts 30 days).
  let token = '';
  const api = () => ({ url: server.url, headers: { authorization: `Bearer ${token}` } });
  /** Messages whose subject matches, in arrival order. */
  const mails = (pattern: RegExp): ReceivedMail[] => smtp.received.filter((m) => pattern.test(m.subject));
  /** Evaluates `times` times, as the leader's job and events would. */
  const evaluate = async (times = 3) => {
    for (let i = 0; i < times; i++) await server.services.alerts.runOnce();
  };
  const tenantId = async () =>
    (
      await server.services.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;
  const setUsers = async (users: number) =>
    server.services.db.updateTable('tenants').set({ users }).where('slug', '=', slug).execute();

  beforeAll(async () => {
    token = await operatorToken(server.database.url, 'alerts-admin@test.local', 'admin', 365);
    const set = await rest(api(), 'PUT', '/settings/smtp', {
      host: '127.0.0.1',
      port: smtp.port,
      username: 'relay-user',
      password: 'relay-pass',
      from: 'alerts@acme.test',
    });
    expect(set.status).toBe(200);
    expect((await rest(api(), 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => (await rest(api(), 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'tenant active',
    );
  }, 40_000);

  it('refuses bad alert rules with 400 and changes nothing', async () => {
    const before = (await rest(api(), 'GET', '/settings/alerts')).body;
    for (const bad of [
      { alert_email: 'not-an-email' },
      { license_lead_days: [0] },
      { license_lead_days: [7, 7] },
      { capacity_thresholds: [] },
      { report_hour: 24 },
      { report_time_zone: 'Mars/Olympus' },
    ]) {
      const { status } = await rest(api(), 'PUT', '/settings/alerts', { ...bad, daily_reports: true });
      expect(status, JSON.stringify(bad)).toBe(400);
    }
    expect((await rest(api(), 'GET', '/settings/alerts')).body).toEqual(before);
    expect(before).toMatchObject({
      license_lead_days: [30, 7, 1],
      capacity_thresholds: [80, 100],
      report_hour: 8,
      report_time_zone: 'UTC',
    });
  });

  it('mails nothing while no alert e-mail is set, and then what is open', async () => {
    const token = await mint(issuer, { lid: 'lic-short', maxUsers: 100 }, 40);
    expect((await rest(api(), 'POST', '/license', { license: token })).status).toBe(200);
    clock += 11 * DAY; // 29 days left: inside the 30-day lead time
    await evaluate();
    expect(mails(/lic-short/)).toEqual([]);
    expect((await rest(api(), 'PUT', '/settings/alerts', { alert_email: 'ops@acme.test' })).status).toBe(200);
    await evaluate();
    await eventually(() => mails(/lic-short/).length === 1, 5000, 'the open alert mailed');
  });

  it('mails the license-expiring alert once per lead time, not once per evaluation, then expired, then resolved', async () => {
    const expiring = () => mails(/License lic-short expires within/);
    expect(expiring().map((m) => m.subject)).toEqual([
      '[JustIAM warning] License lic-short expires within 30 days',
    ]);
    expect(expiring()[0]).toMatchObject({ from: 'alerts@acme.test', to: ['ops@acme.test'] });
    expect(expiring()[0]!.text).toContain('lic-short');

    clock += 23 * DAY; // 6 days left
    await evaluate();
    await eventually(() => expiring().length === 2, 5000, 'the 7-day alert');
    clock += 5.5 * DAY; // half a day left
    await evaluate();
    await eventually(() => expiring().length === 3, 5000, 'the 1-day alert');
    await evaluate(5);
    expect(expiring().map((m) => m.subject.replace(/.*within /, ''))).toEqual(['30 days', '7 days', '1 day']);

    clock += DAY; // expired
    await evaluate();
    await eventually(() => mails(/lic-short has expired/).length === 1, 5000, 'the expired alert');

    const history = (await rest(api(), 'GET', '/alerts?status=open')).body.alerts;
    expect(history.map((a: { key: string }) => a.key)).toEqual(
      expect.arrayContaining([
        'license_expiring:lic-short:30',
        'license_expiring:lic-short:7',
        'license_expiring:lic-short:1',
        'license_expired:lic-short',
      ]),
    );
    for (const a of history) expect(a).toMatchObject({ sent_to: 'ops@acme.test', state: 'open' });

    // A new license clears them all: one "resolved" message each.
    const renewed = await mint(issuer, { lid: 'lic-long', maxUsers: 100 }, 365);
    clock = Date.now();
    expect((await rest(api(), 'POST', '/license', { license: renewed })).status).toBe(200);
    await evaluate();
    await eventually(() => mails(/^\[JustIAM resolved\].*lic-short/).length === 4, 5000, 'four resolutions');
    await evaluate(3);
    expect(mails(/^\[JustIAM resolved\].*lic-short/)).toHaveLength(4);
    expect((await rest(api(), 'GET', '/alerts?status=open')).body.alerts).toEqual([]);
  });

  it('mails capacity alerts at 80 % and 100 % of a tenant’s allocation, and their resolution', async () => {
    expect((await rest(api(), 'PUT', `/tenants/${slug}/license-allocation`, { user_cap: 10 })).status).toBe(
      200,
    );
    const capacity = () => mails(new RegExp(`Tenant ${slug} is at`));
    await setUsers(7);
    await evaluate();
    expect(capacity()).toEqual([]);
    await setUsers(8);
    await evaluate();
    await eventually(() => capacity().length === 1, 5000, 'the 80 % alert');
    await setUsers(9);
    await evaluate();
    await setUsers(10);
    await evaluate();
    await eventually(() => capacity().length === 2, 5000, 'the 100 % alert');
    await evaluate(3);
    expect(capacity().map((m) => m.subject)).toEqual([
      `[JustIAM warning] Tenant ${slug} is at 80 % of its user cap`,
      `[JustIAM critical] Tenant ${slug} is at 100 % of its user cap`,
    ]);
    expect(capacity()[1]!.text).toContain('10 of 10 users');

    await setUsers(9); // below 100 %, still above 80 %
    await evaluate();
    await eventually(() => mails(/^\[JustIAM resolved\].*100 %/).length === 1, 5000, '100 % resolved');
    await setUsers(3);
    await evaluate();
    await eventually(() => mails(/^\[JustIAM resolved\].*80 %/).length === 1, 5000, '80 % resolved');
    await evaluate(3);
    expect(mails(new RegExp(`${slug} is at`))).toHaveLength(4);
  });

  it('alerts on an unreachable tenant only once it stays so past the threshold, and resolves it', async () => {
    const down = () => mails(new RegExp(`Tenant ${slug} is unreachable`));
    // Every change is announced on the bus (the dashboard follows it), from the statement that made it.
    const events: { id: string; change: string }[] = [];
    const feed = server.services.bus.subscribe('alert.changed');
    void (async () => {
      for await (const event of feed) events.push(event);
    })();
    const alertId = async () =>
      (
        await server.services.db
          .selectFrom('alerts')
          .select('id')
          .where('tenant_id', '=', await tenantId())
          .where('kind', '=', 'tenant_unreachable')
          .orderBy('observed_at', 'desc')
          .executeTakeFirstOrThrow()
      ).id;
    await server.services.db
      .updateTable('tenants')
      .set({ status: 'unreachable', status_error: 'connect ECONNREFUSED' })
      .where('slug', '=', slug)
      .execute();
    await evaluate();
    clock += 9 * 60_000;
    await evaluate();
    expect(down()).toEqual([]);
    clock += 2 * 60_000;
    await evaluate();
    await eventually(() => down().length === 1, 5000, 'the unreachable alert');
    const id = await alertId();
    await eventually(
      () => events.some((e) => e.id === id && e.change === 'opened'),
      5000,
      'the opened event',
    );
    await server.services.db
      .updateTable('tenants')
      .set({ status: 'ok', status_error: null })
      .where('slug', '=', slug)
      .execute();
    await evaluate();
    await eventually(() => mails(/^\[JustIAM resolved\].*unreachable/).length === 1, 5000, 'resolved');
    await eventually(
      () => events.some((e) => e.id === id && e.change === 'resolved'),
      5000,
      'the resolved event',
    );
    expect(events.filter((e) => e.id === id && e.change === 'opened')).toHaveLength(1);
    await feed.return?.();
  });

  it('two replicas (two evaluators on one database) mail each alert once', async () => {
    const other = createDb({ url: server.database.url, max: 4 });
    const ca = await readFile(env.SMTP_CA_FILE!, 'utf8');
    const replica = {
      db: other.db,
      bus: server.services.bus,
      logger: createLogger({ level: 'silent', pretty: false }),
      now: () => new Date(clock),
      mailer: createMailer({ db: other.db, cluster: server.services.cluster, timeoutMs: 5000, ca }),
      freeTierMaxUsers: 25,
    };
    try {
      const capacity = () => mails(new RegExp(`Tenant ${slug} is at`));
      const before = capacity().length;
      await setUsers(10);
      await Promise.all([
        server.services.alerts.runOnce(),
        evaluateAlerts(replica),
        evaluateAlerts(replica),
        server.services.alerts.runOnce(),
        evaluateAlerts(replica),
      ]);
      await Promise.all([evaluateAlerts(replica), server.services.alerts.runOnce()]);
      await eventually(() => capacity().length >= before + 2, 5000, 'both capacity alerts');
      await new Promise((r) => setTimeout(r, 300));
      expect(
        capacity()
          .slice(before)
          .map((m) => m.subject.replace(/.* at /, '')),
      ).toEqual(expect.arrayContaining(['80 % of its user cap', '100 % of its user cap']));
      expect(capacity()).toHaveLength(before + 2);
      const open = await server.services.db
        .selectFrom('alerts')
        .select('key')
        .where('state', '=', 'open')
        .where('tenant_id', '=', await tenantId())
        .execute();
      expect(open.map((r) => r.key).sort()).toEqual([
        `capacity_tenant:${await tenantId()}:100`,
        `capacity_tenant:${await tenantId()}:80`,
      ]);
    } finally {
      await other.db.destroy();
    }
  });

  it('mails failing operations and failing renewals, and their resolution', async () => {
    const id = await tenantId();
    const op = await server.services.db
      .selectFrom('tenant_operations')
      .select(['id', 'state', 'last_error'])
      .where('tenant_id', '=', id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    await server.services.db
      .updateTable('tenant_operations')
      .set({ state: 'failed', last_error: 'backend answered HTTP 500' })
      .where('id', '=', op.id)
      .execute();
    await server.services.db
      .updateTable('license_state')
      .set({ renewal_attempts: 2, renewal_error: 'renewal URL answered 503' })
      .execute();
    await evaluate();
    await eventually(() => mails(/operation of tenant .* failed/).length === 1, 5000, 'the failed operation');
    await eventually(
      () => mails(/Renewing license lic-long fails/).length === 1,
      5000,
      'the failing renewal',
    );
    expect(mails(/operation of tenant .* failed/)[0]!.text).toContain('backend answered HTTP 500');
    expect(mails(/Renewing license lic-long fails/)[0]!.text).toContain('renewal URL answered 503');

    await server.services.db
      .updateTable('tenant_operations')
      .set({ state: op.state, last_error: op.last_error })
      .where('id', '=', op.id)
      .execute();
    await server.services.db
      .updateTable('license_state')
      .set({ renewal_attempts: 0, renewal_error: null })
      .execute();
    await evaluate();
    await eventually(
      () => mails(/^\[JustIAM resolved\].*(operation|Renewing)/).length === 2,
      5000,
      'both resolved',
    );
  });

  it('mails the deployment-wide capacity alert against the license’s maximum, and its resolution', async () => {
    expect((await rest(api(), 'PUT', `/tenants/${slug}/license-allocation`, { user_cap: null })).status).toBe(
      200,
    );
    const deployment = () => mails(/The deployment is at/);
    await setUsers(85);
    await evaluate();
    await eventually(() => deployment().length === 1, 5000, 'the deployment alert');
    expect(deployment()[0]!.subject).toBe(
      '[JustIAM warning] The deployment is at 80 % of its licensed users',
    );
    expect(deployment()[0]!.text).toContain('85 of 100 licensed users');
    await setUsers(10);
    await evaluate(3);
    await eventually(
      () => mails(/^\[JustIAM resolved\] The deployment is at 80 %/).length === 1,
      5000,
      'resolved',
    );
    expect(deployment()).toHaveLength(2);
  });

  it('mails the daily report at the configured hour in its time zone, once a day', async () => {
    expect(
      (
        await rest(api(), 'PUT', '/settings/alerts', {
          daily_reports: true,
          report_hour: 9,
          report_time_zone: 'Europe/Berlin',
        })
      ).status,
    ).toBe(200);
    const reports = () => mails(/Daily report/);
    // 2027-01-14 07:59 UTC is 08:59 in Berlin (UTC+1 in winter): not yet.
    clock = Date.parse('2027-01-14T07:59:00Z');
    await evaluate();
    expect(reports()).toEqual([]);
    clock = Date.parse('2027-01-14T08:00:00Z');
    await evaluate();
    await eventually(() => reports().length === 1, 5000, 'the report');
    clock = Date.parse('2027-01-14T15:30:00Z');
    await evaluate(3);
    expect(reports()).toHaveLength(1);
    const [report] = reports();
    expect(report).toMatchObject({ subject: '[JustIAM] Daily report for 2027-01-14', to: ['ops@acme.test'] });
    expect(report!.text).toMatch(/total 1: active 1/);
    expect(report!.text).toMatch(/users 10, active users/);
    expect(report!.text).toContain('lic-long');
    expect(report!.text).toMatch(/Alerts in the last 24 hours/);
    clock = Date.parse('2027-01-15T08:00:00Z');
    await evaluate();
    await eventually(() => reports().length === 2, 5000, 'the next day’s report');
    expect(reports()[1]!.subject).toBe('[JustIAM] Daily report for 2027-01-15');
  });

  it('lists the alert history newest first with who it was mailed to', async () => {
    const { status, body } = await rest(api(), 'GET', '/alerts?first=50');
    expect(status).toBe(200);
    // 4 license, 2 + 2 tenant capacity (opened, resolved, opened again), 1 unreachable, 1 operation,
    // 1 renewal, 1 deployment capacity.
    expect(body.alerts).toHaveLength(12);
    const opened = body.alerts.map((a: { opened_at: string }) => Date.parse(a.opened_at));
    expect(opened).toEqual([...opened].sort((x, y) => y - x));
    const resolved = body.alerts.find((a: { key: string }) => a.key === 'license_expiring:lic-short:30');
    expect(resolved).toMatchObject({ state: 'resolved', sent_to: 'ops@acme.test', severity: 'warning' });
    expect(resolved.resolved_sent_at).not.toBeNull();
  });
});
