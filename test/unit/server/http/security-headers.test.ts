import { describe, expect, it } from 'vitest';
import { browserPolicy, cspNonce } from '../../../../server/http/security-headers.ts';

/** A Content-Security-Policy header as directive → sources. */
function parse(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('the browser policy', () => {
  const https = browserPolicy({
    publicUrl: 'https://cp.example.com',
    issuerUrl: 'https://login.example.com/realms/ops',
  });

  it('allows no inline script, no eval, no plugin, no framing and no <base> on any kind of page', () => {
    for (const policy of [https.page, https.ui('n0nce'), https.graphiql('n0nce')].map(parse)) {
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['default-src']).toEqual(["'self'"]);
      expect(policy['object-src']).toEqual(["'none'"]);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['base-uri']).toEqual(["'none'"]);
    }
  });

  it('admits <style> elements in the UI and GraphiQL by the nonce of the answer, never all inline styles', () => {
    expect(parse(https.ui('abc'))['style-src']).toEqual(["'self'", "'nonce-abc'"]);
    expect(parse(https.graphiql('def'))['style-src']).toEqual(["'self'", "'nonce-def'"]);
    expect(parse(https.page)['style-src']).toEqual(["'self'"]);
    // Monaco's style attributes, and GraphiQL's data: fonts and icons: GraphiQL only.
    expect(parse(https.graphiql('def'))['style-src-attr']).toEqual(["'unsafe-inline'"]);
    expect(parse(https.graphiql('def'))['font-src']).toEqual(["'self'", 'data:']);
    expect(parse(https.ui('abc'))['style-src-attr']).toBeUndefined();
    expect(parse(https.ui('abc'))['font-src']).toBeUndefined();
  });

  it('over https: the wss: origin of PUBLIC_URL, the issuer in form-action, HSTS and COOP', () => {
    expect(parse(https.page)['connect-src']).toEqual(["'self'", 'wss://cp.example.com']);
    expect(parse(https.page)['form-action']).toEqual(["'self'", 'https://login.example.com']);
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(https.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('over http: the ws: origin with its port, the development issuer under PUBLIC_URL, no HSTS', () => {
    const http = browserPolicy({ publicUrl: 'http://localhost:4000', issuerUrl: undefined });
    expect(parse(http.page)['connect-src']).toEqual(["'self'", 'ws://localhost:4000']);
    expect(parse(http.page)['form-action']).toEqual(["'self'", 'http://localhost:4000']);
    expect(http.headers['strict-transport-security']).toBeUndefined();
    expect(http.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('sends no COOP where browsers ignore it and log an error for it: plain http on a name other than loopback', () => {
    expect(
      browserPolicy({ publicUrl: 'http://devbox:4000', issuerUrl: undefined }).headers,
    ).not.toHaveProperty('cross-origin-opener-policy');
    for (const publicUrl of [
      'http://127.0.0.1:4000',
      'http://app.localhost',
      'http://[::1]:4000',
      undefined,
    ]) {
      expect(browserPolicy({ publicUrl, issuerUrl: undefined }).headers, publicUrl).toHaveProperty(
        'cross-origin-opener-policy',
      );
    }
  });

  it('without PUBLIC_URL: the page origin alone, which covers its own WebSocket', () => {
    const local = browserPolicy({ publicUrl: undefined, issuerUrl: undefined });
    expect(parse(local.page)['connect-src']).toEqual(["'self'"]);
    expect(parse(local.page)['form-action']).toEqual(["'self'"]);
  });

  it('denies powerful features and referrers, forbids sniffing and framing, and keeps answers out of caches', () => {
    expect(https.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb'])
      expect(https.headers['permissions-policy']).toContain(`${feature}=()`);
  });

  it('makes a new 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, cspNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
