import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../server/http/listen.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { useTestServer } from '../support/server.ts';

/**
 * The console under its Content-Security-Policy in a real browser: the UI, GraphiQL and the
 * sign-in pages work with zero violations, and a page of another origin cannot frame the console.
 */
describe.skipIf(!hasChromium)('the console defends itself in the browser', () => {
  const server = useTestServer();
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let problems: string[];
  // Another origin (another port) whose page frames the console, and a page of its own.
  let framer: Server;
  let framerUrl: string;

  beforeAll(async () => {
    ensureUi();
    browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    problems = await watchForProblems(browser);
    framer = createServer((req, res) => {
      const html =
        req.url === '/own'
          ? '<!doctype html><title>own</title><p id="own">a page of the framing origin</p>'
          : `<!doctype html><title>framer</title>
<iframe id="own" src="/own"></iframe>
<iframe id="console" src="${server.url}/ui/"></iframe>
<iframe id="graphiql" src="${server.url}/graphql"></iframe>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    framerUrl = `http://127.0.0.1:${(await listen(framer, 0, '127.0.0.1')).port}`;
  }, 120_000);
  afterAll(async () => {
    await browser?.closeAll();
    await new Promise((resolve) => framer?.close(resolve));
  });

  const signIn = async (page: Page, returnTo: string) => {
    await page.goto(`${server.url}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
    // The issuer remembers an earlier sign-in of this browser and then skips its form.
    if (new URL(page.url()).pathname.startsWith('/dev-oidc/interaction/')) {
      await page.locator('input[name="login"]').fill('csp-admin');
      await page.locator('button[type="submit"]').click();
    }
    await page.waitForURL(`${server.url}${returnTo}`);
  };

  it('refuses to let a page of another origin frame the UI or GraphiQL, while that page frames its own', async () => {
    const page = await browser.newPage();
    await page.goto(framerUrl);
    const frameOf = (id: string) =>
      page
        .locator(`#${id}`)
        .elementHandle()
        .then((e) => e!.contentFrame());
    // The control: the framing origin's own page loads in its frame.
    expect(await (await frameOf('own'))!.locator('#own').textContent()).toBe('a page of the framing origin');
    for (const id of ['console', 'graphiql']) {
      // Chromium puts its error page where a refused frame would have been.
      expect((await frameOf(id))!.url(), id).toBe('chrome-error://chromewebdata/');
    }
    await page.close();
    // Chromium reports each refusal to the framing page's console: expected here, and nothing else.
    const seen = problems.splice(0);
    expect(seen.filter((p) => /frame-ancestors 'none'/.test(p)).length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((p) => !/frame-ancestors 'none'/.test(p))).toEqual([]);
  });

  it('renders the UI with Mantine styles admitted by the nonce, and no violation', async () => {
    const page = await browser.newPage();
    await signIn(page, '/ui/tenants');
    await page.getByTestId('operator-menu').getByText('csp-admin').waitFor();
    // The brand colour exists only in the <style> element Mantine writes at run time.
    const brand = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--mantine-color-brand-6'),
    );
    expect(brand.trim()).toBe('#4652da');
    // Switching the colour scheme writes another <style> element for a moment.
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await page.locator('html[data-mantine-color-scheme="dark"]').waitFor();
    await page.getByRole('button', { name: 'Switch to light mode' }).click();
    // A modal locks the page's scrolling with a <style> element of its own (react-remove-scroll).
    await page.getByRole('button', { name: 'New tenant' }).first().click();
    await page.getByTestId('new-tenant-form').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('new-tenant-form').waitFor({ state: 'detached' });
    await page.close();
    expect(problems.splice(0)).toEqual([]);
  });

  it('runs GraphiQL from the control plane alone: it renders, starts its workers and runs { __typename }', async () => {
    const page = await browser.newPage();
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin.replace(/^ws/, 'http')));
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    await signIn(page, '/graphql');
    const query = page.locator('.graphiql-query-editor .monaco-editor').first();
    await query.waitFor();
    await query.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('{ __typename');
    // GraphiQL reads the operation's name a moment after the edit: its tab says when it has.
    await page.locator('.graphiql-tab-active', { hasText: '<untitled>' }).waitFor();
    // Runs it (Ctrl-Enter): the editor's suggestions may cover the button.
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(() => page.locator('.graphiql-response').textContent())
      .toMatch(/"__typename":\s*"Query"/);
    // The GraphQL worker checks the document against the schema: an unknown field is marked.
    await query.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('{ noSuchField');
    await page.locator('.graphiql-query-editor .squiggly-error').first().waitFor();
    expect(workers.some((path) => /^\/graphiql\/[0-9a-f]+\/graphql\.worker\.js$/.test(path))).toBe(true);
    expect([...origins]).toEqual([server.url]);
    await page.close();
    expect(problems.splice(0)).toEqual([]);
  });

  it("runs oidc-provider's self-submitting form under the policy, by the hash of its script", async () => {
    const page = await browser.newPage();
    const callback = `${server.url}/auth/callback`;
    // No PKCE challenge: the issuer answers with an error, posted back by its form_post page.
    const authorize = `${server.url}/dev-oidc/auth?${new URLSearchParams({
      client_id: 'justiam-cp-dev',
      redirect_uri: callback,
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'openid',
    })}`;
    const posted = page.waitForRequest(
      (request) => request.url() === callback && request.method() === 'POST',
    );
    await page.goto(authorize);
    expect((await posted).postData()).toMatch(/error=invalid_request/);
    await page.close();
    // The error page answers 400 and our callback takes no POST (404): Chromium logs both statuses,
    // and may ask for /favicon.ico for the JSON answer before the page closes.
    expect(
      unexpected(problems.splice(0), [400, '/dev-oidc/auth'], [404, '/auth/callback'], [404, '/favicon.ico']),
    ).toEqual([]);
  });
});
