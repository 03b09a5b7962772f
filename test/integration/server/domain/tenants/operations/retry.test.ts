import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../../support/server.ts';
import { CREATE_STEPS_DONE, dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

const RETRY = `mutation($slug: String!) {
  retryTenantOperation(slug: $slug) {
    __typename
    ... on MutationRetryTenantOperationSuccess { data { kind state attempts } }
    ... on Error { code message }
  }
}`;

type Retry = {
  retryTenantOperation: {
    __typename: string;
    data?: { kind: string; state: string };
    code?: string;
    message?: string;
  };
};

/**
 * retryTenantOperation runs a failing operation now rather than when its backoff ends: with the
 * next attempt an hour away, the tenant is active seconds after the retry, and the retry is audited.
 */
describe('retrying a tenant operation', () => {
  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '100',
    STATUS_POLL_INTERVAL_MS: '3600000',
    DRIFT_CHECK_INTERVAL_MS: '3600000',
  });
  const slugs: string[] = [];
  afterAll(() => dropTenantDatabases(slugs));

  const tenant = async (slug: string) => (await rest(server, 'GET', `/tenants/${slug}`)).body;
  const retry = async (slug: string, headers = server.headers) =>
    (await gql<Retry>(server, RETRY, { slug }, headers)).body;
  /** The operation's next attempt, as the backoff after many failures would put it: an hour away. */
  const backOffAnHour = async (slug: string) => {
    const row = await server.services.db
      .selectFrom('tenant_operations')
      .innerJoin('tenants', 'tenants.id', 'tenant_operations.tenant_id')
      .select(['tenant_operations.id', 'tenant_operations.attempts'])
      .where('tenants.slug', '=', slug)
      .executeTakeFirstOrThrow();
    await server.services.db
      .updateTable('tenant_operations')
      .set({ next_attempt_at: new Date(Date.now() + 3_600_000) })
      .where('id', '=', row.id)
      .execute();
    return row;
  };

  it('a create waiting an hour to retry its handoff runs at once, ends active, and is audited', async () => {
    const slug = uniqueSlug('retry-now');
    slugs.push(slug);
    server.tenantSim!.faults.set(slug, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    // Two failed attempts: the next is 2 s away, time enough to move it an hour on between attempts.
    await eventually(
      async () => ((await tenant(slug)).operation?.attempts >= 2 ? true : undefined),
      15_000,
      'two failures',
    );
    const { attempts } = await backOffAnHour(slug);
    server.tenantSim!.faults.clear(slug);

    // Left alone, it waits: nothing runs for the next while.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiting = await tenant(slug);
    expect(waiting.state).toBe('provisioning');
    expect(waiting.operation.attempts).toBe(attempts);

    const answer = await retry(slug);
    expect(answer.data?.retryTenantOperation).toMatchObject({
      __typename: 'MutationRetryTenantOperationSuccess',
      data: { kind: 'CREATE', state: 'RUNNING' },
    });
    await eventually(
      async () => ((await tenant(slug)).state === 'active' ? true : undefined),
      15_000,
      'active after the retry',
    );
    expect((await tenant(slug)).operation.state).toBe('succeeded');

    const audit = await rest(server, 'GET', `/audit?action=tenant.operation.retried&target_id=${slug}`);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0].details).toMatchObject({ kind: 'create', attempts, was_failed: false });
  }, 60_000);

  it('an operation that stopped (FAILED) runs again from its first unfinished step', async () => {
    const slug = uniqueSlug('retry-failed');
    slugs.push(slug);
    server.tenantSim!.faults.set(slug, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => ((await tenant(slug)).operation?.attempts >= 2 ? true : undefined),
      15_000,
      'two failures',
    );
    const { id } = await backOffAnHour(slug);
    await server.services.db
      .updateTable('tenant_operations')
      .set({ state: 'failed', finished_at: new Date() })
      .where('id', '=', id)
      .execute();
    server.tenantSim!.faults.clear(slug);
    expect((await retry(slug)).data?.retryTenantOperation.__typename).toBe(
      'MutationRetryTenantOperationSuccess',
    );
    await eventually(
      async () => ((await tenant(slug)).state === 'active' ? true : undefined),
      15_000,
      'active',
    );
    const steps = (await tenant(slug)).operation.steps.map(
      (s: { name: string; state: string }) => `${s.name}:${s.state}`,
    );
    expect(steps).toEqual(CREATE_STEPS_DONE);
  }, 60_000);

  it('refuses what has nothing to retry, an unknown tenant, and a viewer, changing nothing', async () => {
    const slug = uniqueSlug('retry-none');
    slugs.push(slug);
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => ((await tenant(slug)).state === 'active' ? true : undefined),
      20_000,
      'active',
    );
    const before = (await tenant(slug)).operation;

    const nothing = (await retry(slug)).data?.retryTenantOperation;
    expect(nothing).toMatchObject({ __typename: 'ConflictError', code: 'NOTHING_TO_RETRY' });
    expect(nothing?.message).toMatch(/is succeeded; there is nothing to retry/);
    expect((await tenant(slug)).operation).toEqual(before);

    expect((await retry('no-such-tenant')).data?.retryTenantOperation).toMatchObject({
      __typename: 'NotFoundError',
      code: 'TENANT_NOT_FOUND',
    });
    const viewer = await retry(slug, server.viewerHeaders);
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const audit = await rest(server, 'GET', `/audit?action=tenant.operation.retried&target_id=${slug}`);
    expect(audit.body.entries).toEqual([]);
  }, 60_000);
});
