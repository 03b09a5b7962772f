import { describe, expect, it } from 'vitest';
import { gql, rest, useTestServer } from '../../../support/server.ts';

/** One client cannot make a replica store, audit or check without bound. */
describe('limits on sign-in and token guessing', () => {
  const server = useTestServer();

  it('keeps what a failed callback records short and plain', async () => {
    const noise = `${'x'.repeat(16_000)}\u0000\n<script>`;
    const res = await fetch(`${server.url}/auth/callback?error=${encodeURIComponent(noise)}&state=x`);
    expect(res.status).toBe(400);
    const entries = await server.services.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(entries).toHaveLength(1);
    const reason = (entries[0]!.details as { reason: string }).reason;
    expect(reason.length).toBeLessThanOrEqual(200);
    expect(reason).not.toMatch(/\p{Cc}/u);
  });

  it('answers sign-in past 30 a minute from one address with 429 and Retry-After', async () => {
    // The callback above counted too: 29 more are allowed this minute.
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      statuses.push((await fetch(`${server.url}/auth/login`, { redirect: 'manual' })).status);
    }
    expect(statuses).toEqual([...Array(29).fill(302), 429, 429, 429]);
    const refused = await fetch(`${server.url}/auth/login`, { redirect: 'manual' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const stored = await server.services.db.selectFrom('auth_requests').select('state').execute();
    expect(stored).toHaveLength(29);
  });

  it('refuses bearer requests with 429 once an address has failed 20 token checks, on both doors', async () => {
    const bad = { authorization: 'Bearer cpt_not-a-real-token' };
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) answers.push((await rest(server, 'GET', '/audit', undefined, bad)).status);
    expect(answers).toEqual(Array(20).fill(401));
    const rested = await fetch(`${server.url}/audit`, { headers: bad });
    expect(rested.status).toBe(429);
    expect(rested.headers.get('retry-after')).toBeTruthy();
    const viaGraphql = await gql(server, '{ me { email } }', undefined, bad);
    expect(viaGraphql.status).toBe(429);
    expect(viaGraphql.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
