import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { readTenantSecret } from '../../server/domain/tenants/cluster-secret.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { heldLicense, jwks, mint, testSigner } from '../support/license.ts';
import { rest, useTestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const VIEWPORT = { width: 1440, height: 1400 };
const signer = testSigner('e2e-issuer');

/**
 * The License page against a real control plane, whose tenant backend (the tenant simulator) is
 * read from its own database: what the page says reached the tenant did reach it.
 */
describe.skipIf(!hasChromium)('the License page in a real browser', () => {
  const server = useTestServer({
    LICENSE_PUBLIC_KEYS: jwks(signer),
    FREE_TIER_MAX_USERS: '25',
    KUBE_SIM_POD_DELAY_MS: '50',
    // The license's renewal URL below is plain http on a port nothing listens on.
    LICENSE_RENEWAL_ALLOW_HTTP: 'true',
  });
  const slug = uniqueSlug('lic-e2e');
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  // CSP violations, console errors and uncaught exceptions on any page: the UI runs under its policy.
  let problems: string[];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    ensureUi();
    const created = await rest(server, 'POST', '/tenants', { slug, name: 'License E2E', admin_email: null });
    expect(created.status).toBe(201);
    // Tall enough for the whole License page, allocation table included, in one screenshot.
    browser = await launchBrowser({ viewport: VIEWPORT });
    problems = await watchForProblems(browser);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      `${slug} active`,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.closeAll();
    await dropTenantDatabases([slug]);
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  /** Waits until the page's subscription socket is up, so nothing published after this is missed. */
  const live = (page: Page) => page.locator('[data-testid="live-status"][data-live="connected"]').waitFor();
  const held = async () =>
    heldLicense((await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!);

  /** Opens the License page, signing in through the dev issuer as `login` when the server asks. */
  const openAs = async (context: BrowserContext, login: string): Promise<Page> => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/ui/license`);
    const asked = await fetch(`${server.url}/auth/login?return_to=/ui/`, { redirect: 'manual' });
    if (asked.status === 302 || asked.status === 303) {
      await page.locator('input[name="login"]').fill(login);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${server.url}/ui/license`);
      await page.getByTestId('operator-menu').getByText(login).waitFor();
    }
    return page;
  };

  it('activates a pasted license that reaches the tenant, allocates inline, shows it on the dashboard, and clears it after asking', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `license-failure-${index + 1}`).catch(() => {});
    });
    const page = await openAs(browser, 'e2e-admin');
    await live(page);
    const state = (name: string) =>
      page.getByTestId('license-status').locator(`[data-testid="license-state"][data-state="${name}"]`);
    const line = page.locator(`tr[data-slug="${slug}"]`);
    const cap = line.getByTestId('effective-cap');
    // Whether the tenant's backend holds what the line says, and the cap it says.
    const lineState = async () => `${await line.getAttribute('data-sync-state')} ${await cap.textContent()}`;

    // The free tier: no license, each tenant at the free limit.
    await state('FREE').waitFor();
    await line.waitFor();
    expect(await cap.textContent()).toBe('25');
    await shot(page, 'license-free');

    // A file is read in the browser into the field; this one is refused, with the API's reason
    // next to the field, and nothing changes.
    const form = page.getByTestId('activate-license-form');
    const tokenField = form.getByRole('textbox', { name: 'License token' });
    await form.locator('input[type="file"]').setInputFiles({
      name: 'garbage.jwt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not-a-\nlicense\n'),
    });
    await form.getByText('Read from garbage.jwt').waitFor();
    expect(await tokenField.inputValue()).toBe('not-a-license');
    await form.getByRole('button', { name: 'Activate license' }).click();
    await form.getByText(/^Not a compact JWS/).waitFor();
    await shot(page, 'license-refused');
    expect(await state('FREE').count()).toBe(1);

    // Pasted, activated, and told to the tenant's backend, live.
    const token = await mint(signer, {
      lid: 'lic-e2e',
      licensee: 'E2E Corp',
      maxUsers: 50,
      renewalUrl: 'http://127.0.0.1:9/renew',
    });
    await tokenField.fill(`${token}\n`);
    await form.getByRole('button', { name: 'Activate license' }).click();
    await page.getByTestId('license-activated').waitFor();
    await state('ACTIVE').waitFor();
    expect(await page.getByTestId('license-id').textContent()).toBe('lic-e2e');
    expect(await tokenField.inputValue()).toBe('');
    await expect.poll(lineState, { timeout: 10_000 }).toBe('SYNCED 50');
    expect(await held()).toEqual({ token, user_cap: 50 });
    await shot(page, 'license-active');

    // Renewing now fails (nothing answers at the renewal URL): the API's reason under the button,
    // the failure in the renewal status live, and the license stays in force.
    await page.getByRole('button', { name: 'Renew now' }).click();
    await page
      .getByTestId('renew-license-problem')
      .getByText(/^license renewal failed: .*the current license stays in force$/)
      .waitFor();
    await page.getByTestId('renewal-failures').getByText('Renewal failed once').waitFor();
    expect(await state('ACTIVE').count()).toBe(1);

    // Allocate inline: more than the license has is refused in the API's words; 10 is saved.
    await line.getByRole('button', { name: `Edit allocation of ${slug}` }).click();
    const allocation = line.getByRole('textbox', { name: `Allocation of ${slug}` });
    await allocation.fill('60');
    await line.getByRole('button', { name: `Save allocation of ${slug}` }).click();
    await line.getByRole('alert').getByText("10 more than the license's 50", { exact: false }).waitFor();
    await shot(page, 'license-over-allocated');
    await allocation.fill('10');
    await line.getByRole('button', { name: `Save allocation of ${slug}` }).click();
    await line.locator('[data-testid="user-cap"][data-user-cap="10"]').waitFor();
    await page.locator('[data-testid="usage-allocated"][data-used="10"][data-max="50"]').waitFor();
    await expect.poll(lineState, { timeout: 10_000 }).toBe('SYNCED 10');
    expect(await held()).toEqual({ token, user_cap: 10 });
    await shot(page, 'license-allocation');

    // The dashboard's card tells the same story, and leads back here.
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const card = page.getByTestId('stat-license');
    await card.getByText('Active', { exact: true }).waitFor();
    expect(await card.getByTestId('license-detail').textContent()).toMatch(/^E2E Corp · \d+ days left$/);
    expect(await card.getByTestId('license-users').textContent()).toMatch(/^\d+ of 50 users$/);
    await shot(page, 'dashboard-license');
    await card.click();
    await page.waitForURL('**/ui/license');

    // Clearing asks first; then the deployment is back on the free tier, and so is the tenant.
    await page.getByTestId('clear-license').click();
    const confirm = page.getByTestId('clear-license-confirm');
    await confirm.getByText('Every tenant returns to the free tier', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Clear license' }).click();
    await state('FREE').waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect.poll(lineState, { timeout: 10_000 }).toBe('SYNCED 25');
    await shot(page, 'license-cleared');

    // The UI's first query, before sign-in, is refused: that is how it learns to sign in.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 45_000);

  it('shows a viewer the license but none of the actions only admins may take', async () => {
    const viewerBrowser = await launchBrowser({ viewport: VIEWPORT });
    try {
      const page = await openAs(viewerBrowser, 'viewer-e2e');
      await page.getByTestId('license-status').getByTestId('license-state').waitFor();
      await page.locator(`tr[data-slug="${slug}"]`).waitFor();
      expect(await page.getByTestId('activate-license-form').count()).toBe(0);
      expect(await page.getByRole('button', { name: `Edit allocation of ${slug}` }).count()).toBe(0);
      expect(await page.getByTestId('clear-license').count()).toBe(0);
      await shot(page, 'license-viewer');
    } finally {
      await viewerBrowser.closeAll();
    }
  });
});
