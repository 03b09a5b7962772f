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

/** A Set-Cookie value for the session cookie: httpOnly, SameSite=Lax, Secure over https. */
export function sessionCookie(
  name: string,
  value: string,
  options: { secure: boolean; maxAgeSeconds: number },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
