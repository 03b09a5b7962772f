import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/domain/actor.ts';
import { upsertOperator } from '../../server/domain/auth/operators.ts';
import { createApiToken } from '../../server/domain/auth/tokens.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { gql, rest, useTestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The audit page as an operator reads it, against a real control plane: people and things by name
 * rather than id, the actor filter suggesting operators by name or e-mail, an entry's drawer with
 * its details in words and its request id, and the same page at phone width.
 */
describe.skipIf(!hasChromium)('the audit page in a real browser', () => {
  const server = useTestServer({ RECONCILE_INTERVAL_MS: '200', STATUS_POLL_INTERVAL_MS: '3600000' });
  const slug = uniqueSlug('audit-ui');
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let problems: string[];
  let alice: { id: string; headers: Record<string, string> };
  let bob: { id: string; headers: Record<string, string> };
  let revealed: string;

  /** An admin operator with an API token of their own, as `justiam-cp token create` makes them. */
  const operatorWithToken = async (
    who: { subject: string; name: string; email: string },
    tokenName: string,
  ) => {
    const { db, bus } = server.services;
    const operator = await upsertOperator(db, { issuer: 'local', role: 'admin', ...who }, new Date());
    const { token } = await createApiToken(
      { db, bus, now: () => new Date() },
      { actor: SYSTEM_ACTOR },
      operator.id,
      { name: tokenName, expiresInDays: 5 },
    );
    return { id: operator.id, headers: { authorization: `Bearer ${token}` } };
  };
  const createPool = async (name: string, headers: Record<string, string>) => {
    const res = await gql(
      server,
      'mutation($input: CreateAgentPoolInput!) { createAgentPool(input: $input) { __typename } }',
      { input: { name, labels: ['gpu', 'eu-west'] } },
      headers,
    );
    expect(res.body.data).toEqual({ createAgentPool: { __typename: 'MutationCreateAgentPoolSuccess' } });
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    ensureUi();
    alice = await operatorWithToken(
      { subject: 'alice', name: 'Alice Doe', email: 'alice@example.com' },
      'alice deploy bot',
    );
    bob = await operatorWithToken({ subject: 'bob', name: 'Bob Stone', email: 'bob@example.org' }, 'bob ci');
    await createPool('audit-gpu', { ...alice.headers, 'x-request-id': 'e2e-audit-req-1' });
    expect((await rest(server, 'PUT', '/settings/alerts', { daily_reports: true }, bob.headers)).status).toBe(
      200,
    );
    expect((await rest(server, 'POST', '/tenants', { slug, name: 'Audit Corporation' })).status).toBe(201);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      30_000,
      'the tenant active',
    );
    const reveal = await rest(server, 'GET', `/tenants/${slug}/admin-password`);
    expect(reveal.status).toBe(200);
    revealed = reveal.body.password;
    expect(revealed.length).toBeGreaterThan(8);
    browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
    problems = await watchForProblems(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.closeAll();
    await dropTenantDatabases([slug]);
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const row = (page: Page, action: string): Locator => page.locator(`tr[data-action="${action}"]`).first();
  const drawer = (page: Page) => page.getByTestId('audit-entry');
  const query = (page: Page) => new URL(page.url()).searchParams;
  /** What each line of a cell reads (the text of each element in it), as the eye reads it. */
  const lines = async (locator: Locator) =>
    (await locator.locator(':scope > *').allTextContents()).map((t) => t.trim()).filter(Boolean);

  /** Opens `path` under /ui, signing in through the dev issuer as `login` when the server asks. */
  const openAs = async (login: string, path: string): Promise<Page> => {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const url = `${server.url}/ui${path}`;
    await page.goto(url);
    const form = page.locator('input[name="login"]');
    const signedIn = page.getByTestId('operator-menu').getByText(login);
    await form.or(signedIn).first().waitFor();
    if (await form.isVisible()) {
      await form.fill(login);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(url);
      await signedIn.waitFor();
    }
    return page;
  };

  it('names actors and targets, suggests actors by name or e-mail for the filter, and opens an entry in a drawer with its details and request id', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `audit-failure-${index + 1}`).catch(() => {});
    });
    const page = await openAs('e2e-auditor', '/audit');
    await row(page, 'pool.created').waitFor();

    // Names, not ids: a token by its name and its operator, the control plane as System, a tenant by name.
    const pool = row(page, 'pool.created');
    const actorOf = (r: Locator) => lines(r.getByTestId('entry-actor-cell'));
    const targetOf = (r: Locator) => lines(r.getByTestId('entry-target-cell'));
    await expect.poll(() => actorOf(pool)).toEqual(['alice deploy bot', 'API token of Alice Doe']);
    expect(await targetOf(pool)).toEqual(['audit-gpu', 'agent pool']);
    const settings = row(page, 'settings.alerts.updated');
    expect(await actorOf(settings)).toEqual(['bob ci', 'API token of Bob Stone']);
    expect(await targetOf(settings)).toEqual(['Alert settings', 'settings']);
    const requested = row(page, 'tenant.create.requested');
    expect(await targetOf(requested)).toEqual(['Audit Corporation', slug]);
    expect(await actorOf(requested)).toEqual(['test admin', 'API token of admin@test.local']);
    expect(await actorOf(row(page, 'tenant.create.completed'))).toEqual(['System', 'control plane']);
    // The operator who just signed in, by the name and e-mail the issuer gave.
    expect(await actorOf(row(page, 'auth.login'))).toEqual(['e2e-auditor', 'e2e-auditor@justiam.local']);
    const actorCells = await page.getByTestId('entry-actor-cell').allInnerTexts();
    const targetCells = await page.getByTestId('entry-target-cell').allInnerTexts();
    expect(actorCells.length).toBeGreaterThan(6);
    expect([...actorCells, ...targetCells].filter((text) => UUID.test(text))).toEqual([]);
    await shot(page, 'audit-names');

    // A new entry arrives live, named as well.
    await createPool('audit-live', bob.headers);
    await expect
      .poll(() => actorOf(page.locator('tr[data-target="audit-live"]')))
      .toEqual(['bob ci', 'API token of Bob Stone']);

    // The actor filter suggests operators by a word of their name or e-mail as it is typed.
    const filters = page.getByTestId('audit-filters');
    const actorField = filters.getByRole('combobox', { name: 'Actor' });
    await actorField.click();
    const suggested = () =>
      page.getByTestId('actor-option').evaluateAll((options) => options.map((o) => o.textContent));
    await actorField.fill('stone');
    await expect.poll(suggested).toEqual(['Bob Stonebob@example.org']);
    await actorField.fill('alice@exa');
    await expect.poll(suggested).toEqual(['Alice Doealice@example.com']);
    const suggestion = page.getByRole('option', { name: /Alice Doe/ });
    expect(await lines(suggestion.getByTestId('actor-option'))).toEqual(['Alice Doe', 'alice@example.com']);
    await shot(page, 'audit-actor-suggestions');
    await suggestion.click();
    await filters.getByRole('button', { name: 'Apply' }).click();
    // The URL holds the filter (the actor's id, as the API takes it); the page shows Alice's entries only.
    await page.waitForFunction(
      (id) => new URLSearchParams(window.location.search).get('actor') === id,
      alice.id,
    );
    await expect.poll(() => page.locator('tbody tr[data-action]').count()).toBe(1);
    expect(await row(page, 'pool.created').count()).toBe(1);
    expect(await page.getByTestId('audit-filters').count()).toBe(1);
    // The URL is the one source: a reload shows the same filter, by name.
    await page.reload();
    await row(page, 'pool.created').waitFor();
    await expect
      .poll(() => page.getByTestId('audit-filters').getByRole('combobox', { name: 'Actor' }).inputValue())
      .toBe('Alice Doe');
    expect(await page.locator('tbody tr[data-action]').count()).toBe(1);

    // Clicking an entry opens its drawer: what, who, to what, when, the request, every detail.
    await row(page, 'pool.created').locator('td').first().click();
    const entry = drawer(page);
    await entry.waitFor();
    expect(query(page).get('entry')).toBeTruthy();
    expect(query(page).get('actor')).toBe(alice.id);
    expect(await page.getByRole('dialog').getByRole('heading', { level: 3 }).textContent()).toBe(
      'Agent pool created',
    );
    expect(await entry.getByTestId('entry-actor').textContent()).toBe(
      "alice deploy botAPI token of Alice DoeShow only this actor's entries",
    );
    expect(await entry.getByTestId('entry-request-id').textContent()).toBe('e2e-audit-req-1');
    const time = await entry.getByTestId('entry-time').textContent();
    expect(time).toMatch(/\d{4}/);
    expect(await entry.locator('time').textContent()).toMatch(/ago|just now/);
    const labels = entry.locator('[data-testid="entry-details"] [data-field="labels"]');
    expect(await lines(labels)).toEqual(['Labels', 'gpueu-west']);
    expect(await labels.locator('dd .mantine-Badge-root').allTextContents()).toEqual(['gpu', 'eu-west']);
    await shot(page, 'audit-drawer');

    // A link to the entry opens it too; closing the drawer takes it out of the URL.
    await page.reload();
    await drawer(page).waitFor();
    await page.getByRole('button', { name: 'Close entry details' }).click();
    await drawer(page).waitFor({ state: 'detached' });
    expect(query(page).get('entry')).toBeNull();
    expect(query(page).get('actor')).toBe(alice.id);

    // The drawer's "only this actor" on another entry; the control plane's own work has no request id.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => !new URLSearchParams(window.location.search).has('actor'));
    await row(page, 'tenant.create.completed').locator('td').first().click();
    await drawer(page).waitFor();
    expect(await drawer(page).getByTestId('entry-request-id').textContent()).toBe(
      'None: the control plane did this on its own',
    );
    const details = drawer(page).getByTestId('entry-details');
    expect(await lines(details.locator('[data-field="durationMs"]'))).toEqual([
      'Duration',
      expect.stringMatching(/^\d+(\.\d)? (ms|s)$/),
    ]);
    expect(await details.locator('[data-field="operationId"] dt').textContent()).toBe('Operation');
    await page.getByRole('button', { name: 'Close entry details' }).click();

    // A reveal names the secret; its value is nowhere on the page.
    await row(page, 'tenant.secret.revealed').locator('td').first().click();
    await drawer(page).waitFor();
    expect(await lines(drawer(page).locator('[data-testid="entry-details"] [data-field="secret"]'))).toEqual([
      'Secret',
      'admin-password',
    ]);
    expect(await page.content()).not.toContain(revealed);
    await page.getByRole('button', { name: 'Close entry details' }).click();

    // Signing in starts with the UI's first request refused.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  });

  it('at 390 px wide shows entries as cards with time, action and actor, keeps the filter bar on screen, and opens the drawer', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `audit-narrow-failure-${index + 1}`).catch(() => {});
    });
    const page = await openAs('e2e-auditor', '/audit');
    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.getByTestId('audit-card');
    await cards.first().waitFor();
    expect(await page.getByTestId('audit-table').count()).toBe(0);

    // Nothing scrolls sideways. The filters fold behind a toggle so the entries show on the first
    // screen; unfolded, the bar and each of its fields lie within the screen.
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    /** Where an element's right edge is once it has stopped moving (drawers and folds animate). */
    const settledRight = async (locator: Locator) => {
      let last = Number.NaN;
      for (;;) {
        const box = (await locator.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        if (box.x + box.width === last) return last;
        last = box.x + box.width;
        await page.waitForTimeout(100);
      }
    };
    const within = async (locator: Locator) => expect(await settledRight(locator)).toBeLessThanOrEqual(390);
    const toggle = page.getByRole('button', { name: 'Show filters' });
    await within(toggle);
    expect((await cards.first().boundingBox())!.y).toBeLessThan(844);
    await toggle.click();
    const filters = page.getByTestId('audit-filters');
    await filters.waitFor();
    await within(filters);
    for (const field of await filters.locator('input:not([type="hidden"]), button').all())
      await within(field);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(page, 'audit-narrow-filters');
    await page.getByRole('button', { name: 'Hide filters' }).click();
    await filters.waitFor({ state: 'hidden' });

    // Each card keeps the key facts: the action, when, and who.
    const pool = page.locator('[data-testid="audit-card"][data-action="pool.created"]').first();
    await within(pool);
    const text = (await pool.textContent()) ?? '';
    expect(text).toContain('Agent pool created');
    expect(text).toMatch(/ago|just now/);
    expect(text).toContain('API token of');
    await shot(page, 'audit-narrow');

    await pool.locator('[data-testid="open-entry"]').click();
    await drawer(page).waitFor();
    await within(drawer(page));
    expect(await drawer(page).getByTestId('entry-request-id').textContent()).not.toBe('');
    await shot(page, 'audit-narrow-drawer');
    await page.getByRole('button', { name: 'Close entry details' }).click();
    await page.setViewportSize({ width: 1440, height: 900 });
    // Signing in starts with the UI's first request refused.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  });
});
