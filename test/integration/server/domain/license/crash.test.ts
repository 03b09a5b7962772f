import { describe, expect, it } from 'vitest';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { useCrashHarness } from '../../../../support/crash-harness.ts';
import { eventually } from '../../../../support/kube.ts';
import { heldLicense, jwks, mint, testSigner } from '../../../../support/license.ts';
import { operatorToken } from '../../../../support/server.ts';
import { uniqueSlug } from '../../../../support/tenants.ts';

const issuer = testSigner('crash-issuer');
/**
 * The control plane's per-call timeout to tenant backends; the fan-out's lease is twice it plus 5 s
 * (7 s here). Short keeps the wait for the lease short; not shorter, so a busy machine still kills
 * the process before its hanging calls time out (they would be recorded failed, not left claimed).
 */
const TENANT_API_TIMEOUT_MS = 1000;

type Row = { slug: string; state: string; claimed_until: Date | null; synced_at: Date | null };

/**
 * Kills the control plane (SIGKILL) while the license fan-out is under way, with calls to slow
 * tenants in flight and their rows claimed, and checks that the restarted process finishes it:
 * every tenant holds the license, read from its own database. The cluster and the tenant backends
 * run here, outside the server, so they outlive it as real ones would.
 */
describe('license fan-out: a crash mid-way is finished by the restarted control plane', () => {
  let headers: Record<string, string>;
  const slugs = Array.from({ length: 6 }, (_, i) => uniqueSlug(`lic-crash-${i}`));
  /** These tenants' license calls hang until the process is killed. */
  const slow = slugs.slice(0, 4);
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-license-crash-',
    reader: true,
    slugs,
    env: {
      TENANT_API_TIMEOUT_MS: String(TENANT_API_TIMEOUT_MS),
      LICENSE_PUBLIC_KEYS: jwks(issuer),
      // One server at a time: the restarted one leads at once instead of waiting out a dead leader's lease.
      LEADER_ELECTION: 'false',
    },
  });

  const call = async (url: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  /** Each tenant's fan-out row, read past the (possibly dead) server. */
  async function rows(): Promise<Map<string, Row>> {
    const { rows } = await harness.reader.query<Row>(
      `select t.slug, l.state, l.claimed_until, l.synced_at
         from tenant_licenses l join tenants t on t.id = l.tenant_id`,
    );
    return new Map(rows.map((r) => [r.slug, r]));
  }

  const held = async (slug: string) =>
    heldLicense((await readTenantSecret(harness.client, slug))!.DATABASE_URL!);

  it('SIGKILL with the license calls to four of six tenants in flight; after the lease lapses the restart tells them all', async () => {
    const first = await harness.start();
    headers = {
      authorization: `Bearer ${await operatorToken(harness.database.url, 'admin@test.local', 'admin')}`,
    };
    for (const slug of slugs) {
      expect((await call(first.url, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    }
    await eventually(
      async () => {
        const { body } = await call(first.url, 'GET', '/tenants?first=10');
        return body.tenants.filter((t: { state: string }) => t.state === 'active').length === slugs.length;
      },
      30_000,
      'six tenants active',
    );

    // The first license call to a slow tenant hangs past the kill, and would fail, not land, after it.
    for (const slug of slow) {
      harness.backend.faults.set(slug, {
        delayMs: 120_000,
        status: 503,
        times: 1,
        endpoints: ['PUT /cp/v1/license'],
      });
    }
    const token = await mint(issuer, { lid: 'lic-crash', maxUsers: 100 });
    expect((await call(first.url, 'POST', '/license', { license: token })).status).toBe(200);
    // Every slow tenant has been called (each took its fault), so the fan-out is mid-way: kill it now.
    await eventually(
      () => slow.every((slug) => harness.backend.faults.get(slug) === undefined),
      10_000,
      'the license call to every slow tenant in flight',
    );
    await harness.kill(first);

    const killedAt = Date.now();
    const left = await rows();
    for (const slug of slow) {
      const row = left.get(slug)!;
      expect(row.state, slug).toBe('pending');
      expect(row.claimed_until!.getTime(), slug).toBeGreaterThan(killedAt);
      expect(await held(slug), slug).toBeNull();
    }
    const leaseEnd = Math.max(...slow.map((slug) => left.get(slug)!.claimed_until!.getTime()));

    const recovered = await harness.start();
    try {
      const status = await eventually(
        async () => {
          const { body } = await call(recovered.url, 'GET', '/license');
          return body.sync.synced === slugs.length ? body : undefined;
        },
        30_000,
        'every tenant synced after the restart',
      );
      expect(status).toMatchObject({
        license_id: 'lic-crash',
        sync: { total: 6, pending: 0, synced: 6, failed: 0 },
      });
      for (const slug of slugs) expect(await held(slug), slug).toEqual({ token, user_cap: 100 });
      // The claims of the killed process were honoured: nobody told a slow tenant before they lapsed.
      const done = await rows();
      for (const slug of slow) {
        expect(done.get(slug)!.synced_at!.getTime(), slug).toBeGreaterThanOrEqual(leaseEnd);
        expect(done.get(slug)!.claimed_until, slug).toBeNull();
      }
      for (const proc of [first, recovered]) {
        expect(proc.stdout + proc.stderr).not.toContain(token.split('.')[2]);
      }
    } finally {
      await harness.stop(recovered);
    }
  }, 90_000);
});
