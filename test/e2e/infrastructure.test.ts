import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { dedicatedLoginWorker, sharedAgentPool, sharedLoginWorker } from '../../server/cluster/resources.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { rest, useTestServer } from '../support/server.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const VIEWPORT = { width: 1440, height: 2200 };
/** A tag the simulated registry does not have: pods on it stay in ImagePullBackOff. */
const MISSING = '9.9.9-missing';
const LOGIN_IMAGE = 'ghcr.io/justiam/login-worker';
const AGENT_IMAGE = 'ghcr.io/justiam/agent';

/**
 * The Infrastructure page against a real control plane and its cluster simulator: pods the cluster
 * runs show in their sections and follow the cluster live, drift is flagged, and an upgrade started
 * in the dialog rolls every Deployment (progress per Deployment), or is reported stuck and rolled back.
 */
describe.skipIf(!hasChromium)('the Infrastructure page in a real browser', () => {
  const server = useTestServer({
    KUBE_SIM_POD_DELAY_MS: '50',
    KUBE_SIM_UNPULLABLE_TAGS: MISSING,
    UPGRADE_POLL_INTERVAL_MS: '100',
    UPGRADE_PROGRESS_DEADLINE_SECONDS: '3',
  });
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  // CSP violations, console errors and uncaught exceptions on any page: the UI runs under its policy.
  let problems: string[];

  const cluster = () => server.services.cluster;
  const ns = () => server.services.cluster.namespace;
  const podsOf = async (app: string) =>
    (await cluster().list<V1Pod>('Pod', 'v1', `app.kubernetes.io/name=${app}`)).filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
  const image = async (name: string) =>
    (await cluster().read<V1Deployment>('Deployment', 'apps/v1', name))?.spec?.template?.spec?.containers?.[0]
      ?.image;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    ensureUi();
    // Before the page opens: a backend pod of a tenant, the control plane's own pod, one shared agent.
    await cluster().ensure<V1Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'backend-acme-0',
        namespace: ns(),
        labels: { 'app.kubernetes.io/name': 'justiam-backend', 'justiam.io/tenant': 'acme' },
      },
      spec: { containers: [{ name: 'backend', image: 'ghcr.io/justiam/backend:3.2.0' }] },
    });
    await cluster().ensure<V1Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'control-plane-0',
        namespace: ns(),
        labels: { 'app.kubernetes.io/name': 'justiam-control-plane' },
      },
      spec: { containers: [{ name: 'api', image: 'ghcr.io/justiam/control-plane:0.1.0' }] },
    });
    await cluster().ensure(sharedAgentPool(ns(), `${AGENT_IMAGE}:2.0.0`, 1));
    await eventually(
      async () => (await podsOf('justiam-agent')).some((p) => p.status?.phase === 'Running'),
      10_000,
      'the shared agent running',
    );
    browser = await launchBrowser({ viewport: VIEWPORT });
    problems = await watchForProblems(browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.closeAll();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const live = (page: Page) => page.locator('[data-testid="live-status"][data-live="connected"]').waitFor();
  const section = (page: Page, component: string) =>
    page.locator(`[data-testid="infra-component"][data-component="${component}"]`);

  /** Opens `url`, signing in through the dev issuer as `login` when the server asks. */
  const openAs = async (context: BrowserContext, login: string, url: string): Promise<Page> => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const asked = await fetch(`${server.url}/auth/login?return_to=/ui/`, { redirect: 'manual' });
    if (asked.status === 302 || asked.status === 303) {
      await page.locator('input[name="login"]').fill(login);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(url);
      await page.getByTestId('operator-menu').getByText(login).waitFor();
    }
    return page;
  };

  it('shows every component live, flags drift, upgrades login workers with per-Deployment progress, rolls back a stuck agent upgrade, and shows upgrades started elsewhere and the API’s refusal', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `infrastructure-failure-${index + 1}`).catch(() => {});
      // What the API and the cluster said at that moment, to tell the page from the server.
      const upgrades = await rest(server, 'GET', '/infrastructure/upgrades').catch((e) => e);
      console.error('upgrades at failure', JSON.stringify(upgrades.body ?? upgrades, null, 1));
      const agents = await podsOf('justiam-agent').catch(() => []);
      console.error(
        'agent pods at failure',
        JSON.stringify(agents.map((p) => [p.metadata?.name, p.spec?.containers?.[0]?.image, p.status])),
      );
    });
    const page = await openAs(browser, 'e2e-admin', `${server.url}/ui/infrastructure`);
    await page.getByTestId('infrastructure').waitFor();
    await live(page);

    // The navigation entry is a real page now, and every section is there with what the cluster runs.
    expect(
      await page.getByRole('link', { name: 'Infrastructure', exact: true }).getAttribute('aria-current'),
    ).toBe('page');
    const backend = section(page, 'BACKEND');
    await backend.locator('tr[data-pod="backend-acme-0"][data-phase="Running"][data-ready="true"]').waitFor();
    expect(await backend.locator('[data-testid="infra-group"][data-group="tenant:acme"]').count()).toBe(1);
    await section(page, 'CONTROL_PLANE').locator('tr[data-pod="control-plane-0"]').waitFor();
    const agents = section(page, 'AGENT');
    await agents.and(page.locator('[data-pods="1"][data-ready="1"]')).waitFor();
    expect(await agents.getByTestId('infra-versions').getAttribute('data-versions')).toBe('2.0.0');
    const logins = section(page, 'LOGIN_WORKER');
    await logins.and(page.locator('[data-pods="0"]')).waitFor();
    expect(await logins.textContent()).toContain('No pods of this component in the cluster.');
    const database = page.getByTestId('database-card');
    expect(await database.getByTestId('database-version').textContent()).toMatch(/^PostgreSQL \d+/);
    expect(await database.getByTestId('database-connections').textContent()).toMatch(/^\d+ of \d+$/);

    // The cluster changes: the shared login worker and a dedicated one on another version appear,
    // become ready, and their two versions are flagged as drift, without a reload.
    await cluster().ensure(sharedLoginWorker(ns(), `${LOGIN_IMAGE}:1.4.0`, 2));
    await cluster().ensure(dedicatedLoginWorker(ns(), 'acme', `${LOGIN_IMAGE}:1.3.0`));
    await logins.and(page.locator('[data-pods="3"][data-ready="3"][data-drift="true"]')).waitFor();
    expect(await logins.getByTestId('infra-versions').getAttribute('data-versions')).toBe('1.3.0,1.4.0');
    await logins.getByTestId('infra-drift').waitFor();
    const dedicatedRow = logins.locator('[data-group="tenant:acme"] tr[data-pod]');
    expect(await dedicatedRow.getAttribute('data-version')).toBe('1.3.0');
    expect(await dedicatedRow.getAttribute('data-drift')).toBe('true');
    expect(await logins.locator('[data-group="shared"] tr[data-drift="true"]').count()).toBe(0);
    await shot(page, 'infrastructure-drift');

    // A pod's details and the state changes the page saw: it appeared, then became ready.
    const podName = (await dedicatedRow.getAttribute('data-pod'))!;
    await dedicatedRow.getByRole('button', { name: `${podName}: details and state history` }).click();
    const drawer = page.getByTestId('pod-drawer');
    await drawer.and(page.locator(`[data-pod="${podName}"]`)).waitFor();
    const history = drawer.getByTestId('pod-history');
    await history.locator('[data-kind="added"]').waitFor();
    expect(await history.textContent()).toMatch(/Appeared: (Pending|Running), (not ready|ready)/);
    expect(await drawer.textContent()).toContain('acme');
    expect(await drawer.textContent()).toContain('The changes this page has seen since it opened');
    await shot(page, 'infrastructure-pod');
    await page.getByRole('button', { name: 'Close pod details' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // The upgrade dialog checks the tag as the server does, then starts the upgrade and follows
    // each Deployment's rollout until every one is done.
    await page.getByTestId('open-upgrade').click();
    const dialog = page.getByTestId('upgrade-dialog');
    expect(await dialog.getByTestId('upgrade-current').textContent()).toContain('Running now: 1.3.0, 1.4.0.');
    const version = dialog.getByRole('textbox', { name: 'Version' });
    await version.fill('bad tag!');
    await version.blur();
    await dialog.getByText(/^Must be an image tag/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Start upgrade' }).isDisabled()).toBe(true);
    await version.fill('1.4.2');
    await dialog.getByRole('button', { name: 'Start upgrade' }).click();
    const progress = dialog.getByTestId('upgrade-progress');
    await progress.waitFor();
    await progress.locator('[data-testid="upgrade-deployments"][data-count="2"]').waitFor();
    await progress.and(page.locator('[data-state="SUCCEEDED"]')).waitFor({ timeout: 20_000 });
    for (const name of ['login-worker-shared', 'login-worker-acme']) {
      const row = progress.locator(`[data-testid="upgrade-deployment"][data-deployment="${name}"]`);
      expect(await row.getAttribute('data-done'), name).toBe('true');
      expect(await row.getAttribute('data-updated'), name).toBe(await row.getAttribute('data-replicas'));
      expect(await row.getAttribute('data-ready'), name).toBe(await row.getAttribute('data-replicas'));
      expect(await row.textContent()).toContain('1.4.2');
    }
    expect(await image('login-worker-shared')).toBe(`${LOGIN_IMAGE}:1.4.2`);
    expect(await image('login-worker-acme')).toBe(`${LOGIN_IMAGE}:1.4.2`);
    await shot(page, 'infrastructure-upgraded');
    await page.getByRole('button', { name: 'Close upgrade dialog' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The section follows: every pod on 1.4.2, as requested, no drift.
    await logins.and(page.locator('[data-pods="3"][data-ready="3"][data-drift="false"]')).waitFor();
    expect(await logins.getByTestId('infra-versions').getAttribute('data-versions')).toBe('1.4.2');
    expect(await logins.getByTestId('infra-requested').textContent()).toBe('requested 1.4.2');

    // An agent upgrade to a tag the registry lacks stalls: shown stuck with its error, rolled back.
    await page.getByTestId('open-upgrade').click();
    await dialog.getByText('Agents', { exact: true }).click();
    expect(await dialog.getByRole('radio', { name: 'Agents' }).isChecked()).toBe(true);
    await version.fill(MISSING);
    await dialog.getByRole('button', { name: 'Start upgrade' }).click();
    await progress.and(page.locator('[data-state="STUCK"]')).waitFor({ timeout: 20_000 });
    await progress.getByText('The rollout is stuck').waitFor();
    await agents.and(page.locator('[data-drift="true"]')).waitFor();
    await shot(page, 'infrastructure-stuck');
    await progress.getByTestId('rollback-upgrade').click();
    await page.getByTestId('rollback-upgrade-confirm').getByRole('button', { name: 'Roll back' }).click();
    // The dialog now follows the rollback, which returns the agents to 2.0.0.
    await dialog
      .locator('[data-testid="upgrade-progress"][data-state="SUCCEEDED"]')
      .getByText('Rollback of', { exact: false })
      .waitFor({ timeout: 20_000 });
    expect(await image('agent-shared')).toBe(`${AGENT_IMAGE}:2.0.0`);
    await page.getByRole('button', { name: 'Close upgrade dialog' }).click();

    // The recent upgrades: the login-worker one, the stuck one (rolled back) and its rollback.
    const list = page.getByTestId('upgrades-list');
    await list.and(page.locator('[data-count="3"]')).waitFor();
    expect(await list.locator('tr[data-state="ROLLED_BACK"]').count()).toBe(1);
    expect(await list.locator('tr[data-state="SUCCEEDED"]').count()).toBe(2);
    await agents.and(page.locator('[data-pods="1"][data-ready="1"][data-drift="false"]')).waitFor();
    await shot(page, 'infrastructure');

    // An upgrade started elsewhere shows on the page, followed; the dialog then shows the API's
    // refusal of a second one for the same component, in the API's words.
    const elsewhere = await rest(server, 'POST', '/infrastructure/upgrades', {
      component: 'login-worker',
      version: MISSING,
    });
    expect(elsewhere.status).toBe(202);
    await page
      .getByTestId('upgrades-card')
      .locator(`[data-testid="upgrade-progress"][data-upgrade="${elsewhere.body.id}"]`)
      .waitFor();
    await list.and(page.locator('[data-count="4"]')).waitFor();
    await page.getByTestId('open-upgrade').click();
    await dialog.getByText('Login workers', { exact: true }).click();
    await version.fill('1.5.0');
    await dialog.getByRole('button', { name: 'Start upgrade' }).click();
    const refusal = await rest(server, 'POST', '/infrastructure/upgrades', {
      component: 'login-worker',
      version: '1.5.0',
    });
    expect(refusal.status).toBe(409);
    await dialog.getByText('The upgrade was not started').waitFor();
    await dialog.getByText(refusal.body.error.message, { exact: true }).waitFor();
    expect(await dialog.getByTestId('upgrade-progress').count()).toBe(0);
    await shot(page, 'infrastructure-refused');
    await page.getByRole('button', { name: 'Close upgrade dialog' }).click();

    // The UI's first query, before sign-in, is refused: that is how it learns to sign in.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 120_000);

  it('shows a viewer the infrastructure without the upgrade action, and fits a 390 px screen', async () => {
    const viewerBrowser = await launchBrowser({ viewport: VIEWPORT });
    try {
      const page = await openAs(viewerBrowser, 'viewer-e2e', `${server.url}/ui/infrastructure`);
      await page.setViewportSize({ width: 390, height: 844 });
      await section(page, 'AGENT').and(page.locator('[data-pods="1"]')).waitFor();
      expect(await page.getByTestId('open-upgrade').count()).toBe(0);
      // Tables scroll inside their cards; the page itself does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(page, 'infrastructure-viewer-390');
      expect(await rest(server, 'GET', '/infrastructure').then((r) => r.status)).toBe(200);
    } finally {
      await viewerBrowser.closeAll();
    }
  });
});
