import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { readTenantSecret } from '../../server/domain/tenants/cluster-secret.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { rest, useTestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const VIEWPORT = { width: 1440, height: 1400 };

/**
 * The Pools page and a tenant's Workers tab against a real control plane: the cluster simulator
 * runs the agents, and the tenant simulator's database says what the tenant's backend was told.
 */
describe.skipIf(!hasChromium)('worker settings and agent pools in a real browser', () => {
  const server = useTestServer({ KUBE_SIM_POD_DELAY_MS: '50' });
  const slug = uniqueSlug('wrk-e2e');
  const pool = 'gpu-e2e';
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  // CSP violations, console errors and uncaught exceptions on any page: the UI runs under its policy.
  let problems: string[];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    ensureUi();
    const created = await rest(server, 'POST', '/tenants', { slug, name: 'Workers E2E', admin_email: null });
    expect(created.status).toBe(201);
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
  const workersTab = () => `${server.url}/ui/tenants/${slug}?tab=workers`;

  /** What the tenant's backend was told (the tenant simulator's worker_config row). */
  async function backendConfig(): Promise<unknown> {
    const url = (await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ config: unknown }>('select config from worker_config limit 1');
      return rows[0]?.config ?? null;
    } finally {
      await client.end();
    }
  }

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

  it('creates a pool, runs the shared pool, assigns the tenant and changes its workers live, and refuses to delete a pool in use', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `workers-failure-${index + 1}`).catch(() => {});
    });
    const page = await openAs(browser, 'e2e-admin', workersTab());
    await live(page);
    const section = page.getByTestId('workers-section');
    const operation = section.getByTestId('workers-operation').getByTestId('operation');
    const modeForm = section.getByTestId('task-mode-form');

    // The defaults; agent mode with no pool anywhere is refused, in the API's words, at the form.
    await section.locator('[data-testid="task-mode"][data-mode="INLINE"]').waitFor();
    expect(await section.getByTestId('workers-changed').textContent()).toBe('The defaults: never changed.');
    await modeForm.getByText('Agent', { exact: true }).click();
    await modeForm.getByText('Agent mode needs a pool', { exact: false }).waitFor();
    await modeForm.getByRole('button', { name: 'Save' }).click();
    expect(await modeForm.getByRole('alert').locator('p').textContent()).toBe(
      `tenant ${slug} has no agent pool to run its tasks on: assign it a pool (PUT /tenants/${slug}/pool) or initialize the shared agent pool (POST /shared-agent-pool/init) first`,
    );
    expect(await section.getByTestId('task-mode').getAttribute('data-mode')).toBe('INLINE');
    await shot(page, 'workers-no-pool');

    // A pool: its name is checked as it is typed, then it is created and listed.
    await page.getByRole('link', { name: 'Pools', exact: true }).click();
    await page.waitForURL('**/ui/pools');
    const create = page.getByTestId('create-pool-form');
    const name = create.getByRole('textbox', { name: 'Name' });
    await name.fill('GPU pool');
    await create.getByText(/^Must be a DNS-1123 label/).waitFor();
    expect(await create.getByRole('button', { name: 'Create pool' }).isDisabled()).toBe(true);
    await name.fill(pool);
    const labels = create.getByRole('combobox', { name: 'Labels' });
    await labels.fill('gpu');
    await labels.press('Enter');
    await labels.fill('compute');
    await labels.press('Enter');
    await create.getByRole('button', { name: 'Create pool' }).click();
    await create.getByTestId('pool-created').waitFor();
    const row = page.locator(`tr[data-pool="${pool}"]`);
    await row.locator('[data-testid="pool-tenants"][data-count="0"]').waitFor();
    expect(await row.getByTestId('pool-agents').textContent()).toBe('none');

    // The shared agent pool: initialized, scaled to 3, and its agents become ready live.
    const shared = page.getByTestId('shared-pool');
    await page.locator('[data-testid="shared-pool"][data-initialized="false"]').waitFor();
    await shared.getByTestId('initialize-shared-pool').click();
    await page.locator('[data-testid="shared-pool"][data-initialized="true"]').waitFor();
    const scale = shared.getByTestId('scale-shared-pool');
    await scale.getByRole('textbox', { name: 'Agents wanted' }).fill('3');
    await scale.getByRole('button', { name: 'Scale' }).click();
    await shared
      .locator('[data-testid="shared-replicas"][data-replicas="3"][data-ready-replicas="3"]')
      .waitFor();
    await shared.locator('[data-testid="shared-agents"][data-agents="3"][data-ready="3"]').waitFor();
    expect(await shared.getByTestId('shared-replicas').textContent()).toBe('3 of 3 ready');
    await shot(page, 'pools');

    // Rotating the registration key asks first; the new key shows, the old one with its expiry.
    const keyId = await shared.getByTestId('shared-key-id').textContent();
    await shared.getByTestId('rotate-shared-key').click();
    await page.getByTestId('rotate-shared-key-confirm').getByRole('button', { name: 'Rotate key' }).click();
    await shared.getByTestId('shared-previous-key').getByText(keyId!, { exact: true }).waitFor();
    expect(await shared.getByTestId('shared-key-id').textContent()).not.toBe(keyId);
    expect(await shared.getByTestId('shared-previous-key').textContent()).toMatch(
      /valid until .* \(in \d+ (min|h|d)\)/,
    );

    // The pool's page follows its agents live: one labelled with the pool joins and becomes ready.
    await row.getByRole('link', { name: pool }).click();
    await page.waitForURL(`**/ui/pools/${pool}`);
    const detail = page.getByTestId('pool-detail');
    await detail.locator('[data-testid="pool-agents"][data-agents="0"]').waitFor();
    await live(page);
    await server.services.cluster.ensure<V1Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `agent-${pool}-0`,
        namespace: server.services.cluster.namespace,
        labels: { 'app.kubernetes.io/name': 'justiam-agent', 'justiam.io/pool': pool },
      },
      spec: { containers: [{ name: 'agent', image: 'ghcr.io/justiam/agent:1.4.2' }] },
    });
    await detail.locator('[data-testid="pool-agents"][data-agents="1"][data-ready="1"]').waitFor();
    expect(await detail.getByTestId('pool-agents-summary').textContent()).toBe('1 of 1 ready');

    // The tenant: assigned to the pool, then in agent mode; each change applied step by step.
    await page.goto(workersTab());
    await live(page);
    const poolForm = section.getByTestId('pool-form');
    await poolForm.getByRole('combobox', { name: 'Agent pool' }).click();
    await page.getByRole('option', { name: `${pool} (gpu, compute)` }).click();
    await poolForm.getByRole('button', { name: 'Save' }).click();
    await section.locator(`[data-testid="assigned-pool"][data-pool="${pool}"]`).waitFor();
    await page
      .locator('[data-testid="operation"][data-kind="WORKERS"][data-operation-state="SUCCEEDED"]')
      .waitFor();
    await modeForm.getByText('Agent', { exact: true }).click();
    await modeForm.getByRole('button', { name: 'Save' }).click();
    await section.locator('[data-testid="task-mode"][data-mode="AGENT"]').waitFor();
    await operation.and(page.locator('[data-operation-state="SUCCEEDED"]')).waitFor();
    expect(await operation.locator('[data-step-state="DONE"]').count()).toBe(4);

    // Concurrency is checked as it is typed (1–1000), then applied like the rest.
    const concurrencyForm = section.getByTestId('concurrency-form');
    const concurrency = concurrencyForm.getByRole('textbox', { name: 'Tasks at once' });
    await concurrency.fill('0');
    await concurrencyForm.getByText('Must be between 1 and 1000').waitFor();
    expect(await concurrencyForm.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await concurrency.fill('25');
    await concurrencyForm.getByRole('button', { name: 'Save' }).click();
    await section.locator('[data-testid="concurrency"][data-value="25"]').waitFor();
    await operation.and(page.locator('[data-operation-state="SUCCEEDED"]')).waitFor();
    expect(await backendConfig()).toMatchObject({ task_worker: { mode: 'agent', concurrency: 25 }, pool });

    // A dedicated login worker: its Deployment made, its URL shown, the backend told.
    const loginForm = section.getByTestId('login-worker-form');
    await loginForm.getByText('Dedicated', { exact: true }).click();
    await loginForm.getByRole('button', { name: 'Save' }).click();
    await section.locator('[data-testid="login-mode"][data-mode="DEDICATED"]').waitFor();
    await operation.and(page.locator('[data-operation-state="SUCCEEDED"]')).waitFor();
    const url = `http://login-worker-${slug}.${server.services.cluster.namespace}.svc:8090`;
    expect(await section.getByTestId('login-url').textContent()).toBe(url);
    expect(
      await server.services.cluster.read<V1Deployment>('Deployment', 'apps/v1', `login-worker-${slug}`),
    ).toBeTruthy();
    expect(await backendConfig()).toMatchObject({ login_worker: { mode: 'dedicated', url } });
    expect(await section.getByTestId('workers-changed').textContent()).toMatch(/^Last changed .* by /);
    await shot(page, 'tenant-workers');

    // The pool now has a tenant: deleting it is refused, in the API's words, next to the button.
    await section.getByTestId('assigned-pool').getByRole('link', { name: pool }).click();
    await page.waitForURL(`**/ui/pools/${pool}`);
    await detail.locator('[data-testid="pool-tenant-list"][data-count="1"]').getByText(slug).waitFor();
    await detail.getByTestId('delete-pool').click();
    await page.getByTestId('delete-pool-confirm').getByRole('button', { name: 'Delete pool' }).click();
    await detail
      .getByTestId('delete-pool-problem')
      .getByText(`agent pool ${pool} still has 1 tenant assigned (${slug}): assign them elsewhere first`)
      .waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await rest(server, 'GET', `/pools/${pool}`).then((r) => r.status)).toBe(200);

    // Its labels are edited in place: a bad one is named as it is typed, a good one saved.
    const labelsForm = detail.getByTestId('pool-labels-form');
    const labelsInput = labelsForm.getByRole('combobox', { name: 'Labels' });
    await labelsInput.fill('A100');
    await labelsInput.press('Enter');
    await labelsForm
      .getByText('"A100": each label must be 1–63 lower-case letters, digits and "-"')
      .waitFor();
    expect(await labelsForm.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await labelsInput.press('Backspace');
    await labelsInput.fill('a100');
    await labelsInput.press('Enter');
    await labelsForm.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('pool-labels').getByText('a100', { exact: true }).waitFor();
    expect((await rest(server, 'GET', `/pools/${pool}`)).body.labels).toEqual(['gpu', 'compute', 'a100']);
    await shot(page, 'pool-in-use');

    // The UI's first query, before sign-in, is refused: that is how it learns to sign in.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 60_000);

  it('shows a viewer the workers and pools but none of the actions only admins may take', async () => {
    // What the first test made, in case it stopped early: a pool and the shared pool to look at.
    expect([201, 409]).toContain((await rest(server, 'POST', '/pools', { name: pool })).status);
    expect((await rest(server, 'POST', '/shared-agent-pool/init')).status).toBe(200);
    const viewerBrowser = await launchBrowser({ viewport: VIEWPORT });
    try {
      const page = await openAs(viewerBrowser, 'viewer-e2e', workersTab());
      const section = page.getByTestId('workers-section');
      await section.getByTestId('task-mode').waitFor();
      expect(await section.locator('form').count()).toBe(0);
      await shot(page, 'tenant-workers-viewer');

      await page.getByRole('link', { name: 'Pools', exact: true }).click();
      await page.locator(`tr[data-pool="${pool}"]`).waitFor();
      await page.locator('[data-testid="shared-pool"][data-initialized="true"]').waitFor();
      expect(await page.getByTestId('create-pool-form').count()).toBe(0);
      expect(await page.locator('form').count()).toBe(0);
      expect(await page.getByTestId('rotate-shared-key').count()).toBe(0);

      await page.locator(`tr[data-pool="${pool}"]`).getByRole('link', { name: pool }).click();
      await page.getByTestId('pool-detail').waitFor();
      expect(await page.getByTestId('pool-danger-zone').count()).toBe(0);
      expect(await page.locator('form').count()).toBe(0);
      await shot(page, 'pool-viewer');
    } finally {
      await viewerBrowser.closeAll();
    }
  });
});
