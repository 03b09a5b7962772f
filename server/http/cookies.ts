import { decodeComponent } from './decode.ts';

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = decodeComponent(part.slice(eq + 1).trim());
    // A malformed cookie is ignored, as if it were not sent, rather than failing the request.
    if (!(name in out) && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The session cookie's name. Over https it carries the `__Host-` prefix: browsers then keep it
 * only when it is Secure, for Path=/ and without Domain, so neither a sibling host nor a page
 * served over http can set or replace it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-cp_session' : 'cp_session';
}

/** The session cookie in a Cookie header, read under the name in use (and only that one). */
export function readSessionCookie(header: string | undefined, secure: boolean): string | undefined {
  return parseCookies(header)[sessionCookieName(secure)];
}

/** A Set-Cookie value for the session cookie: HttpOnly, SameSite=Lax, Secure and `__Host-` over https. */
export function sessionCookie(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${sessionCookieName(options.secure)}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
