import { describe, expect, it } from 'vitest';
import { classify } from '../../../../../server/domain/mail/mailer.ts';

const error = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? '')), fields);

describe('classify (what an SMTP failure is called)', () => {
  it('names each failure an operator acts on differently, with the server’s words', () => {
    const auth = classify(
      error({ code: 'EAUTH', response: '535 5.7.8 Invalid username or password', message: 'Invalid login' }),
      'smtp:587',
      null,
    );
    expect(auth.code).toBe('SMTP_AUTHENTICATION_FAILED');
    expect(auth.message).toBe('smtp:587: authentication failed: 535 5.7.8 Invalid username or password');
    expect(
      classify(error({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25' }), 'x', null).code,
    ).toBe('SMTP_CONNECTION_REFUSED');
    expect(classify(error({ code: 'ETIMEDOUT', message: 'Greeting never received' }), 'x', null).code).toBe(
      'SMTP_TIMEOUT',
    );
    expect(
      classify(error({ code: 'ESOCKET', message: 'self-signed certificate in certificate chain' }), 'x', null)
        .code,
    ).toBe('SMTP_TLS_ERROR');
    expect(
      classify(
        error({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 no such user' }),
        'x',
        null,
      ).code,
    ).toBe('SMTP_REJECTED');
    expect(classify(error({ message: 'something else' }), 'x', null).code).toBe('SMTP_FAILED');
  });

  it('never repeats the password, even when the server echoes it', () => {
    const e = classify(
      error({ code: 'EAUTH', response: '535 bad password hunter2-secret' }),
      'x',
      'hunter2-secret',
    );
    expect(e.message).not.toContain('hunter2-secret');
    expect(e.message).toContain('***');
  });
});
