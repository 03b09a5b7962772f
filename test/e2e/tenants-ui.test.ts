import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { rest, useTestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const WIDE = { width: 1440, height: 1100 };
const PHONE = { width: 390, height: 844 };

/**
 * The tenants list, the new tenant dialog, a tenant's page and the dashboard against a real
 * control plane: the server orders the list (each column, both ways), counts each state, checks
 * a slug as it is typed; skeletons stand in while data loads; a finished operation folds into one
 * line; drift and a failing operation come with their repair and retry for an admin, and with
 * the explanation alone for a viewer; figures nobody measured read "—"; and at 390 px the list
 * keeps each tenant's state and health on screen.
 */
describe.skipIf(!hasChromium)('the tenant pages in a real browser', () => {
  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '500',
    DRIFT_CHECK_INTERVAL_MS: '1000',
  });
  // Names that sort otherwise than their slugs, created one after the other.
  const active = [
    { slug: uniqueSlug('tui-a'), name: 'zulu Holdings' },
    { slug: uniqueSlug('tui-b'), name: 'Alpha Works' },
    { slug: uniqueSlug('tui-c'), name: 'mike & Sons' },
  ];
  const stuck = { slug: uniqueSlug('tui-stuck'), name: 'Stuck Ltd' };
  const gone = { slug: uniqueSlug('tui-gone'), name: 'Gone Inc' };
  const created = uniqueSlug('tui-new');
  const all = [...active.map((t) => t.slug), stuck.slug, gone.slug, created];
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let problems: string[];

  const tenant = async (slug: string) => (await rest(server, 'GET', `/tenants/${slug}`)).body;
  const until = (what: string, check: () => Promise<boolean>, ms = 20_000) =>
    eventually(async () => ((await check()) ? true : undefined), ms, what);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const live = (page: Page) => page.locator('[data-testid="live-status"][data-live="connected"]').waitFor();
  const row = (page: Page, slug: string): Locator => page.locator(`tr[data-slug="${slug}"]`);
  const rowSlugs = (page: Page) =>
    page.locator('tr[data-slug]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slug')));
  /** The next request for `operation` is held back this long, so what stands in for it can be seen. */
  const slowDown = async (page: Page, operation: string, ms: number) => {
    let held = false;
    await page.route('**/graphql**', async (route) => {
      const request = route.request();
      if (!held && (request.url().includes(operation) || request.postData()?.includes(operation))) {
        held = true;
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      await route.continue();
    });
  };

  /** Opens `path`, signing in through the dev issuer as `login` when the server asks. */
  const openAs = async (context: BrowserContext, login: string, path: string): Promise<Page> => {
    const page = context.pages()[0] ?? (await context.newPage());
    const url = `${server.url}/ui${path}`;
    await page.goto(url);
    const asked = await fetch(`${server.url}/auth/login?return_to=/ui/`, { redirect: 'manual' });
    if (asked.status === 302 || asked.status === 303) {
      await page.locator('input[name="login"]').fill(login);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(url);
      // At 390 px the menu shows an avatar, its name only from wider screens on.
      await page.getByTestId('operator-menu').waitFor();
    }
    return page;
  };

  /** Opens `path` in a page already signed in. */
  const visit = (page: Page, path: string) => page.goto(`${server.url}/ui${path}`);

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    ensureUi();
    browser = await launchBrowser({ viewport: WIDE });
    problems = await watchForProblems(browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.closeAll();
    await dropTenantDatabases(all);
  });

  it('lists, counts, sorts and creates tenants; repairs drift and retries a failing operation; shows "—" for what nobody measured', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `tenants-ui-failure-${index + 1}`).catch(() => {});
    });

    // Before any tenant reports figures, the dashboard has no active users to show: "—", not 0.
    // It loads behind skeletons, not a spinner.
    const page = await openAs(browser, 'e2e-admin', '/tenants');
    await slowDown(page, 'Dashboard_Summary', 1500);
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByTestId('stat-tenants').locator('.mantine-Skeleton-root').waitFor();
    expect(await page.locator('.mantine-Loader-root').count()).toBe(0);
    await page.getByTestId('stat-users').getByText('—', { exact: true }).waitFor();
    await page.getByTestId('stat-users').getByText('No tenant has reported yet').waitFor();
    await page.unroute('**/graphql**');
    // A page whose code has not arrived yet (pages are lazy chunks) stands as a skeleton too.
    const chunk = '**/assets/LicensePage-*.js';
    await page.route(chunk, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByRole('link', { name: 'License', exact: true }).click();
    await page.getByTestId('page-skeleton').waitFor();
    expect(await page.locator('.mantine-Loader-root').count()).toBe(0);
    await page.getByRole('heading', { name: 'License' }).first().waitFor();
    await page.unroute(chunk);

    // The tenants: three that become active, one whose backend keeps refusing its handoff, one deleted.
    server.tenantSim!.faults.set(stuck.slug, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    for (const t of [...active, stuck, gone])
      expect((await rest(server, 'POST', '/tenants', { slug: t.slug, name: t.name })).status).toBe(201);
    for (const t of [...active, gone])
      await until(`${t.slug} active`, async () => (await tenant(t.slug)).state === 'active');
    expect((await rest(server, 'DELETE', `/tenants/${gone.slug}`, { confirm: gone.slug })).status).toBe(202);
    await until(`${gone.slug} deleted`, async () => (await tenant(gone.slug)).state === undefined);
    await until('figures reported', async () => (await tenant(active[0]!.slug)).overview.users !== null);
    await until('the stuck create retrying', async () => (await tenant(stuck.slug)).operation?.attempts > 0);

    // The list loads behind placeholder rows (opened afresh: with a list in the cache, the page
    // shows that while it asks again), then shows every live tenant with its creation time.
    await slowDown(page, 'TenantsPage_List', 1500);
    await visit(page, '/tenants');
    await page.getByTestId('tenant-row-skeleton').first().waitFor();
    await row(page, stuck.slug).waitFor();
    await page.unroute('**/graphql**');
    await live(page);
    for (const t of active) await row(page, t.slug).getByTestId('tenant-created').getByRole('time').waitFor();
    // A provisioning tenant has reported no users: "—"; an active one its number.
    expect(await row(page, stuck.slug).getByTestId('tenant-users').textContent()).toBe('—');
    await expect
      .poll(() => row(page, active[0]!.slug).getByTestId('tenant-users').textContent())
      .toMatch(/^\d[\d,]*$/);

    // The chips count each state as the server does, and filter by it.
    const counts = (await rest(server, 'GET', '/dashboard')).body.tenants;
    const chip = (state: string) => page.getByTestId(`state-chip-${state}`);
    for (const [state, count] of [
      ['ALL', counts.total],
      ['ACTIVE', counts.active],
      ['PROVISIONING', counts.provisioning],
      ['DELETED', counts.deleted],
    ] as const)
      await expect.poll(() => chip(state).getByTestId('state-count').textContent()).toBe(String(count));
    expect(counts).toMatchObject({ active: 3, provisioning: 1, deleted: 1 });
    await chip('DELETED').click();
    await page.waitForURL(/state=DELETED/);
    await row(page, gone.slug).waitFor();
    expect(await rowSlugs(page)).toEqual([gone.slug]);
    await chip('ALL').click();
    await row(page, stuck.slug).waitFor();

    // Each sortable column asks the server for its order, both ways, with the URL saying which.
    const header = (field: string) => page.locator(`th[data-sort-field="${field}"]`);
    const expectOrder = async (query: string) => {
      const want = (await rest(server, 'GET', `/tenants?first=100&${query}`)).body.tenants.map(
        (t: { slug: string }) => t.slug,
      );
      await expect.poll(() => rowSlugs(page)).toEqual(want);
      return want as string[];
    };
    const bySlug = await expectOrder('sort=slug');
    await header('NAME').getByRole('button').click();
    await page.waitForURL(/sort=name&direction=asc/);
    expect(await header('NAME').getAttribute('aria-sort')).toBe('ascending');
    const byName = await expectOrder('sort=name&direction=asc');
    expect(byName).not.toEqual(bySlug);
    await header('NAME').getByRole('button').click();
    await page.waitForURL(/sort=name&direction=desc/);
    expect(await expectOrder('sort=name&direction=desc')).toEqual([...byName].reverse());
    await header('CREATED_AT').getByRole('button').click();
    await page.waitForURL(/sort=created_at&direction=desc/);
    expect(await header('CREATED_AT').getAttribute('aria-sort')).toBe('descending');
    expect(await header('NAME').getAttribute('aria-sort')).toBe('none');
    const newest = await expectOrder('sort=created_at&direction=desc');
    expect(newest[0]).toBe(stuck.slug);
    await header('STATE').getByRole('button').click();
    const byState = await expectOrder('sort=state&direction=asc');
    expect(byState.at(-1)).toBe(stuck.slug);
    await shot(page, 'tenants-sorted');
    // A reload keeps the order the URL names.
    await page.reload();
    await expect.poll(() => rowSlugs(page)).toEqual(byState);

    // New tenant: the slug is checked with the server as it is typed.
    await page.getByRole('button', { name: 'New tenant' }).first().click();
    const form = page.getByTestId('new-tenant-form');
    const slugInput = form.getByRole('textbox', { name: 'Slug', exact: true });
    const availability = form.getByTestId('slug-availability');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('New Tenant');
    await slugInput.fill(active[1]!.slug);
    await form.getByText(`Is taken by "${active[1]!.name}" (active)`).waitFor();
    expect(await availability.getAttribute('data-availability')).toBe('taken');
    await shot(page, 'new-tenant-slug-taken');
    // Submitting a taken slug sends nothing: the slug field is where to look.
    await form.getByRole('button', { name: 'Create tenant' }).click();
    expect(await slugInput.evaluate((el) => el === document.activeElement)).toBe(true);
    await slugInput.fill(created);
    await form.locator('[data-testid="slug-availability"][data-availability="available"]').waitFor();
    expect(await availability.textContent()).toBe(`${created} is available`);
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await page
      .locator('[data-testid="operation"][data-operation-state="SUCCEEDED"]')
      .waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Open tenant' }).click();

    // A tenant's page loads behind a skeleton; its finished provisioning is one line that opens.
    await page.waitForURL(`**/ui/tenants/${created}`);
    await page.getByRole('heading', { name: 'New Tenant' }).waitFor();
    await slowDown(page, 'TenantPage_Tenant', 1500);
    await page.reload();
    await page.getByTestId('tenant-skeleton').waitFor();
    await page.getByRole('heading', { name: 'New Tenant' }).waitFor();
    await page.unroute('**/graphql**');
    const last = page.locator('[data-testid="operation"][data-kind="CREATE"]');
    await last.locator('xpath=self::*[@data-collapsed="true"]').waitFor();
    expect(await last.locator('[data-step]').first().isVisible()).toBe(false);
    await last.getByTestId('operation-toggle').click();
    expect(await last.getByTestId('operation-toggle').getAttribute('aria-expanded')).toBe('true');
    await last.locator('[data-step="handoff"]').waitFor({ state: 'visible' });
    await shot(page, 'tenant-operation-expanded');

    // A provisioning tenant that keeps failing: its figures read "—", the operation stays open with
    // why, and an admin can run it again now rather than when the backoff ends.
    await visit(page, `/tenants/${stuck.slug}`);
    const failing = page.locator(
      '[data-testid="operation"][data-kind="CREATE"][data-operation-state="RUNNING"]',
    );
    await failing
      .getByTestId('operation-problem')
      .getByText(/^Attempt \d+ failed: handoff: /)
      .waitFor();
    expect(await failing.getAttribute('data-collapsed')).toBeNull();
    await failing.getByTestId('retry-operation').waitFor();
    for (const label of ['Users', 'Active users', 'Groups', 'Apps'])
      expect(await page.locator(`[data-stat="${label}"]`).getByTestId('stat-value').textContent()).toBe('—');

    // Drift on an active tenant: its Secret deleted behind the control plane's back.
    const drifted = active[2]!;
    await server.services.cluster.delete('Secret', 'v1', `tenant-${drifted.slug}`);
    await until(`${drifted.slug} drift found`, async () => (await tenant(drifted.slug)).drift.length > 0);

    // A viewer reads both explanations, without the buttons.
    const viewerBrowser = await launchBrowser({ viewport: WIDE });
    try {
      const viewer = await openAs(viewerBrowser, 'viewer-e2e', `/tenants/${drifted.slug}`);
      await viewer
        .getByTestId('tenant-drift')
        .getByText(`Secret tenant-${drifted.slug} is missing`)
        .waitFor();
      expect(await viewer.getByTestId('repair-tenant').count()).toBe(0);
      await shot(viewer, 'tenant-drift-viewer');
      await visit(viewer, `/tenants/${stuck.slug}`);
      await viewer
        .getByTestId('operation-problem')
        .getByText(/^Attempt \d+ failed/)
        .waitFor();
      expect(await viewer.getByTestId('retry-operation').count()).toBe(0);
    } finally {
      await viewerBrowser.closeAll();
    }

    // The admin retries: with the next attempt an hour away and the backend fixed, it runs now.
    const op = await server.services.db
      .selectFrom('tenant_operations')
      .innerJoin('tenants', 'tenants.id', 'tenant_operations.tenant_id')
      .select('tenant_operations.id')
      .where('tenants.slug', '=', stuck.slug)
      .executeTakeFirstOrThrow();
    await server.services.db
      .updateTable('tenant_operations')
      .set({ next_attempt_at: new Date(Date.now() + 3_600_000) })
      .where('id', '=', op.id)
      .execute();
    server.tenantSim!.faults.clear(stuck.slug);
    await shot(page, 'tenant-operation-failing');
    await failing.getByTestId('retry-operation').click();
    await page
      .getByTestId('tenant-badge')
      .getByText(/^Active/)
      .waitFor({ timeout: 20_000 });
    await page
      .locator(
        '[data-testid="operation"][data-kind="CREATE"][data-operation-state="SUCCEEDED"][data-collapsed="true"]',
      )
      .waitFor();

    // The admin repairs the drift from beside its explanation.
    await visit(page, `/tenants/${drifted.slug}`);
    const drift = page.getByTestId('tenant-drift');
    await drift.getByText(`Secret tenant-${drifted.slug} is missing`).waitFor();
    await shot(page, 'tenant-drift');
    await drift.getByTestId('repair-tenant').click();
    await page
      .getByTestId('repair-tenant-confirm')
      .getByRole('button', { name: 'Repair', exact: true })
      .click();
    await page
      .locator('[data-testid="operation"][data-kind="REPAIR"][data-operation-state="SUCCEEDED"]')
      .waitFor({
        timeout: 20_000,
      });
    await drift.waitFor({ state: 'detached' });
    expect(await server.services.cluster.read('Secret', 'v1', `tenant-${drifted.slug}`)).toBeTruthy();

    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 240_000);

  it('at 390 px, keeps each tenant’s state and health on screen, sorts from a menu, and wraps the chips', async () => {
    // What the first test made, in case it stopped early: at least one tenant to list.
    if ((await rest(server, 'GET', '/tenants')).body.tenants.length === 0)
      expect((await rest(server, 'POST', '/tenants', active[0])).status).toBe(201);
    const phone = await launchBrowser({ viewport: PHONE });
    try {
      const page = await openAs(phone, 'e2e-admin', '/tenants');
      await page.locator('[data-testid="tenant-table"][data-layout="compact"]').waitFor();
      await page.locator('tr[data-slug]').first().waitFor();
      const badges = page.locator('tr[data-slug] [data-testid="tenant-badge"]');
      expect(await badges.count()).toBeGreaterThan(0);
      for (const badge of await badges.all()) {
        const box = (await badge.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      }
      // Nothing scrolls sideways: not the page, not the table.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        PHONE.width,
      );
      const frame = page.getByTestId('tenant-table');
      expect(await frame.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      for (const chip of await page.getByTestId('state-chips').locator('label').all()) {
        const box = (await chip.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      }
      // The sort columns the narrow table does not show are in a menu.
      await page.locator('input[aria-label="Sort tenants"]').click();
      await page.getByRole('option', { name: 'Newest first' }).click();
      await page.waitForURL(/sort=created_at&direction=desc/);
      const want = (
        await rest(server, 'GET', '/tenants?first=100&sort=created_at&direction=desc')
      ).body.tenants.map((t: { slug: string }) => t.slug);
      await expect.poll(() => rowSlugs(page)).toEqual(want);
      await shot(page, 'tenants-390');
    } finally {
      await phone.closeAll();
    }
  }, 60_000);
});
