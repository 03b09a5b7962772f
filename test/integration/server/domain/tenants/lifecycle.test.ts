import type { V1ConfigMap } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP } from '../../../../../server/cluster/labels.ts';
import { tenantSecret } from '../../../../../server/cluster/resources.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../support/kube.ts';
import { rest, useTestServer } from '../../../../support/server.ts';
import {
  CREATE_STEPS_DONE,
  dropTenantDatabases,
  roleHoldsSecretPassword,
  tenantFootprint,
  uniqueSlug,
} from '../../../../support/tenants.ts';

describe('tenant lifecycle over REST', () => {
  const slugs: string[] = [];
  const slug = (prefix = 't') => {
    const s = uniqueSlug(prefix);
    slugs.push(s);
    return s;
  };

  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '500',
  });
  afterAll(async () => {
    await dropTenantDatabases(slugs);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const { status, body: answer } = await rest(server, method, path, body);
    return { status, body: answer };
  };
  const stateOf = async (s: string) => (await call('GET', `/tenants/${s}`)).body.state as string | undefined;
  const cluster = () => server.services.cluster;

  it('creates a tenant: its own database and role, a Secret with its secrets, a registry entry, then active', async () => {
    const s = slug('acme');
    const created = await call('POST', '/tenants', {
      slug: s,
      name: 'Acme Corp',
      admin_email: 'admin@acme.test',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: s,
      name: 'Acme Corp',
      admin_email: 'admin@acme.test',
      state: 'provisioning',
    });
    await eventually(async () => (await stateOf(s)) === 'active', 10_000, 'active');

    const secret = await readTenantSecret(cluster(), s);
    expect(Object.keys(secret!).sort()).toEqual([
      'ADMIN_INITIAL_PASSWORD',
      'BOOTSTRAP_TOKEN',
      'CP_TOKEN',
      'DATABASE_URL',
      'JWT_SECRET',
      'LOGIN_WORKER_TOKEN',
      'PROXY_TOKEN',
    ]);
    expect(Buffer.from(secret!.JWT_SECRET!, 'base64url')).toHaveLength(32);
    // The tenant's role logs in to its own database, and is no superuser or database creator.
    const tenantDb = new pg.Client({ connectionString: secret!.DATABASE_URL });
    await tenantDb.connect();
    const { rows } = await tenantDb.query(
      'select current_user as who, current_database() as db, rolcreatedb, rolcreaterole, rolsuper from pg_roles where rolname = current_user',
    );
    await tenantDb.end();
    expect(rows[0]).toEqual({
      who: `tenant_${s}`,
      db: `tenant_${s}`,
      rolcreatedb: false,
      rolcreaterole: false,
      rolsuper: false,
    });
    // The server holds a SCRAM verifier of the Secret's password, never the password itself.
    expect(await roleHoldsSecretPassword(cluster(), s)).toBe(true);

    const registry = await cluster().read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    const entry = JSON.parse(registry!.data![`${s}.json`]!);
    expect(entry).toMatchObject({ slug: s, name: 'Acme Corp', secret_name: `tenant-${s}` });
    expect(JSON.stringify(entry)).not.toContain(secret!.JWT_SECRET!);

    const detail = await call('GET', `/tenants/${s}`);
    expect(detail.body.operation).toMatchObject({ kind: 'create', state: 'succeeded', current_step: null });
    expect(
      detail.body.operation.steps.map((st: { name: string; state: string }) => `${st.name}:${st.state}`),
    ).toEqual(CREATE_STEPS_DONE);
    // The poller fills the overview from the backend's status.
    await eventually(
      async () => (await call('GET', `/tenants/${s}`)).body.overview.status === 'ok',
      5000,
      'polled status',
    );
    expect((await call('GET', `/tenants/${s}`)).body.overview).toMatchObject({
      backend_version: '1.4.0',
      users: 0,
    });

    // No secret value reached the logs or the audit log.
    const audit = JSON.stringify((await call('GET', `/audit?target_id=${s}`)).body);
    expect(audit).toContain('tenant.create.requested');
    expect(audit).toContain('tenant.create.completed');
    for (const value of Object.values(secret!)) {
      expect(server.logs.join('\n')).not.toContain(value);
      expect(audit).not.toContain(value);
    }
  });

  it.each([
    ['uppercase', 'Acme'],
    ['too short', 'ab'],
    ['too long', 'a'.repeat(41)],
    ['double hyphen', 'ac--me'],
    ['leading hyphen', '-acme'],
    ['unicode', 'acmé'],
    ['an SQL fragment', "x'; drop table tenants; --"],
    ['empty', ''],
    ['reserved', 'admin'],
    ['reserved kube- prefix', 'kube-system'],
  ])('refuses a slug that is %s with a 400 naming the slug, creating nothing', async (_what, bad) => {
    const before = (await call('GET', '/tenants?state=provisioning,active,deleting,deleted')).body.tenants
      .length;
    const res = await call('POST', '/tenants', { slug: bad, name: 'X' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/^invalid body: slug: /);
    expect(
      (await call('GET', '/tenants?state=provisioning,active,deleting,deleted')).body.tenants.length,
    ).toBe(before);
  });

  it.each([
    ['a missing name', { slug: 'fine-slug' }, /name: is required/],
    ['a name of the wrong type', { slug: 'fine-slug', name: 42 }, /name: is required and must be a string/],
    [
      'a bad admin email',
      { slug: 'fine-slug', name: 'X', admin_email: 'nope' },
      /admin_email: must be an email address/,
    ],
    ['an unknown field', { slug: 'fine-slug', name: 'X', plan: 'gold' }, /Unrecognized key: "plan"/],
  ])('refuses %s with a 400 and creates nothing', async (_what, body, message) => {
    const res = await call('POST', '/tenants', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await call('GET', '/tenants/fine-slug')).status).toBe(404);
  });

  it("keeps a Secret an earlier attempt stored before it could record its step: the role takes that Secret's password", async () => {
    const s = slug('kept');
    // What an attempt that died right after writing the Secret leaves: the Secret, nothing else.
    const stored = server.services.tenants.databases.urlFor(s, 'password-of-an-earlier-attempt');
    await cluster().createIfMissing(tenantSecret(cluster().namespace, s, { DATABASE_URL: stored }));
    expect((await call('POST', '/tenants', { slug: s, name: 'Kept' })).status).toBe(201);
    await eventually(async () => (await stateOf(s)) === 'active', 10_000, 'active');
    const secret = await readTenantSecret(cluster(), s);
    expect(secret!.DATABASE_URL).toBe(stored);
    expect(secret!.CP_TOKEN).toBeTruthy();
    expect(await roleHoldsSecretPassword(cluster(), s)).toBe(true);
  });

  it('the GraphQL mutation refuses bad input as a typed ValidationError', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({
        query: `mutation { createTenant(input: {slug: "Bad Slug", name: ""}) {
          __typename ... on ValidationError { code issues { path message } } } }`,
      }),
    });
    const body = (await res.json()) as any;
    expect(body.data.createTenant.__typename).toBe('ValidationError');
    expect(body.data.createTenant.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'name',
      'slug',
    ]);
  });

  it('20 concurrent creates of one slug: exactly one wins, the rest get 409 TENANT_EXISTS, nothing is duplicated', async () => {
    const s = slug('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', '/tenants', { slug: s, name: 'Race' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(19);
    expect(refused.every((r) => r.body.error.code === 'TENANT_EXISTS')).toBe(true);
    await eventually(async () => (await stateOf(s)) === 'active', 10_000, 'active');
    const rows = await server.services.db.selectFrom('tenants').select('id').where('slug', '=', s).execute();
    expect(rows).toHaveLength(1);
    expect(await tenantFootprint(cluster(), s)).toEqual({
      database: true,
      role: true,
      secret: true,
      registryKey: true,
    });
  });

  it('50 concurrent creates of different slugs: all 50 in the database, as Secrets and as registry keys', async () => {
    const many = Array.from({ length: 50 }, () => slug('many'));
    const results = await Promise.all(many.map((s) => call('POST', '/tenants', { slug: s, name: s })));
    expect(results.map((r) => r.status)).toEqual(many.map(() => 201));
    await eventually(
      async () => {
        const active = await server.services.db
          .selectFrom('tenants')
          .select('slug')
          .where('slug', 'in', many)
          .where('state', '=', 'active')
          .execute();
        return active.length === 50;
      },
      60_000,
      '50 active tenants',
    );
    const registry = await cluster().read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    for (const s of many) {
      expect(registry!.data![`${s}.json`]).toBeDefined();
      expect(await cluster().read('Secret', 'v1', `tenant-${s}`)).toBeDefined();
    }
    const admin = new pg.Client({ connectionString: server.database.url });
    await admin.connect();
    const dbs = await admin.query('select count(*)::int as n from pg_database where datname = any($1)', [
      many.map((s) => `tenant_${s}`),
    ]);
    await admin.end();
    expect(dbs.rows[0].n).toBe(50);
  }, 90_000);

  it('lists with search, state filter and stable cursor pagination', async () => {
    const all: string[] = [];
    let after: string | undefined;
    do {
      const page = await call('GET', `/tenants?first=7&search=many-${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      all.push(...page.body.tenants.map((t: { slug: string }) => t.slug));
      after = page.body.page_info.has_next_page ? page.body.page_info.end_cursor : undefined;
    } while (after);
    expect(all).toHaveLength(50);
    expect([...all].sort()).toEqual(all);
    expect((await call('GET', '/tenants?state=deleted&search=many-')).body.tenants).toEqual([]);
    expect((await call('GET', '/tenants?state=bogus')).status).toBe(400);
    expect((await call('GET', '/tenants?after=bm9wZQ')).status).toBe(400);
  });

  it('refuses a delete whose confirmation does not repeat the slug, and changes nothing', async () => {
    const s = slugs[0]!;
    for (const body of [{ confirm: 'other' }, { confirm: '' }, {}]) {
      const res = await call('DELETE', `/tenants/${s}`, body);
      expect(res.status).toBe(400);
    }
    expect(await stateOf(s)).toBe('active');
    expect(await tenantFootprint(cluster(), s)).toEqual({
      database: true,
      role: true,
      secret: true,
      registryKey: true,
    });
    expect((await call('DELETE', '/tenants/no-such-tenant', { confirm: 'no-such-tenant' })).status).toBe(404);
  });

  it('deletes a tenant: database, role, Secret and registry key go; the row stays as deleted; the slug is free again', async () => {
    const s = slugs[0]!;
    const res = await call('DELETE', `/tenants/${s}`, { confirm: s });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('deleting');
    // DROP DATABASE waits for a checkpoint, which can take seconds on a busy server.
    await eventually(async () => (await call('GET', `/tenants/${s}`)).status === 404, 30_000, 'gone');
    expect(await tenantFootprint(cluster(), s)).toEqual({
      database: false,
      role: false,
      secret: false,
      registryKey: false,
    });
    const deleted = (await call('GET', `/tenants?state=deleted&search=${s}`)).body.tenants;
    expect(
      deleted.map((t: { slug: string; deleted_at: string | null }) => [t.slug, Boolean(t.deleted_at)]),
    ).toEqual([[s, true]]);
    const audit = JSON.stringify((await call('GET', `/audit?target_id=${s}&action=tenant.delete.*`)).body);
    expect(audit).toContain('tenant.delete.requested');
    expect(audit).toContain('tenant.delete.completed');
    // The slug can be used again; the old row stays for the audit trail.
    expect((await call('POST', '/tenants', { slug: s, name: 'Again' })).status).toBe(201);
    await eventually(async () => (await stateOf(s)) === 'active', 30_000, 'active again');
  }, 90_000);
});
