import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_LICENSE_KEY_FILE } from '../../../../server/dev/license-key.ts';
import { RENEWAL_FAULTS } from '../../../../server/dev/tenant-sim/server.ts';
import { jwks, testSigner } from '../../../support/license.ts';
import { rest, useTestServer } from '../../../support/server.ts';

const DAY_MS = 86_400_000;

/** Runs `justiam-cp` with only the given environment (and PATH, HOME); its exit code and output. */
async function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/justiam-cp.mjs', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const [code] = await once(child, 'close');
  return { code: code as number | null, stdout, stderr };
}

/**
 * `justiam-cp license issue` signs with the embedded stack's key in DATA_DIR: a control plane on
 * the same DATA_DIR with no LICENSE_PUBLIC_KEYS (dev-key mode) activates what it prints, and renews
 * it through the embedded tenant simulator's issuer endpoint.
 */
describe('justiam-cp license issue', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cp-cli-license-'));
  // Registered before the server's hooks, so it runs after the server has stopped.
  afterAll(() => rm(dataDir, { recursive: true, force: true }));
  const server = useTestServer({
    DATA_DIR: dataDir,
    RECONCILE_INTERVAL_MS: '3600000',
    STATUS_POLL_INTERVAL_MS: '3600000',
  });
  const issue = (...flags: string[]) => cli(['license', 'issue', ...flags], { DATA_DIR: dataDir });

  it('prints a license that a control plane on the same DATA_DIR activates, and one from another DATA_DIR is refused', async () => {
    const issued = await issue(
      '--licensee',
      'Acme Dev',
      '--max-users',
      '50',
      '--days',
      '90',
      '--features',
      'sso, audit',
      '--lid',
      'dev-lic-1',
    );
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    expect(issued.stdout).toBe(`${token}\n`);
    const kid = /signed with key (dev-\S+)/.exec(issued.stderr)?.[1];
    expect(issued.stderr).toContain('license for Acme Dev (50 users, 90 days)');

    const res = await rest(server, 'POST', '/license', { license: token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      state: 'active',
      license_id: 'dev-lic-1',
      licensee: 'Acme Dev',
      max_users: 50,
      features: ['audit', 'sso'],
      key_id: kid,
      renewal_url_set: false,
    });
    const expiresIn = new Date(res.body.expires_at).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(90 * DAY_MS - 120_000);
    expect(expiresIn).toBeLessThanOrEqual(90 * DAY_MS);

    // Another DATA_DIR (not made yet: the CLI makes it) has another key, which this control plane
    // does not trust.
    const elsewhere = await mkdtemp(join(tmpdir(), 'cp-cli-other-'));
    try {
      const fresh = join(elsewhere, 'data');
      const other = await cli(
        ['license', 'issue', '--licensee', 'Acme Dev', '--max-users', '50', '--days', '90'],
        { DATA_DIR: fresh },
      );
      expect(other.code, other.stderr).toBe(0);
      expect((await stat(join(fresh, DEV_LICENSE_KEY_FILE))).mode & 0o777).toBe(0o600);
      const refused = await rest(server, 'POST', '/license', { license: other.stdout.trim() });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/the signature does not match/);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
    expect((await rest(server, 'GET', '/license')).body.license_id).toBe('dev-lic-1');
  });

  it('refuses bad flags, and a license the control plane would refuse, with exit code 2, a reason and nothing on stdout', async () => {
    // One case per check: each is a process start (~1 s of imports, more on a busy machine).
    const cases: [string[], RegExp][] = [
      [['--licensee', ' ', '--max-users', '5', '--days', '1'], /--licensee is required/],
      [['--licensee', 'X', '--max-users', '2.5', '--days', '1'], /--max-users must be a whole number ≥ 1/],
      [['--licensee', 'X', '--max-users', '5', '--days', '0'], /--days must be a number of days/],
      [
        ['--licensee', 'X', '--max-users', '5', '--days', '1', '--renewal-url', 'ftp://issuer/renew'],
        /--renewal-url must be an http\(s\) URL/,
      ],
      [
        ['--licensee', 'X', '--max-users', '5', '--days', '1', '--bogus'],
        /Unknown option '--bogus'[\s\S]*usage:/,
      ],
      // Well-formed flags, but claims no control plane accepts: refused here, not at activation.
      [
        ['--licensee', 'X', '--max-users', '2000000000', '--days', '1'],
        /would be refused: max_users must be at most 1,000,000,000/,
      ],
    ];
    const results = await Promise.all(cases.map(([flags]) => issue(...flags)));
    results.forEach((result, i) => {
      const [flags, reason] = cases[i]!;
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr, flags.join(' ')).toMatch(reason);
      expect(result.stdout, flags.join(' ')).toBe('');
    });
    const unknown = await cli(['license', 'frob'], { DATA_DIR: dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('justiam-cp license issue --licensee');
  }, 60_000);

  it('refuses to sign when LICENSE_PUBLIC_KEYS is set or in production, and makes no key', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'cp-cli-keys-'));
    try {
      const flags = ['license', 'issue', '--licensee', 'X', '--max-users', '5', '--days', '1'];
      const [configured, production] = await Promise.all([
        cli(flags, { DATA_DIR: empty, LICENSE_PUBLIC_KEYS: jwks(testSigner('issuer')) }),
        cli(flags, { DATA_DIR: empty, NODE_ENV: 'production' }),
      ]);
      expect(configured.code).toBe(2);
      expect(configured.stderr).toContain('license issue signs development licenses only');
      expect(configured.stdout).toBe('');
      expect(production.code).toBe(2);
      expect(production.stderr).toContain(
        'configuration error: NODE_ENV=production runs no development stand-ins',
      );
      expect(production.stdout).toBe('');
      expect(await readdir(empty)).not.toContain(DEV_LICENSE_KEY_FILE);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('renews end to end through the embedded tenant simulator, and a failing issuer answers 502, recorded', async () => {
    const renewalUrl = server.tenantSim!.renewalUrl!;
    expect(renewalUrl).toMatch(/^http:\/\/.+\/license\/renew$/);
    const issued = await issue(
      '--licensee',
      'Acme Dev',
      '--max-users',
      '20',
      '--days',
      '10',
      '--lid',
      'dev-renewable',
      '--renewal-url',
      renewalUrl,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    const activated = await rest(server, 'POST', '/license', { license: token });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    expect(activated.body).toMatchObject({ license_id: 'dev-renewable', renewal_url_set: true });
    const firstExpiry = new Date(activated.body.expires_at).getTime();

    // Plain http is allowed by default in dev-key mode (LICENSE_RENEWAL_ALLOW_HTTP unset).
    const renewed = await rest(server, 'POST', '/license/renew');
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(renewed.body).toMatchObject({
      license_id: 'dev-renewable',
      licensee: 'Acme Dev',
      max_users: 20,
      renewal_url_set: true,
      renewal: { failures: 0, last_error: null },
    });
    expect(renewed.body.renewal.renewed_at).not.toBeNull();
    // The simulator's issuer extends the license by a year from its expiry.
    expect(new Date(renewed.body.expires_at).getTime()).toBe(firstExpiry + 365 * DAY_MS);
    const rows = await server.services.db
      .selectFrom('licenses')
      .select(['source', 'token'])
      .where('lid', '=', 'dev-renewable')
      .orderBy('activated_at')
      .execute();
    expect(rows.map((r) => r.source)).toEqual(['activate', 'renew']);
    expect(rows[1]!.token).not.toBe(token);

    server.tenantSim!.faults.set(RENEWAL_FAULTS, { status: 500 });
    try {
      const failed = await rest(server, 'POST', '/license/renew');
      expect(failed.status).toBe(502);
      expect(failed.body.error).toMatchObject({ code: 'LICENSE_RENEWAL_FAILED' });
      expect(failed.body.error.message).toContain('the renewal server answered HTTP 500');
    } finally {
      server.tenantSim!.faults.clear(RENEWAL_FAULTS);
    }
    const after = (await rest(server, 'GET', '/license')).body;
    expect(after).toMatchObject({ license_id: 'dev-renewable', expires_at: renewed.body.expires_at });
    expect(after.renewal).toMatchObject({
      failures: 1,
      last_error: 'the renewal server answered HTTP 500',
    });
    const audit = await rest(server, 'GET', '/audit?action=license.renewal_failed&first=1');
    expect(audit.body.entries[0].details).toMatchObject({ lid: 'dev-renewable', trigger: 'manual' });
    expect(JSON.stringify(audit.body)).not.toContain(token.split('.')[2]);
  });
});
