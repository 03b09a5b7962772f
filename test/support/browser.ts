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

/**
 * Records what the browser refused or complained about on every page of `context`, frames
 * included: Content-Security-Policy violations (the `securitypolicyviolation` event, reported
 * from inside each document before its own scripts run), console errors and uncaught exceptions.
 * A test ends by expecting none (`unexpected` sets aside the failed loads it provokes on purpose).
 */
export async function watchForProblems(context: BrowserContext): Promise<string[]> {
  const problems: string[] = [];
  await context.exposeBinding('__cspViolation', ({ frame }, violation: string) => {
    problems.push(`CSP violation on ${frame.url()}: ${violation}`);
  });
  await context.addInitScript(() => {
    const report = (window as unknown as { __cspViolation: (violation: string) => void }).__cspViolation;
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        report(
          `${event.effectiveDirective} refused ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`,
        ),
      true,
    );
  });
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A failed load names the resource in its location, not in its text.
    const resource = /^Failed to load resource/.test(message.text()) ? ` (${message.location().url})` : '';
    problems.push(`console error on ${message.page()?.url()}: ${message.text()}${resource}`);
  });
  context.on('weberror', (error) =>
    problems.push(`uncaught on ${error.page()?.url()}: ${error.error().message}`),
  );
  return problems;
}

/**
 * `problems` without the failed loads a test provokes on purpose, each given as the status and
 * path of the resource, e.g. `[401, '/graphql']` for the UI's first request before sign-in.
 */
export function unexpected(problems: string[], ...expected: [status: number, path: string][]): string[] {
  return problems.filter((problem) => {
    const load = /Failed to load resource: the server responded with a status of (\d+) .*\((.+)\)$/.exec(
      problem,
    );
    if (!load) return true;
    const path = new URL(load[2]!).pathname;
    return !expected.some(([status, expectedPath]) => Number(load[1]) === status && path === expectedPath);
  });
}
