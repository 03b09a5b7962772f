import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ROUTES } from '../../client/src/router/routes.ts';
import { type AxeFinding, FAILING_IMPACTS, formatFindings, runAxe } from '../support/axe.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { jwks, mint, testSigner } from '../support/license.ts';
import { gql, rest, useTestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

/** Where every page is photographed, at both sizes and in both themes, for a reviewer (git-ignored). */
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
type Scheme = 'light' | 'dark';
/** Each page is checked and photographed four times: at both sizes, in both themes. */
const STEPS: readonly { size: string; viewport: typeof DESKTOP; scheme: Scheme; axe: 'all' | 'contrast' }[] =
  [
    { size: '1440', viewport: DESKTOP, scheme: 'light', axe: 'all' },
    { size: '1440', viewport: DESKTOP, scheme: 'dark', axe: 'contrast' },
    { size: '390', viewport: PHONE, scheme: 'dark', axe: 'contrast' },
    { size: '390', viewport: PHONE, scheme: 'light', axe: 'all' },
  ];
const signer = testSigner('a11y-issuer');

/**
 * Every page of the operator UI, and every dialog an admin opens on them, checked with axe-core
 * (WCAG 2.0/2.1 A and AA, axe's best practices) in the light and the dark theme: a serious or
 * critical finding fails. Each is also shown at 390×844, where nothing may make the page scroll
 * sideways or push a control off screen, and photographed at both sizes for a reviewer.
 */
describe.skipIf(!hasChromium)('accessibility and small screens, every page', () => {
  // Built before the server starts: the build blocks this process, the server's included, for
  // long enough that connections it keeps alive would be reset under the first requests.
  beforeAll(() => ensureUi(), 120_000);
  const server = useTestServer({
    LICENSE_PUBLIC_KEYS: jwks(signer),
    KUBE_SIM_POD_DELAY_MS: '50',
    LICENSE_RENEWAL_ALLOW_HTTP: 'true',
  });
  const slug = uniqueSlug('a11y');
  const other = uniqueSlug('a11y-b');
  const created = uniqueSlug('a11y-new');
  const pool = 'a11y-pool';
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let problems: string[];
  /** Serious and critical findings of every page, failing the test that found them at its end. */
  const failing: string[] = [];
  /** Moderate and minor findings: printed once at the end for whoever improves the UI next. */
  const advisory = new Map<string, Set<string>>();
  /** What a small screen got wrong: sideways scrolling, controls off screen, key columns hidden. */
  const layout: string[] = [];

  beforeAll(async () => {
    await rm(SCREENSHOTS, { recursive: true, force: true });
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const [s, name] of [
      [slug, 'Accessible Corporation'],
      [other, 'Second Tenant With A Rather Long Name Ltd'],
    ] as const) {
      const answer = await rest(server, 'POST', '/tenants', {
        slug: s,
        name,
        admin_email: `admin@${s}.test`,
      });
      expect(answer.status).toBe(201);
    }
    const made = await gql(
      server,
      'mutation($input: CreateAgentPoolInput!) { createAgentPool(input: $input) { __typename } }',
      {
        input: { name: pool, labels: ['gpu', 'eu-west'] },
      },
    );
    expect(made.body.data).toEqual({ createAgentPool: { __typename: 'MutationCreateAgentPoolSuccess' } });
    const license = await mint(signer, { lid: 'lic-a11y', licensee: 'A11y Corp', maxUsers: 50 });
    const activated = await gql(
      server,
      'mutation($l: String!) { activateLicense(license: $l) { __typename } }',
      {
        l: license,
      },
    );
    expect(activated.body.data).toEqual({
      activateLicense: { __typename: 'MutationActivateLicenseSuccess' },
    });
    const mailed = await gql(
      server,
      'mutation { sendSmtpTestEmail(to: "reader@example.com") { __typename } }',
    );
    expect(mailed.body.data).toEqual({
      sendSmtpTestEmail: { __typename: 'MutationSendSmtpTestEmailSuccess' },
    });
    // Pods for the Infrastructure page's tables and an agent for the pool's: a backend per
    // tenant, the control plane's own, and one agent labelled with the pool.
    const cluster = server.services.cluster;
    const pod = (name: string, labels: Record<string, string>, image: string): V1Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: cluster.namespace, labels },
      spec: { containers: [{ name: 'main', image }] },
    });
    for (const s of [slug, other])
      await cluster.ensure(
        pod(
          `backend-${s}-0`,
          { 'app.kubernetes.io/name': 'justiam-backend', 'justiam.io/tenant': s },
          'ghcr.io/justiam/backend:3.2.0',
        ),
      );
    await cluster.ensure(
      pod(
        'control-plane-0',
        { 'app.kubernetes.io/name': 'justiam-control-plane' },
        'ghcr.io/justiam/control-plane:0.1.0',
      ),
    );
    await cluster.ensure(
      pod(
        `agent-${pool}-0`,
        { 'app.kubernetes.io/name': 'justiam-agent', 'justiam.io/pool': pool },
        'ghcr.io/justiam/agent:2.0.0',
      ),
    );
    browser = await launchBrowser({ viewport: DESKTOP });
    problems = await watchForProblems(browser);
    page = browser.pages()[0] ?? (await browser.newPage());
    // Transitions end at once (the UI honours the preference), so nothing is checked mid-fade.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    for (const s of [slug, other])
      await eventually(
        async () => (await rest(server, 'GET', `/tenants/${s}`)).body.state === 'active',
        30_000,
        `${s} active`,
      );
  }, 120_000);

  afterAll(async () => {
    await browser?.closeAll();
    await dropTenantDatabases([slug, other, created]);
    if (advisory.size > 0)
      console.info(
        `accessibility: moderate and minor findings (not failed)\n${[...advisory]
          .map(([rule, pages]) => `  ${rule}: ${[...pages].join(', ')}`)
          .join('\n')}`,
      );
  });

  const ui = (path: string) => `${server.url}/ui${path}`;

  /** Waits until what the page shows has stopped moving: no spinner, skeleton or transition left. */
  const settle = async (target: Page) => {
    await target.waitForFunction(
      () =>
        // A spinner in a badge says something is pending; any other one says the page is loading.
        ![...document.querySelectorAll('.mantine-Loader-root')].some(
          (l) => !l.closest('.mantine-Badge-root'),
        ) &&
        !document.querySelector('.mantine-Skeleton-root[data-visible="true"]') &&
        document
          .getAnimations()
          .every(
            (animation) =>
              animation.playState !== 'running' ||
              animation.effect?.getComputedTiming().iterations === Number.POSITIVE_INFINITY,
          ),
      undefined,
      { polling: 'raf' },
    );
  };

  /** Puts the page in `scheme` as the system preference would (the UI follows it until chosen). */
  const showScheme = async (target: Page, scheme: Scheme) => {
    await target.emulateMedia({ colorScheme: scheme });
    // The console's own pages follow the media query alone; the app marks the root element.
    await target.waitForFunction((want) => {
      const marked = document.documentElement.getAttribute('data-mantine-color-scheme');
      return marked === null || marked === want;
    }, scheme);
  };

  /**
   * What a 390 px screen must not have: sideways scrolling, or a control pushed past the edge of
   * the screen or cut off by the card (or any box that clips) it sits in. Controls inside a box
   * that scrolls sideways on purpose (a code block, a table kept as a table) are left alone.
   */
  const smallScreenProblems = (target: Page) =>
    target.evaluate(() => {
      const found: string[] = [];
      const width = window.innerWidth;
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth > width) found.push(`the page scrolls sideways (${scrollWidth} px wide in ${width})`);
      const describe = (element: Element) =>
        `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40) || element.getAttribute('name') || ''}"`;
      for (const element of document.querySelectorAll(
        'input:not([type="hidden"]), button, select, textarea, a[href], [role="tab"]',
      )) {
        const rect = element.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0 || !element.checkVisibility({ visibilityProperty: true }))
          continue;
        let box: { left: number; right: number } = { left: 0, right: width };
        let by = 'the screen';
        for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
          const overflow = getComputedStyle(node).overflowX;
          if (overflow === 'auto' || overflow === 'scroll') {
            box = { left: Number.NEGATIVE_INFINITY, right: Number.POSITIVE_INFINITY };
            break;
          }
          if (overflow === 'hidden' || overflow === 'clip') {
            const clip = node.getBoundingClientRect();
            if (rect.right > clip.right + 1 || rect.left < clip.left - 1) {
              box = clip;
              by = node.className.toString().match(/mantine-(\w+)-root/)?.[0] ?? node.tagName.toLowerCase();
              break;
            }
          }
        }
        if (rect.right > box.right + 1 || rect.left < box.left - 1)
          found.push(
            `${describe(element)} is cut off by ${by} (${Math.round(rect.left)}–${Math.round(rect.right)} px)`,
          );
      }
      return found;
    });

  type Check = {
    /** Columns (header text) of tables that must be on screen at 390 px without scrolling. */
    keyColumns?: { table: string; columns: readonly string[] }[];
  };

  /** The scheme each page was last put in, so a step that keeps it does not ask again. */
  const schemes = new WeakMap<Page, Scheme>();
  let checks = 0;

  /**
   * Checks what `target` shows now at both sizes in both themes: axe with every rule at 1440 px
   * in the light theme and at 390 px (where the layout differs), the colour rule alone in the
   * dark theme (only colours change with it); the small-screen rules at 390 px; and a full-page
   * screenshot of each. One thing changes at a time, and every other check runs the steps
   * backwards, starting where the last one ended. Serious and critical findings fail the test
   * at its end.
   */
  const check = async (name: string, target: Page = page, options: Check = {}) => {
    const steps = checks++ % 2 === 0 ? STEPS : [...STEPS].reverse();
    for (const step of steps) {
      if (target.viewportSize()?.width !== step.viewport.width) await target.setViewportSize(step.viewport);
      if (schemes.get(target) !== step.scheme) {
        await showScheme(target, step.scheme);
        schemes.set(target, step.scheme);
      }
      await settle(target);
      const where = `${name} (${step.scheme}, ${step.size})`;
      recordFindings(where, name, await runAxe(target, step.axe === 'all' ? undefined : ['color-contrast']));
      if (step.viewport === PHONE && step.scheme === 'light') {
        for (const problem of await smallScreenProblems(target)) layout.push(`${name}: ${problem}`);
        for (const { table, columns } of options.keyColumns ?? [])
          for (const problem of await hiddenColumns(target, table, columns))
            layout.push(`${name}: ${problem}`);
      }
      await target.screenshot({
        path: join(SCREENSHOTS, `${name}-${step.size}-${step.scheme}.png`),
        fullPage: true,
      });
    }
  };

  const recordFindings = (where: string, pageName: string, findings: AxeFinding[]) => {
    const serious = findings.filter((finding) => FAILING_IMPACTS.includes(finding.impact));
    if (serious.length > 0) failing.push(formatFindings(where, serious));
    for (const finding of findings) {
      if (FAILING_IMPACTS.includes(finding.impact)) continue;
      const key = `[${finding.impact}] ${finding.rule}`;
      advisory.set(key, (advisory.get(key) ?? new Set()).add(pageName));
    }
  };

  /**
   * The `columns` of the first table matching `selector` that are not on screen: a table kept as
   * a table shows their header cells inside the screen; one shown as cards (`cp-cards`) shows
   * their cells, named by data-label, in its first card.
   */
  const hiddenColumns = (target: Page, selector: string, columns: readonly string[]) =>
    target.evaluate(
      ({ selector, columns }) => {
        const table = document.querySelector(selector);
        if (!table) return [`no table ${selector}`];
        const onScreen = (element: Element | null | undefined) => {
          const rect = element?.getBoundingClientRect();
          return !!rect && rect.width > 1 && rect.left >= -1 && rect.right <= window.innerWidth + 1;
        };
        const headers = [...table.querySelectorAll('thead th')];
        const asCards = (table.querySelector('thead')?.getBoundingClientRect().width ?? 0) <= 1;
        return columns.flatMap((column) => {
          const cell = asCards
            ? table.querySelector(`tbody td[data-label="${column}"]`)
            : headers.find((th) => th.textContent?.trim() === column);
          return onScreen(cell) ? [] : [`${selector}: column "${column}" is not on screen`];
        });
      },
      { selector, columns },
    );

  /** Fails on what the checks so far found, accessibility findings and small-screen problems alike. */
  const expectClean = () => {
    const found = [...failing.splice(0), ...layout.splice(0).map((problem) => `at 390 px: ${problem}`)];
    expect(found.join('\n\n'), 'serious or critical accessibility findings, small-screen problems').toBe('');
  };

  /**
   * Opens `path` of the UI and waits for `ready`. Inside the app it goes there as its links do
   * (history and the router, no page load: quicker, and the checker stays loaded); from
   * elsewhere, or with `reload`, it loads the page.
   */
  const visit = async (path: string, ready: (target: Page) => Locator, reload = false) => {
    const inApp = new URL(page.url()).pathname.startsWith('/ui');
    if (inApp && !reload)
      await page.evaluate((href) => {
        window.history.pushState(null, '', href);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, `/ui${path}`);
    else await page.goto(ui(path));
    await ready(page).first().waitFor();
  };

  it('signs in through pages that pass the checks', async () => {
    onTestFailed(() => page.screenshot({ path: join(SCREENSHOTS, 'failure-sign-in.png') }).then(() => {}));
    await page.goto(ui('/'));
    await page.waitForURL((url) => url.pathname.startsWith('/dev-oidc/interaction/'));
    await page.locator('input[name="login"]').waitFor();
    await check('sign-in');
    await page.locator('input[name="login"]').fill('a11y-admin');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(ui('/'));
    await page.getByTestId('operator-menu').getByText('a11y-admin').waitFor({ state: 'attached' });
    expectClean();
  }, 60_000);

  it('has no serious or critical finding on any page or dialog, in either theme, at either size', async () => {
    onTestFailed(() => page.screenshot({ path: join(SCREENSHOTS, 'failure-pages.png') }).then(() => {}));
    await visit('/', (p) => p.getByTestId('recent-activity'));
    await check('dashboard');

    await visit('/tenants', (p) => p.locator(`tr[data-slug="${slug}"]`));
    await check('tenants');
    await page.getByRole('button', { name: 'New tenant' }).first().click();
    await page.getByTestId('new-tenant-form').waitFor();
    await check('tenants-new-dialog');
    await page.keyboard.press('Escape');

    const tabs: [tab: string, ready: (p: Page) => Locator, options?: Check][] = [
      ['overview', (p) => p.getByTestId('danger-zone')],
      ['admin-password', (p) => p.getByTestId('admin-password-section')],
      [
        'database',
        (p) => p.getByTestId('migrations'),
        { keyColumns: [{ table: '[data-testid="migrations"]', columns: ['Migration', 'State'] }] },
      ],
      [
        'secrets',
        (p) => p.getByTestId('secret-version-JWT'),
        { keyColumns: [{ table: '[data-testid="secrets-section"] table', columns: ['Secret', 'Status'] }] },
      ],
      ['bootstrap-token', (p) => p.getByTestId('bootstrap-token-reveal')],
      ['cp-token', (p) => p.getByTestId('secret-version-CP_TOKEN')],
      ['workers', (p) => p.getByTestId('task-mode-form')],
      ['backups', (p) => p.getByTestId('backups-section')],
    ];
    for (const [tab, ready, options] of tabs) {
      await visit(`/tenants/${slug}${tab === 'overview' ? '' : `?tab=${tab}`}`, ready);
      await check(`tenant-${tab}`, page, options);
    }
    await visit(`/tenants/${slug}`, (p) => p.getByTestId('danger-zone'));
    await page.getByTestId('danger-zone').getByRole('button', { name: 'Delete tenant…' }).click();
    await page.getByTestId('delete-tenant-form').waitFor();
    await check('tenant-delete-dialog');
    await page.keyboard.press('Escape');
    await visit('/tenants/no-such-tenant', (p) => p.getByText('No such tenant'));
    await check('tenant-not-found');

    await visit('/audit', (p) => p.locator('tr[data-action]'));
    await check('audit');
    await visit('/license', (p) => p.locator(`tr[data-slug="${slug}"]`));
    await check('license', page, {
      keyColumns: [{ table: '[data-testid="allocation-table"]', columns: ['Tenant', 'Allocation', 'Sync'] }],
    });
    await visit('/pools', (p) => p.locator(`[data-testid="pool-agents"][data-total="1"]`));
    await check('pools', page, {
      keyColumns: [{ table: '[data-testid="pools-table"]', columns: ['Pool', 'Tenants', 'Agents'] }],
    });
    await visit(`/pools/${pool}`, (p) => p.locator('table[data-testid="pool-agents"]'));
    await check('pool', page, {
      keyColumns: [{ table: 'table[data-testid="pool-agents"]', columns: ['Agent', 'State'] }],
    });
    await visit('/infrastructure', (p) => p.locator('tr[data-pod^="backend-"]'));
    await check('infrastructure', page, {
      keyColumns: [
        { table: '[data-testid="infra-component"] table', columns: ['Pod', 'Phase', 'Ready', 'Version'] },
      ],
    });
    await page.getByRole('button', { name: `backend-${slug}-0: details and state history` }).click();
    await page.getByTestId('pod-drawer').waitFor();
    await check('infrastructure-pod-drawer');
    await page.keyboard.press('Escape');
    await page.getByTestId('pod-drawer').waitFor({ state: 'hidden' });
    await page.getByTestId('open-upgrade').click();
    await page.getByTestId('upgrade-dialog').waitFor();
    await check('infrastructure-upgrade-dialog');
    await page.keyboard.press('Escape');
    await visit('/settings', (p) => p.getByTestId('alert-settings'));
    await check('settings');
    await visit('/mail', (p) => p.getByText('JustIAM control plane: SMTP test'));
    await page.getByText('JustIAM control plane: SMTP test').first().click();
    await check('mail');
    await visit('/me/tokens', (p) => p.getByTestId('new-token-form'));
    await check('api-tokens-empty');
    await visit('/no/such/page', (p) => p.getByText('Page not found'));
    await check('not-found');
    expectClean();
  }, 240_000);

  it('moves focus to what comes next after a submit: the new token’s copy button, the new tenant', async () => {
    onTestFailed(() => page.screenshot({ path: join(SCREENSHOTS, 'failure-focus.png') }).then(() => {}));
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element
          ? `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent?.trim()}`
          : null;
      });

    await visit('/me/tokens', (p) => p.getByTestId('new-token-form'));
    const form = page.getByTestId('new-token-form');
    await form.getByRole('textbox', { name: 'Name' }).fill('a11y-automation');
    await form.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('created-token-value').waitFor();
    await expect.poll(focused).toBe('button Copy');
    expect(
      await page
        .getByTestId('created-token')
        .getByRole('button', { name: 'Copy' })
        .evaluate((button) => button === document.activeElement),
    ).toBe(true);
    await page.locator('tr[data-token-name="a11y-automation"]').waitFor();
    await check('api-tokens', page, {
      keyColumns: [{ table: '[data-testid="api-tokens"]', columns: ['Name', 'Expires', 'Status'] }],
    });
    await page
      .locator('tr[data-token-name="a11y-automation"]')
      .getByRole('button', { name: 'Revoke' })
      .click();
    await page.getByRole('dialog').waitFor();
    await check('api-tokens-revoke-dialog');
    await page.keyboard.press('Escape');

    await visit('/tenants', (p) => p.locator(`tr[data-slug="${slug}"]`));
    await page.getByRole('button', { name: 'New tenant' }).first().click();
    const tenantForm = page.getByTestId('new-tenant-form');
    await tenantForm.getByRole('textbox', { name: 'Name', exact: true }).fill('Focus Test');
    await tenantForm.getByRole('textbox', { name: 'Slug', exact: true }).fill(created);
    await tenantForm.getByRole('button', { name: 'Create tenant' }).click();
    await page.locator('[data-testid="operation"][data-kind="CREATE"]').waitFor();
    await expect.poll(focused).toBe('a Open tenant');
    expect(
      await page
        .getByRole('link', { name: 'Open tenant' })
        .evaluate((link) => link === document.activeElement && link.getAttribute('href')),
    ).toBe(`/ui/tenants/${created}`);
    await page
      .locator('[data-testid="operation"][data-operation-state="SUCCEEDED"]')
      .waitFor({ timeout: 30_000 });
    await check('tenants-new-dialog-created');
    await page.keyboard.press('Enter');
    await page.waitForURL(ui(`/tenants/${created}`));
    expectClean();
  }, 90_000);

  it('leads from every navigation entry to a page that exists, through the burger menu at 390 px', async () => {
    onTestFailed(() => page.screenshot({ path: join(SCREENSHOTS, 'failure-navigation.png') }).then(() => {}));
    await page.setViewportSize(PHONE);
    await visit('/', (p) => p.getByTestId('recent-activity'));
    const burger = page.getByRole('button', { name: 'Navigation' });
    const navigation = page.getByRole('navigation', { name: 'Sections' });
    expect(await navigation.isVisible()).toBe(false);
    await burger.click();
    await navigation.getByRole('link').first().waitFor();
    await check('navigation-open');
    // Every section of the app is in the navigation, and each leads to its page, not a placeholder.
    expect(await navigation.getByRole('link', { name: /./ }).allTextContents()).toEqual(
      expect.arrayContaining(ROUTES.map((route) => route.label)),
    );
    for (const route of ROUTES) {
      if (!(await navigation.isVisible())) await burger.click();
      await navigation.getByRole('link', { name: route.label, exact: true }).click();
      await page.waitForURL(ui(route.path === '/' ? '/' : route.path));
      // The menu closes once an entry is chosen, and the page is a real one.
      await navigation.waitFor({ state: 'hidden' });
      await page.locator('main h1').first().waitFor();
      expect(await page.getByTestId('placeholder-page').count(), route.label).toBe(0);
      expect(await page.title()).toBe(`${route.label} · JustIAM Control Plane`);
    }
    expectClean();
  }, 60_000);

  it('signs out through pages that pass the checks', async () => {
    await page.setViewportSize(DESKTOP);
    await visit('/', (p) => p.getByTestId('recent-activity'));
    await page.getByTestId('operator-menu').click();
    await page.getByRole('menu').waitFor();
    await check('operator-menu');
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/dev-oidc/session/end'));
    await check('sign-out-confirm');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/auth/signed-out`);
    await page.getByText('You are signed out').waitFor();
    await check('signed-out');
    expectClean();
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 60_000);
});
