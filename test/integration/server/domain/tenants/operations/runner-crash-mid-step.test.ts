import { describe, expect, it } from 'vitest';
import { verifyAdminPassword } from '../../../../../../server/dev/tenant-sim/fixtures.ts';
import { readTenantSecret } from '../../../../../../server/domain/tenants/cluster-secret.ts';
import { useCrashHarness } from '../../../../../support/crash-harness.ts';
import { eventually } from '../../../../../support/kube.ts';
import { operatorToken } from '../../../../../support/server.ts';
import { CREATE_STEPS_DONE, uniqueSlug } from '../../../../../support/tenants.ts';

type Step = { name: string; state: string };

/**
 * Kills the server (SIGKILL) while a step is under way, so the operation row is left saying
 * `running` for it, and checks that the restarted server runs that step again. The cluster and the
 * tenant backend run here, outside the server, so they outlive it, and the test holds the
 * backend's fault hooks to keep the step hanging until the kill.
 */
describe('operation runner: a step cut off mid-way is run again after a restart', () => {
  const slugs: string[] = [];
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-mid-step-',
    reader: true,
    slugs,
    env: {
      // Long enough that the hanging call is still waiting when the process is killed.
      TENANT_API_TIMEOUT_MS: '60000',
      // One server at a time: the restarted one resumes at once instead of waiting out a dead leader's lease.
      LEADER_ELECTION: 'false',
    },
  });

  /** The create operation's steps as the database holds them, read past the (dead) server. */
  async function storedSteps(slug: string): Promise<Step[]> {
    const { rows } = await harness.reader.query<{ steps: Step[] }>(
      `select o.steps from tenant_operations o join tenants t on t.id = o.tenant_id
        where t.slug = $1 and o.kind = 'create'`,
      [slug],
    );
    return rows[0]?.steps ?? [];
  }

  it('handoff, killed while its call to the backend hangs, is run again: the backend gets the admin password', async () => {
    const slug = uniqueSlug('mid');
    slugs.push(slug);
    // The first handoff call hangs (and would fail, not succeed, once the delay ran out).
    harness.backend.faults.set(slug, {
      delayMs: 120_000,
      status: 503,
      times: 1,
      endpoints: ['PUT /cp/v1/admin-password'],
    });

    const doomed = await harness.start();
    const token = await operatorToken(harness.database.url, 'admin@test.local', 'admin');
    const headers = { authorization: `Bearer ${token}` };
    const created = await fetch(`${doomed.url}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ slug, name: slug }),
    });
    expect(created.status).toBe(201);
    // The hanging call has reached the backend (it took the fault) while the step is recorded running.
    await eventually(
      async () =>
        harness.backend.faults.get(slug) === undefined &&
        (await storedSteps(slug)).find((s) => s.name === 'handoff')?.state === 'running',
      20_000,
      'handoff running with its call in flight',
    );
    await harness.kill(doomed);
    expect((await storedSteps(slug)).map((s) => `${s.name}:${s.state}`)).toContain('handoff:running');

    const recovered = await harness.start();
    try {
      const body = await eventually(
        async () => {
          const res = await fetch(`${recovered.url}/tenants/${slug}`, { headers });
          const tenant = (await res.json()) as { state: string; operation: { steps: Step[] } };
          return tenant.state === 'active' ? tenant : undefined;
        },
        20_000,
        `${slug} active`,
      );
      expect(body.operation.steps.map((s) => `${s.name}:${s.state}`)).toEqual(CREATE_STEPS_DONE);
      const secret = (await readTenantSecret(harness.client, slug))!;
      expect(await verifyAdminPassword(secret.DATABASE_URL!, secret.ADMIN_INITIAL_PASSWORD!)).toBe(true);
    } finally {
      await harness.stop(recovered);
    }
  }, 60_000);
});
