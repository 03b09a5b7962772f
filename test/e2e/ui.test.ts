import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

describe.skipIf(!hasChromium)('the operator UI in a real browser', () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const slug = uniqueSlug('e2e');
  // Tenants that exist before the test's own, so lists and figures are not empty.
  const neighbours = [
    { slug: uniqueSlug('acme'), name: 'Acme Corporation' },
    { slug: uniqueSlug('globex'), name: 'Globex' },
  ];
  const pageErrors: string[] = [];
  // CSP violations, console errors and uncaught exceptions on any page: the UI runs under its policy.
  let problems: string[];

  const createTenant = async (input: { slug: string; name: string }) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({
        query: 'mutation($input: CreateTenantInput!) { createTenant(input: $input) { __typename } }',
        variables: { input },
      }),
    });
    const body = (await res.json()) as { data?: { createTenant: { __typename: string } } };
    expect(body.data?.createTenant.__typename).toBe('MutationCreateTenantSuccess');
  };

  const open = async (path: string, page?: Page): Promise<Page> => {
    const tab = page ?? (await browser.newPage());
    tab.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    await tab.goto(`${server.url}/ui${path}`);
    return tab;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  /** Waits until the page's subscription socket is up, so nothing published after this is missed. */
  const live = (page: Page) => page.locator('[data-testid="live-status"][data-live="connected"]').waitFor();
  const row = (page: Page, s: string): Locator => page.locator(`tr[data-slug="${s}"]`);

  beforeAll(async () => {
    ensureUi();
    await mkdir(ARTIFACTS, { recursive: true });
    database = await createTestDatabase();
    server = await startTestServer(database.url, {
      RECONCILE_INTERVAL_MS: '200',
      STATUS_POLL_INTERVAL_MS: '500',
    });
    browser = await launchBrowser();
    problems = await watchForProblems(browser);
    for (const tenant of neighbours) await createTenant(tenant);
  }, 120_000);

  afterAll(async () => {
    await browser?.closeAll();
    await server?.stop();
    await dropTenantDatabases([slug, ...neighbours.map((t) => t.slug)]);
    await database?.drop();
  });

  /**
   * Signs in through the dev OIDC issuer when the server asks for a session (operator login): the
   * UI's first request is refused, it sends the browser to /auth/login with the page as return_to,
   * the issuer's form takes any name, and the browser comes back to the page it asked for.
   */
  const signInIfAsked = async (page: Page, path: string) => {
    const login = await fetch(`${server.url}/auth/login?return_to=/ui/`, { redirect: 'manual' });
    if (login.status !== 302 && login.status !== 303) return;
    await page.waitForURL((url) => !url.pathname.startsWith('/ui'));
    await page.locator('input[name="login"]').waitFor();
    await shot(page, 'sign-in');
    await page.locator('input[name="login"]').fill('e2e-admin');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${server.url}/ui${path}`);
    await page.getByTestId('operator-menu').getByText('e2e-admin').waitFor();
  };

  it('creates a tenant with live steps, shows it to a second page, reveals and resets its admin password, rotates its JWT secret, deletes it with the typed slug, audits both, and creates and revokes an API token', async () => {
    // What each page showed when a step failed, to see why without running it again.
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `failure-page-${index + 1}`).catch(() => {});
    });
    // A second page watches the tenant list; it is never reloaded.
    const watcher = await open('/tenants', browser.pages()[0]);
    await signInIfAsked(watcher, '/tenants');
    for (const tenant of neighbours)
      await row(watcher, tenant.slug).locator('[data-state="ACTIVE"]').waitFor();
    await live(watcher);
    await watcher.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const tenants = await open('/tenants');
    await tenants.getByRole('button', { name: 'New tenant' }).first().click();
    const form = tenants.getByTestId('new-tenant-form');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('E2E Corporation');
    // The slug follows the name until it is typed, and is checked as it is typed.
    await expect
      .poll(() => form.getByRole('textbox', { name: 'Slug', exact: true }).inputValue())
      .toBe('e2e-corporation');
    await form.getByRole('textbox', { name: 'Slug', exact: true }).fill('Admin');
    await form.getByText('Must be lowercase letters, digits and hyphens').waitFor();
    await form.getByRole('textbox', { name: 'Slug', exact: true }).fill('admin');
    await form.getByText('"admin" is reserved').waitFor();
    await form.getByRole('textbox', { name: 'Slug', exact: true }).fill('e2e--x');
    await form.getByText('Must not contain two hyphens in a row').waitFor();
    await shot(tenants, 'new-tenant-validation');
    await form.getByRole('textbox', { name: 'Slug', exact: true }).fill(slug);
    await form.getByRole('textbox', { name: 'Admin email', exact: true }).fill('admin@e2e.example');
    await form.getByRole('button', { name: 'Create tenant' }).click();

    const provisioning = tenants.locator('[data-testid="operation"][data-kind="CREATE"]');
    await provisioning.waitFor();
    await tenants
      .locator('[data-testid="operation"][data-operation-state="SUCCEEDED"]')
      .waitFor({ timeout: 30_000 });
    const steps = await provisioning
      .locator('[data-step]')
      .evaluateAll((items) =>
        items.map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-step-state')}`),
      );
    expect(steps).toEqual([
      'record:DONE',
      'secret:DONE',
      'database:DONE',
      'registry:DONE',
      'handoff:DONE',
      'license:DONE',
      'smtp:DONE',
    ]);
    await tenants.getByText(`${slug} is ready`).waitFor();
    await shot(tenants, 'new-tenant-provisioned');

    // The watching page got it live, and its page was never reloaded.
    await row(watcher, slug).waitFor();
    expect(await watcher.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await row(watcher, slug).locator('[data-state="ACTIVE"]').waitFor();
    await shot(watcher, 'tenants');

    await tenants.getByRole('link', { name: 'Open tenant' }).click();
    const detail = tenants;
    await detail.waitForURL(`**/ui/tenants/${slug}`);
    await detail.getByRole('heading', { name: 'E2E Corporation' }).waitFor();
    await detail.locator('[data-status="ok"]').first().waitFor({ timeout: 15_000 });
    // State and health in one badge, in the header and in the list.
    await detail.getByTestId('tenant-badge').getByText('Active · OK').waitFor({ timeout: 15_000 });
    await shot(detail, 'tenant-overview');

    // The admin password shows only on request, and a reset says it worked and hides the old value.
    await detail.getByRole('tab', { name: 'Admin password' }).click();
    const password = detail.getByTestId('admin-password-section');
    await password.getByTestId('admin-password-reveal').click();
    const revealed = password.getByTestId('admin-password-value');
    await revealed.waitFor();
    expect((await revealed.textContent())?.length).toBeGreaterThanOrEqual(12);
    await shot(detail, 'tenant-admin-password');
    await password.getByTestId('admin-password-reset').click();
    await detail
      .getByTestId('admin-password-reset-confirm')
      .getByRole('button', { name: 'Reset', exact: true })
      .click();
    await password.getByTestId('admin-password-reset-done').waitFor();
    expect(await revealed.count()).toBe(0);

    // Rotating the JWT secret adds a version and starts a grace period, without reloading the page.
    await detail.getByRole('tab', { name: 'Secrets' }).click();
    const jwtVersion = detail.getByTestId('secret-version-JWT');
    await jwtVersion.waitFor();
    const before = Number(await jwtVersion.textContent());
    await detail.getByTestId('rotate-JWT').click();
    await detail
      .getByTestId('rotate-JWT-confirm')
      .getByRole('button', { name: 'Rotate', exact: true })
      .click();
    await expect.poll(async () => Number(await jwtVersion.textContent())).toBe(before + 1);
    await detail.locator('tr[data-secret="JWT"] [data-secret-status="grace"]').waitFor();
    await detail.getByRole('dialog').waitFor({ state: 'hidden' });
    await shot(detail, 'tenant-secrets');
    await detail.getByRole('tab', { name: 'Database' }).click();
    await detail.getByTestId('migrations').waitFor();
    // The connection URI is copyable without the password, and with it once revealed; the revealed
    // value stays inside its card with Copy and Hide on screen.
    expect(await detail.getByTestId('database-uri').textContent()).toMatch(/^postgresql:\/\/[^:@]+@/);
    await detail.getByTestId('database-password-reveal').click();
    const dbPassword = (await detail.getByTestId('database-password-value').textContent()) ?? '';
    expect(dbPassword.length).toBeGreaterThan(8);
    expect(await detail.getByTestId('database-uri').textContent()).toContain(
      `:${encodeURIComponent(dbPassword)}@`,
    );
    const card = await detail
      .getByTestId('database-password-value')
      .locator('xpath=ancestor::*[contains(@class,"mantine-Card-root")][1]')
      .boundingBox();
    const hide = await detail.getByRole('button', { name: 'Hide' }).boundingBox();
    expect(hide!.x + hide!.width).toBeLessThanOrEqual(card!.x + card!.width);
    await shot(detail, 'tenant-database');
    await detail.getByRole('tab', { name: 'Bootstrap token' }).click();
    await detail.getByTestId('bootstrap-token-reveal').waitFor();
    await shot(detail, 'tenant-bootstrap-token');
    await detail.getByRole('tab', { name: 'CP token' }).click();
    await detail.getByTestId('secret-version-CP_TOKEN').waitFor();
    await shot(detail, 'tenant-cp-token');
    await detail.getByRole('tab', { name: 'Overview' }).click();

    // Deleting asks for the slug; the button stays disabled until it is typed exactly.
    await detail.getByTestId('danger-zone').getByRole('button', { name: 'Delete tenant…' }).click();
    const confirm = detail.getByTestId('delete-tenant-form');
    const deleteButton = confirm.getByRole('button', { name: 'Delete tenant' });
    await confirm.getByRole('textbox').fill(slug.toUpperCase());
    expect(await deleteButton.isDisabled()).toBe(true);
    await confirm.getByRole('textbox').fill(slug);
    await shot(detail, 'tenant-delete-confirm');
    await deleteButton.click();
    await detail.getByTestId('tenant-deleted').waitFor({ timeout: 30_000 });
    await detail
      .locator('[data-testid="operation"][data-kind="DELETE"][data-operation-state="SUCCEEDED"]')
      .waitFor();
    await shot(detail, 'tenant-deleted');

    // The deleted tenant leaves the watcher's list, live as well.
    await row(watcher, slug).waitFor({ state: 'detached' });

    const audit = await open(`/audit?tenant=${slug}`, detail);
    for (const action of [
      'tenant.create.requested',
      'tenant.create.completed',
      'tenant.delete.requested',
      'tenant.delete.completed',
      // The reveal, the reset and the rotation above.
      'tenant.secret.revealed',
      'tenant.secret.rotated',
    ]) {
      await audit.locator(`tr[data-action="${action}"][data-target="${slug}"]`).first().waitFor();
    }
    await shot(audit, 'audit');

    // The export holds the same filtered view, every page of it.
    const download = audit.waitForEvent('download');
    await audit.getByRole('button', { name: 'Export' }).click();
    await audit.getByRole('menuitem', { name: 'CSV' }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,at,action,/);
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[2])
        .sort(),
    ).toEqual([
      'tenant.create.completed',
      'tenant.create.requested',
      'tenant.delete.completed',
      'tenant.delete.requested',
      // The admin password and the database password.
      'tenant.secret.revealed',
      'tenant.secret.revealed',
      'tenant.secret.rotated',
      'tenant.secret.rotated',
    ]);

    // Applying filters again and again keeps one filter bar, holding what is applied.
    const filters = audit.getByTestId('audit-filters');
    for (const action of ['tenant.*', 'tenant.create.*', 'tenant.delete.*']) {
      await filters.locator('input[name="action"]').fill(action);
      await filters.getByRole('button', { name: 'Apply' }).click();
      await audit.waitForFunction(
        (a) => new URLSearchParams(window.location.search).get('action') === a,
        action,
      );
    }
    expect(await audit.getByTestId('audit-filters').count()).toBe(1);
    expect(await filters.locator('input[name="action"]').inputValue()).toBe('tenant.delete.*');

    const back = await open('/', audit);
    await back
      .getByTestId('recent-activity')
      .locator('[data-action="tenant.delete.completed"]')
      .first()
      .waitFor();
    await back.getByTestId('state-ACTIVE').getByText(String(neighbours.length), { exact: true }).waitFor();
    await shot(back, 'dashboard');
    await back.getByRole('button', { name: 'Switch to dark mode' }).click();
    await shot(back, 'dashboard-dark');
    await back.getByRole('button', { name: 'Switch to light mode' }).click();
    const settings = await open('/settings', back);
    await settings.getByTestId('alert-settings').waitFor();
    await shot(settings, 'settings');

    // Leaving with unsaved settings asks first: dismissed, the page and the change stay.
    const hour = settings.getByTestId('alert-rules').getByRole('textbox', { name: 'Daily report hour' });
    const hourWas = await hour.inputValue();
    await hour.fill(hourWas === '9' ? '10' : '9');
    const asked = settings.waitForEvent('dialog');
    // The click returns only once the question is answered.
    const clicking = settings.getByRole('link', { name: 'Audit' }).click();
    const dialog = await asked;
    expect(dialog.message()).toMatch(/not saved/);
    await dialog.dismiss();
    await clicking;
    expect(new URL(settings.url()).pathname).toBe('/ui/settings');
    await hour.fill(hourWas);

    // No relay configured: the test e-mail lands in the built-in mail catcher, shown on the Mail page.
    const test = settings.getByTestId('smtp-test');
    await test.getByRole('textbox').fill('newcomer@example.com');
    await test.getByRole('button', { name: 'Send test' }).click();
    await test.getByText(/^Sent to newcomer@example\.com via 127\.0\.0\.1:\d+: 250/).waitFor();
    await open('/mail', settings);
    await settings.getByText('JustIAM control plane: SMTP test').waitFor();
    await shot(settings, 'mail');

    // API tokens, from the operator menu: checked as typed, shown once, listed, revoked.
    await settings.getByTestId('operator-menu').click();
    await settings.getByTestId('menu-api-tokens').click();
    await settings.waitForURL('**/ui/me/tokens');
    const tokenForm = settings.getByTestId('new-token-form');
    const days = tokenForm.getByRole('textbox', { name: 'Expires in (days)' });
    await days.fill('400');
    await tokenForm.getByText('Must be between 1 and 365').waitFor();
    await days.fill('30');
    await tokenForm.getByRole('textbox', { name: 'Name' }).fill('e2e-automation');
    await tokenForm.getByRole('button', { name: 'Create token' }).click();
    expect(await settings.getByTestId('created-token-value').textContent()).toMatch(/^cpt_/);
    const tokenRow = settings.locator('tr[data-token-name="e2e-automation"]');
    await tokenRow.locator('xpath=self::*[@data-token-status="active"]').waitFor();
    await shot(settings, 'api-tokens');
    // A second token of the same name is warned about as it is typed.
    await tokenForm.getByRole('textbox', { name: 'Name' }).fill('E2E-automation ');
    await settings.getByTestId('duplicate-token-name').waitFor();
    await tokenForm.getByRole('textbox', { name: 'Name' }).fill('');
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await settings.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await settings.locator('tr[data-token-name="e2e-automation"][data-token-status="revoked"]').waitFor();
    // Revoking the token just made takes its "copy it now" banner away.
    await settings.getByTestId('created-token').waitFor({ state: 'detached' });

    expect(pageErrors).toEqual([]);
    // The UI's first query, before sign-in, is refused: that is how it learns to sign in.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 90_000);
});
