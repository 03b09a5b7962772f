import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

type Directives = Record<string, readonly string[]>;

/** What answers may do in a browser: the headers of every answer and the policy of each kind of page. */
export type BrowserPolicy = {
  /** Headers every answer carries, whatever it holds. */
  headers: Readonly<Record<string, string>>;
  /**
   * The Content-Security-Policy of every answer unless a kind below replaces it: the server's own
   * pages (signed out, sign-in unavailable, the development issuer's) and everything that is not a
   * page. oidc-provider adds the hash of its one inline script (the form_post page) to script-src.
   */
  page: string;
  /** The UI: Mantine's `<style>` elements carry the nonce of the page they are in. */
  ui(nonce: string): string;
  /**
   * GraphiQL: its `<style>` elements carry the nonce as well; Monaco writes style attributes into
   * the HTML of its editor lines, and GraphiQL's stylesheet holds its fonts and icons as data: URLs.
   */
  graphiql(nonce: string): string;
};

/**
 * Features no page of the console uses, denied to it and to anything it could ever embed.
 * Chromium logs an error for a name it does not know, so only names it ships are listed.
 */
const DENIED_FEATURES = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'camera',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
];

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * The browser protections of the console, from where browsers reach it (`publicUrl`, PUBLIC_URL)
 * and where operators sign in (`issuerUrl`, OIDC_ISSUER; unset for the development issuer, which
 * lives under PUBLIC_URL). Without PUBLIC_URL, `'self'` stands for the page's own origin, which
 * CSP Level 3 browsers also match for its ws:/wss: WebSocket.
 */
export function browserPolicy(options: {
  publicUrl: string | undefined;
  issuerUrl: string | undefined;
}): BrowserPolicy {
  const origin = options.publicUrl ? new URL(options.publicUrl) : undefined;
  const socketOrigin = origin && `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  const issuerOrigin = options.issuerUrl ? new URL(options.issuerUrl).origin : origin?.origin;
  const page: Directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'connect-src': ["'self'", ...(socketOrigin ? [socketOrigin] : [])],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    // The issuer: a form posted to /auth/logout is redirected to its end-session endpoint.
    'form-action': [...new Set(["'self'", ...(issuerOrigin ? [issuerOrigin] : [])])],
  };
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': DENIED_FEATURES.map((feature) => `${feature}=()`).join(', '),
    // Answers hold secrets (a revealed password, a new token): no cache keeps one. Static files
    // that may be cached say so themselves.
    'cache-control': 'no-store',
  };
  // Browsers honour it on https and loopback origins only, and log an error for it elsewhere.
  if (!origin || origin.protocol === 'https:' || LOOPBACK.test(origin.hostname)) {
    headers['cross-origin-opener-policy'] = 'same-origin';
  }
  // A year, for this host only: the control plane does not speak for other names under its own.
  if (origin?.protocol === 'https:') headers['strict-transport-security'] = 'max-age=31536000';
  return {
    headers,
    page: serialize(page),
    ui: (nonce) => serialize({ ...page, 'style-src': ["'self'", `'nonce-${nonce}'`] }),
    graphiql: (nonce) =>
      serialize({
        ...page,
        'style-src': ["'self'", `'nonce-${nonce}'`],
        'style-src-attr': ["'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
      }),
  };
}

/** Sets the headers every answer carries; a handler replaces what its answer needs otherwise. */
export function setDefaultHeaders(res: ServerResponse, policy: BrowserPolicy): void {
  for (const [name, value] of Object.entries(policy.headers)) res.setHeader(name, value);
  res.setHeader('content-security-policy', policy.page);
}

/** A fresh nonce for one answer (128 random bits). */
export function cspNonce(): string {
  return randomBytes(16).toString('base64');
}

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}
