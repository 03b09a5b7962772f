/**
 * A minimal cookie-keeping HTTP client that follows redirects by hand, to walk the OIDC login the
 * way a browser does (control plane → issuer login form → control plane callback).
 */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  header(url: string): string {
    const host = new URL(url).host;
    return [...(this.cookies.get(host) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.cookies.set(host, jar);
  }

  store(url: string, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim())) || value === '';
      const host = new URL(url).host;
      const jar = this.cookies.get(host) ?? new Map<string, string>();
      if (expired) jar.delete(name);
      else jar.set(name, value);
      this.cookies.set(host, jar);
    }
  }

  /** One request with this jar's cookies, no automatic redirects. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, res);
    return res;
  }

  /** Follows redirects (GET) until a non-redirect answer; returns it and the URL it came from. */
  async follow(url: string, init: RequestInit = {}, max = 10): Promise<{ res: Response; url: string }> {
    let current = url;
    let res = await this.fetch(current, init);
    for (let i = 0; i < max && res.status >= 300 && res.status < 400; i++) {
      current = new URL(res.headers.get('location')!, current).href;
      res = await this.fetch(current);
    }
    return { res, url: current };
  }
}

/**
 * Logs in through the control plane's /auth/login and the dev issuer's login form as `login`.
 * Returns the final response (the redirect target after the callback) and the callback URL seen.
 */
export async function loginThroughDevIssuer(jar: CookieJar, baseUrl: string, login: string) {
  const { res: form, url: formUrl } = await jar.follow(`${baseUrl}/auth/login?return_to=/ui/tenants`);
  const html = await form.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form at ${formUrl}: ${html.slice(0, 300)}`);
  const submit = new URL(action.replace(/&amp;/g, '&'), formUrl).href;
  const fields = new URLSearchParams({ prompt: 'login', login, password: 'any' });
  // Walk the redirects by hand to see the callback URL (code + state) on the way.
  let res = await jar.fetch(submit, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  let current = submit;
  let callbackUrl: string | undefined;
  for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
    current = new URL(res.headers.get('location')!, current).href;
    if (current.includes('/auth/callback')) callbackUrl = current;
    res = await jar.fetch(current);
  }
  return { res, url: current, callbackUrl };
}
