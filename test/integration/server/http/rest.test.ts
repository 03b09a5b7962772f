import { describe, expect, it, vi } from 'vitest';
import { gql, rest, useTestServer } from '../../../support/server.ts';

describe('REST compatibility routes', () => {
  const server = useTestServer();

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    rest(server, method, path, body, { ...server.headers, ...headers });

  it('PUT /settings/alerts takes the snake_case body of the spec and answers in snake_case', async () => {
    const res = await call('PUT', '/settings/alerts', {
      license_expiring: true,
      capacity_warnings: false,
      daily_reports: true,
      alert_email: 'ops@example.com',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      license_expiring: true,
      capacity_warnings: false,
      daily_reports: true,
      alert_email: 'ops@example.com',
    });
    expect((await call('GET', '/settings/alerts')).body.alert_email).toBe('ops@example.com');
  });

  it.each([
    ['a wrong type', { daily_reports: 'yes' }, /daily_reports: Invalid input: expected boolean/],
    ['a bad email', { alert_email: 'not-an-email' }, /alert_email: must be an email address/],
    ['an unknown field', { alert_mail: 'ops@example.com' }, /Unrecognized key: "alert_mail"/],
  ])('refuses %s with a 400 that names the field, and changes nothing', async (_what, body, message) => {
    const before = (await call('GET', '/settings/alerts')).body;
    const res = await call('PUT', '/settings/alerts', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(message);
    expect((await call('GET', '/settings/alerts')).body).toEqual(before);
  });

  it('refuses malformed JSON, an empty body where fields are required, and a non-JSON content type', async () => {
    expect((await call('PUT', '/settings/alerts', '{"daily_reports": tru')).status).toBe(400);
    const empty = await call('POST', '/tenants', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/empty/);
    const text = await call('PUT', '/settings/alerts', 'x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });

  it('authenticates a request once, and refuses a viewer’s write with 403 whatever its body', async () => {
    const authenticate = vi.spyOn(server.services.auth, 'authenticate');
    try {
      expect((await call('GET', '/settings/alerts')).status).toBe(200);
      expect(authenticate).toHaveBeenCalledTimes(1);
    } finally {
      authenticate.mockRestore();
    }
    for (const body of [{ daily_reports: 'yes' }, '{not json', '', { license_expiring: true }]) {
      const res = await rest(server, 'PUT', '/settings/alerts', body, server.viewerHeaders);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const tenant = await rest(server, 'POST', '/tenants', { slug: 'vw' }, server.viewerHeaders);
    expect(tenant.status).toBe(403);
  });

  it('takes an empty body, with no content type, where every field is optional', async () => {
    const before = (await call('GET', '/settings/alerts')).body;
    const res = await fetch(`${server.url}/settings/alerts`, { method: 'PUT', headers: server.headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(before);
  });

  it('answers 405 with an Allow header for a known path and a wrong method', async () => {
    const res = await call('DELETE', '/settings/alerts');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT');
  });

  it('GET /audit lists entries newest first with cursor pagination and filters', async () => {
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      await call('PUT', '/settings/alerts', { alert_email: email });
    }
    const first = await call('GET', '/audit?first=2&action=settings.alerts.updated');
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.page_info.has_next_page).toBe(true);
    const [newest, older] = first.body.entries;
    expect(Date.parse(newest.at)).toBeGreaterThanOrEqual(Date.parse(older.at));
    expect(newest.target).toEqual({ kind: 'settings', id: 'alerts', name: null });
    expect(newest.actor).toMatchObject({
      kind: 'token',
      email: 'admin@test.local',
      token_name: 'test admin',
    });
    expect(newest.request_id).toEqual(expect.any(String));
    expect(newest.details).toEqual({ changed: ['alertEmail'] });

    const next = await call(
      'GET',
      `/audit?first=2&after=${first.body.page_info.end_cursor}&action=settings.*`,
    );
    const seen = new Set([...first.body.entries, ...next.body.entries].map((e: { id: string }) => e.id));
    expect(seen.size).toBe(first.body.entries.length + next.body.entries.length);

    expect((await call('GET', '/audit?action=tenant.*')).body.entries).toEqual([]);
  });

  it('GET /audit refuses bad query parameters with 400s that say what is wrong', async () => {
    expect((await call('GET', '/audit?first=0')).body.error.message).toMatch(/first/);
    expect((await call('GET', '/audit?from=yesterday')).body.error.message).toMatch(
      /from: must be an ISO 8601 instant/,
    );
    expect((await call('GET', '/audit?sort=asc')).status).toBe(400);
    const badCursor = await call('GET', '/audit?after=bm9wZQ');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toMatch(/is not a cursor of the audit log/);
  });

  it.each([
    ['tenants(first: 501) { edges { cursor } }', /first must be between 0 and 500 \(got 501\)/],
    ['auditLog(last: 1000) { edges { cursor } }', /last must be between 0 and 500 \(got 1000\)/],
    ['tenants(first: -1) { edges { cursor } }', /first must be between 0 and 500/],
    ['auditLog(after: "bm9wZQ") { edges { cursor } }', /is not a cursor of the audit log/],
  ])(
    'GraphQL refuses %s with a 400 that says what is wrong, rather than capping it',
    async (field, message) => {
      const res = await gql(server, `{ ${field} }`);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.message).toMatch(message);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    },
  );
});
