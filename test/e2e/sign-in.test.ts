import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { freePort } from '../support/ports.ts';
import { useTestServer } from '../support/server.ts';

const port = await freePort();
// A host name only this browser knows: the control plane must never send it to 127.0.0.1 or
// to any other origin than the one the operator opened.
const PUBLIC_URL = `http://cp-signin.test:${port}`;

/**
 * The development sign-in served under the control plane's own origin: opened through a name
 * other than localhost, the browser signs in and out without a request to any other origin.
 */
describe.skipIf(!hasChromium)('development sign-in wherever the UI is reachable', () => {
  const server = useTestServer({ PORT: String(port), PUBLIC_URL });
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  // CSP violations, console errors and uncaught exceptions on any page of the sign-in.
  let problems: string[];
  beforeAll(async () => {
    ensureUi();
    browser = await launchBrowser({
      args: [`--host-resolver-rules=MAP cp-signin.test 127.0.0.1`],
      viewport: { width: 1280, height: 900 },
    });
    problems = await watchForProblems(browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.closeAll();
  });

  it('signs in and out through PUBLIC_URL/dev-oidc with no request to another origin', async () => {
    expect(server.url).toBe(PUBLIC_URL);
    const page = await browser.newPage();
    const origins = new Set<string>();
    const failures: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') || url.protocol.startsWith('ws'))
        origins.add(url.origin.replace(/^ws/, 'http'));
    });
    // Requests cut short by a navigation (the UI's queries as it leaves) are aborted, not failed.
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? '';
      if (error !== 'net::ERR_ABORTED') failures.push(`${request.url()}: ${error}`);
    });

    await page.goto(`${PUBLIC_URL}/ui/tenants`);
    await page.waitForURL((url) => url.pathname.startsWith('/dev-oidc/interaction/'));
    // The form says what it is, and takes any name.
    await page.getByText('development sign-in').waitFor();
    expect(await page.locator('link[rel="stylesheet"]').getAttribute('href')).toBe('/auth/assets/page.css');
    await page.locator('input[name="login"]').fill('remote-admin');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${PUBLIC_URL}/ui/tenants`);
    await page.getByTestId('operator-menu').getByText('remote-admin').waitFor();

    await page.getByTestId('operator-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/dev-oidc/session/end'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${PUBLIC_URL}/auth/signed-out`);
    await page.getByText('You are signed out').waitFor();

    expect([...origins]).toEqual([PUBLIC_URL]);
    expect(failures).toEqual([]);
    // The session is gone: the API refuses the cookie the browser still had.
    const me = await page.evaluate(async () => (await fetch('/graphql?query=%7Bme%7Bemail%7D%7D')).status);
    expect(me).toBe(401);
    // The UI's first query before sign-in, and the probe just above, are refused on purpose.
    expect(unexpected(problems.splice(0), [401, '/graphql'])).toEqual([]);
  });

  it('asks for a name again after signing out, and refuses one it cannot use', async () => {
    const page = await browser.newPage();
    await page.goto(`${PUBLIC_URL}/auth/login?return_to=/ui/`);
    await page.waitForURL((url) => url.pathname.startsWith('/dev-oidc/interaction/'));
    await page.locator('input[name="login"]').fill('no spaces allowed');
    await page.locator('button[type="submit"]').click();
    await page.getByText('Use 1–100 letters').waitFor();
    expect(await page.locator('input[name="login"]').getAttribute('aria-invalid')).toBe('true');
    const refusedName = new URL(page.url()).pathname;
    expect(unexpected(problems.splice(0), [400, refusedName])).toEqual([]);
  });
});
