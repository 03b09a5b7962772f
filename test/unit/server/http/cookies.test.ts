import { describe, expect, it } from 'vitest';
import { readSessionCookie, sessionCookie, sessionCookieName } from '../../../../server/http/cookies.ts';

describe('the session cookie', () => {
  it('over http: cp_session, HttpOnly and SameSite=Lax, not Secure', () => {
    expect(sessionCookie('v a', { secure: false, maxAgeSeconds: 60 })).toBe(
      'cp_session=v%20a; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
  });

  it('over https: __Host-cp_session, Secure, for Path=/ and without Domain, as the prefix requires', () => {
    const cookie = sessionCookie('v', { secure: true, maxAgeSeconds: 60 });
    expect(cookie).toBe('__Host-cp_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('is read under the name in use only: over https an unprefixed cookie (set by a sibling host) is not the session', () => {
    const header = 'cp_session=plain; __Host-cp_session=prefixed';
    expect(readSessionCookie(header, true)).toBe('prefixed');
    expect(readSessionCookie(header, false)).toBe('plain');
    expect(readSessionCookie('cp_session=plain', true)).toBeUndefined();
    expect(readSessionCookie('__Host-cp_session=prefixed', false)).toBeUndefined();
    expect(sessionCookieName(true)).toBe('__Host-cp_session');
  });
});
