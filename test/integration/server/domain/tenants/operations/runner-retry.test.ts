import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAdminPassword } from '../../../../../../server/dev/tenant-sim/fixtures.ts';
import { readTenantSecret } from '../../../../../../server/domain/tenants/cluster-secret.ts';
import { createTestDatabase, type TestDatabase } from '../../../../../support/db.ts';
import { eventually } from '../../../../../support/kube.ts';
import { rest, startTestServer, type TestServer } from '../../../../../support/server.ts';
import { CREATE_STEPS_DONE, dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

type Step = { name: string; state: string; error: string | null };

/**
 * A step that failed is run again on the next attempt, not skipped as if it had been done: the
 * crash tests only ever resume after a step that finished.
 */
describe('operation runner: a failed step is retried', () => {
  let database: TestDatabase;
  let server: TestServer;
  const slugs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database.url, {
      RECONCILE_INTERVAL_MS: '100',
      STATUS_POLL_INTERVAL_MS: '3600000',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await dropTenantDatabases(slugs);
    await database?.drop();
  });

  const tenant = async (slug: string) => (await rest(server, 'GET', `/tenants/${slug}`)).body;
  const stepOf = (body: Record<string, any>, name: string): Step | undefined =>
    body.operation?.steps.find((s: Step) => s.name === name);

  it('a handoff refused twice by the backend fails, is re-run, and ends with the admin password set on the backend', async () => {
    const slug = uniqueSlug('retry');
    slugs.push(slug);
    // A refusal (4xx) is not retried inside the tenant API client: each one fails the step once.
    server.tenantSim!.faults.set(slug, { status: 400, times: 2, endpoints: ['PUT /cp/v1/admin-password'] });
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);

    const failed = await eventually(
      async () => {
        const body = await tenant(slug);
        return stepOf(body, 'handoff')?.state === 'failed' ? body : undefined;
      },
      10_000,
      'handoff failed',
    );
    expect(failed.state).toBe('provisioning');
    expect(stepOf(failed, 'handoff')!.error).toMatch(/admin-password answered HTTP 400/);

    const done = await eventually(
      async () => {
        const body = await tenant(slug);
        return body.state === 'active' ? body : undefined;
      },
      15_000,
      'tenant active',
    );
    expect(done.operation.steps.map((s: Step) => `${s.name}:${s.state}`)).toEqual(CREATE_STEPS_DONE);
    expect(done.operation).toMatchObject({ state: 'succeeded', attempts: 2 });
    // Both refusals were used up by handoff attempts, and the third one reached the backend.
    expect(server.tenantSim!.faults.get(slug)).toBeUndefined();
    const secret = (await readTenantSecret(server.services.cluster, slug))!;
    expect(await verifyAdminPassword(secret.DATABASE_URL!, secret.ADMIN_INITIAL_PASSWORD!)).toBe(true);
  }, 30_000);
});
