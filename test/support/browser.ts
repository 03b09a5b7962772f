import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; browser tests are skipped where it is not installed. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = join(import.meta.dirname, '..', '..');

/** Builds client/dist when it is missing or older than its sources, as `npm start` does. */
export function ensureUi(): void {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/ensure-ui.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    // Vitest runs with NODE_ENV=test, which Vite would carry into the bundle (React's development
    // build): the UI under test, and the one `npm start` serves afterwards, must be the real one.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`building the UI failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * A fresh headless Chromium profile; `args` adds flags (e.g. `--host-resolver-rules`). `close()`
 * also removes the profile.
 */
export async function launchBrowser(
  options: { args?: string[]; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext & { closeAll(): Promise<void> }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cp-e2e-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1440, height: 1100 },
    acceptDownloads: true,
  });
  browser.setDefaultTimeout(15_000);
  return Object.assign(browser, {
    async closeAll() {
      await browser.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  });
}
