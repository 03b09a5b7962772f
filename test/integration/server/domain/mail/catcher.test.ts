import { describe, expect, it } from 'vitest';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';

const CAUGHT = `{ caughtMail(first: 10) { id from to subject body size } }`;

/**
 * The embedded stack with no relay configured: the built-in mail catcher (a real SMTP server on
 * loopback) takes what the control plane sends, and `caughtMail` shows it.
 */
describe('mail catcher', () => {
  const server = useTestServer({ ALERT_INTERVAL_MS: '3600000', STATUS_POLL_INTERVAL_MS: '3600000' });

  it('catches the test e-mail while no relay is configured, and shows it to any operator', async () => {
    expect((await rest(server, 'GET', '/settings/smtp')).body.configured).toBe(false);
    const { status, body } = await rest(server, 'POST', '/settings/smtp/test', {
      to: 'newcomer@example.com',
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.response).toMatch(/^250 /);
    expect(body.via).toMatch(/^127\.0\.0\.1:\d+$/);
    const caught = await eventually(async () => {
      const answer = await gql<{
        caughtMail: { to: string[]; subject: string; body: string; from: string; size: number }[];
      }>(server, CAUGHT, undefined, server.viewerHeaders);
      return answer.body.data?.caughtMail.length ? answer.body.data.caughtMail : undefined;
    });
    expect(caught[0]).toMatchObject({
      to: ['newcomer@example.com'],
      from: 'control-plane@justiam.local',
      subject: 'JustIAM control plane: SMTP test',
    });
    expect(caught[0]!.body).toContain('test e-mail from the JustIAM control plane');
    expect(caught[0]!.size).toBeGreaterThan(100);
  });

  it('refuses a page size outside 1–200', async () => {
    const { body } = await gql(server, `{ caughtMail(first: 500) { id } }`);
    expect(body.errors?.[0]?.message).toContain('between 1 and 200');
  });
});
