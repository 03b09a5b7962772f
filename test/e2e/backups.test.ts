import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { testPgTools } from '../support/backups.ts';
import { ensureUi, hasChromium, launchBrowser, unexpected, watchForProblems } from '../support/browser.ts';
import { eventually } from '../support/kube.ts';
import { rest, useTestServer } from '../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../support/tenants.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const { tools } = await testPgTools();

/** A tenant's Backups tab in a real browser: back up, watch it finish and verify, download, delete. */
describe.skipIf(!hasChromium || !tools)('the Backups tab in a real browser', () => {
  const server = useTestServer();
  const slug = uniqueSlug('bk-e2e');
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let problems: string[];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    ensureUi();
    expect((await rest(server, 'POST', '/tenants', { slug, name: 'Backups E2E' })).status).toBe(201);
    browser = await launchBrowser();
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

  let signedIn = false;
  /** The page at `path`, signed in (the sign-in form comes first when the browser has no session). */
  async function opened(path: string): Promise<Page> {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${server.url}${path}`);
    const asked = await fetch(`${server.url}/auth/login?return_to=/ui/`, { redirect: 'manual' });
    if (!signedIn && (asked.status === 302 || asked.status === 303)) {
      await page.locator('input[name="login"]').fill('e2e-admin');
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${server.url}${path}`);
    }
    signedIn = true;
    return page;
  }

  it('backs up live, offers the file for download with its digest, verifies it and deletes it', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `backups-failure-${index + 1}`).catch(() => {});
    });
    const page = await opened(`/ui/tenants/${slug}?tab=backups`);
    await page.locator('[data-testid="live-status"][data-live="connected"]').waitFor();
    const section = page.getByTestId('backups-section');
    await section.getByTestId('no-backups').waitFor();

    // Started from the page; the row arrives, ends succeeded and is verified, all live.
    await section.getByTestId('create-backup').click();
    const row = section.locator('tr[data-backup-state="succeeded"][data-verification="passed"]');
    await row.waitFor({ timeout: 30_000 });
    await shot(page, 'backups');
    const id = await row.getAttribute('data-backup-id');

    // The download link hands over the stored file, as a download, with its name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByTestId('download-backup').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-\\d{8}T\\d{6}Z\\.dump$`));
    const listed = (await rest(server, 'GET', `/tenants/${slug}/backups/${id}`)).body;
    const saved = join(ARTIFACTS, 'backup.dump');
    await download.saveAs(saved);
    const { createHash } = await import('node:crypto');
    const { readFile } = await import('node:fs/promises');
    expect(
      createHash('sha256')
        .update(await readFile(saved))
        .digest('hex'),
    ).toBe(listed.sha256);

    // Deleting asks first; the row goes.
    await row.getByTestId('delete-backup').click();
    await page.getByTestId('delete-backup-confirm').getByRole('button', { name: 'Delete' }).click();
    await section.getByTestId('no-backups').waitFor();
    // Before signing in, the page's first query is refused.
    expect(unexpected(problems, [401, '/graphql'])).toEqual([]);
  }, 90_000);

  it('a deleted tenant opens as its read-only tombstone: who deleted it, its audit entries, its kept backup to download', async () => {
    onTestFailed(async () => {
      for (const [index, page] of browser.pages().entries())
        await shot(page, `tombstone-failure-${index + 1}`).catch(() => {});
    });
    const started = await rest(server, 'POST', `/tenants/${slug}/backups`);
    expect(started.status).toBe(202);
    await server.services.backups.runs.idle();
    expect((await rest(server, 'DELETE', `/tenants/${slug}`, { confirm: slug })).status).toBe(202);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).status === 404,
      20_000,
      `${slug} deleted`,
    );

    const page = await opened(`/ui/tenants/${slug}`);
    const tombstone = page.locator('[data-testid="tenant-tombstone"][data-backups="1"]');
    await tombstone.waitFor();
    await shot(page, 'tombstone');
    const { deleted_by } = (await rest(server, 'GET', `/tenants/${slug}/tombstone`)).body;
    expect(deleted_by).toBeTruthy();
    await expect(page.getByTestId('tombstone-summary').textContent()).resolves.toContain(
      `Deleted by ${deleted_by}`,
    );
    await page.locator('[data-testid="tombstone-audit"] tr[data-action="tenant.delete.requested"]').waitFor();
    const row = page.locator(`[data-testid="tombstone-backups"] tr[data-backup="${started.body.id}"]`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByTestId('download-backup').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-\\d{8}T\\d{6}Z\\.dump$`));
    expect(await page.getByText('No such tenant').count()).toBe(0);
  }, 90_000);
});
