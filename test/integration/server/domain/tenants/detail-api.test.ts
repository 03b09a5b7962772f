import { afterAll, describe, expect, it } from 'vitest';
import { verifyAdminPassword } from '../../../../../server/dev/tenant-sim/fixtures.ts';
import { passwordOf, readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../support/kube.ts';
import { rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';
import { collect, subscribed, wsClient } from '../../../../support/ws.ts';

/**
 * The tenant detail operations through the doors operators use: REST routes and GraphQL, on a
 * real control plane with its embedded cluster and tenant simulators.
 */
describe('tenant detail operations over REST and GraphQL', () => {
  const slugs: string[] = [];
  /** Every secret value seen during the run: none may show up in the audit log or the logs. */
  const seen = new Set<string>();

  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '3600000',
    TENANT_API_TIMEOUT_MS: '500',
  });
  afterAll(async () => {
    await dropTenantDatabases(slugs);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const { status, body: answer } = await rest(server, method, path, body);
    return { status, body: answer };
  };
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
  };
  const secretOf = async (slug: string) => {
    const secret = (await readTenantSecret(server.services.cluster, slug))!;
    for (const [key, value] of Object.entries(secret))
      if (!key.endsWith('_EXPIRES_AT')) {
        seen.add(value);
        if (key === 'DATABASE_URL') seen.add(passwordOf(value));
      }
    return secret;
  };
  const auditOf = (slug: string, action: string) =>
    server.services.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', slug)
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  async function activeTenant(prefix: string): Promise<string> {
    const slug = uniqueSlug(prefix);
    slugs.push(slug);
    expect((await call('POST', '/tenants', { slug, name: `Tenant ${slug}` })).status).toBe(201);
    await eventually(
      async () => (await call('GET', `/tenants/${slug}`)).body.state === 'active',
      15_000,
      'active',
    );
    await secretOf(slug);
    return slug;
  }

  it('reveals the admin password (audited) and resets it: Secret and backend get the new one', async () => {
    const slug = await activeTenant('pw');
    const before = await secretOf(slug);
    const shown = await call('GET', `/tenants/${slug}/admin-password`);
    expect(shown).toEqual({ status: 200, body: { password: before.ADMIN_INITIAL_PASSWORD } });
    expect(await auditOf(slug, 'tenant.secret.revealed')).toMatchObject([
      { details: { secret: 'admin-password' } },
    ]);

    const reset = await call('POST', `/tenants/${slug}/admin-password/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      secret: 'admin_password',
      version: 2,
      pending: false,
      grace_active: false,
    });
    expect(Object.keys(reset.body)).not.toContain('password');
    const after = await secretOf(slug);
    expect(JSON.stringify(reset.body)).not.toContain(after.ADMIN_INITIAL_PASSWORD);
    expect(after.ADMIN_INITIAL_PASSWORD).not.toBe(before.ADMIN_INITIAL_PASSWORD);
    expect(after.ADMIN_INITIAL_PASSWORD_PENDING).toBeUndefined();
    expect(await verifyAdminPassword(after.DATABASE_URL!, after.ADMIN_INITIAL_PASSWORD!)).toBe(true);
    expect(await verifyAdminPassword(after.DATABASE_URL!, before.ADMIN_INITIAL_PASSWORD!)).toBe(false);
    expect((await call('GET', `/tenants/${slug}/admin-password`)).body.password).toBe(
      after.ADMIN_INITIAL_PASSWORD,
    );
    expect(await auditOf(slug, 'tenant.secret.rotated')).toMatchObject([
      { details: { secret: 'admin-password', version: 2 } },
    ]);
  });

  it('a failed admin password reset keeps the old password working and says why', async () => {
    const slug = await activeTenant('pwf');
    const before = await secretOf(slug);
    server.tenantSim!.faults.set(slug, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    try {
      const res = await call('POST', `/tenants/${slug}/admin-password/reset`);
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'TENANT_BACKEND_REFUSED' });
      expect(res.body.error.message).toMatch(/refused the new admin password; nothing changed/);
    } finally {
      server.tenantSim!.faults.clear(slug);
    }
    const after = await secretOf(slug);
    expect(after).toEqual(before);
    expect(await verifyAdminPassword(after.DATABASE_URL!, before.ADMIN_INITIAL_PASSWORD!)).toBe(true);
    expect(await auditOf(slug, 'tenant.secret.rotation_failed')).toMatchObject([
      {
        details: {
          secret: 'admin-password',
          stage: 'tenant',
          code: 'TENANT_BACKEND_REFUSED',
          pending: false,
        },
      },
    ]);
  });

  it('shows the database connection info and figures without the password, which only the audited reveal gives', async () => {
    const slug = await activeTenant('db');
    const secret = await secretOf(slug);
    const url = new URL(secret.DATABASE_URL!);
    const info = await call('GET', `/tenants/${slug}/database`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      host: url.hostname,
      port: Number(url.port || 5432),
      database: `tenant_${slug}`,
      user: `tenant_${slug}`,
      stats_error: null,
    });
    expect(info.body.size_bytes).toBeGreaterThan(0);
    expect(info.body.connections).toBeGreaterThanOrEqual(0);
    expect(info.body.server_version).toMatch(/^\d+/);
    expect(JSON.stringify(info.body)).not.toContain(passwordOf(secret.DATABASE_URL!));

    const revealed = await call('POST', `/tenants/${slug}/database/reveal`);
    expect(revealed).toEqual({ status: 200, body: { password: passwordOf(secret.DATABASE_URL!) } });
    expect(await auditOf(slug, 'tenant.secret.revealed')).toMatchObject([
      { details: { secret: 'database-password' } },
    ]);
  });

  it('lists migrations from the backend and applies the pending ones (audited)', async () => {
    const slug = await activeTenant('mig');
    const before = await call('GET', `/tenants/${slug}/migrations`);
    expect(before.status).toBe(200);
    expect(before.body.pending.length).toBeGreaterThan(0);
    expect(before.body.applied[0]).toMatchObject({ id: expect.any(String), applied_at: expect.any(String) });
    const pending = before.body.pending as string[];

    const applied = await call('POST', `/tenants/${slug}/migrations/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body.pending).toEqual([]);
    expect((applied.body.applied as { id: string }[]).map((m) => m.id)).toEqual(
      expect.arrayContaining(pending),
    );
    expect((await call('GET', `/tenants/${slug}/migrations`)).body.pending).toEqual([]);
    expect(await auditOf(slug, 'tenant.migrations.applied')).toMatchObject([
      { details: { applied: pending, pending: [] } },
    ]);

    // A backend that does not answer is reported as such, not as "Unexpected error".
    server.tenantSim!.faults.set(slug, { status: 503, endpoints: ['GET /cp/v1/migrations'] });
    try {
      const down = await call('GET', `/tenants/${slug}/migrations`);
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('TENANT_BACKEND_UNAVAILABLE');
      expect(down.body.error.message).toMatch(/GET \/cp\/v1\/migrations answered HTTP 503/);
    } finally {
      server.tenantSim!.faults.clear(slug);
    }
  });

  it('rotates the JWT secret, login-worker and proxy tokens; the tenant shows version, rotation time and grace period', async () => {
    const slug = await activeTenant('rot');
    const before = await secretOf(slug);
    const updates = collect<{ tenantUpdated: { slug: string } }>(
      wsClient(server.url, server.connectionParams),
      'subscription ($slug: String) { tenantUpdated(slug: $slug) { slug } }',
      { slug },
    );
    await subscribed(server.services.bus, 'tenant.updated');
    const jwt = await call('POST', `/tenants/${slug}/secrets/jwt/rotate`);
    expect(jwt.status).toBe(200);
    expect(jwt.body).toMatchObject({
      secret: 'jwt',
      version: 2,
      grace_active: true,
      pending: false,
      rotated_by: expect.any(String),
    });
    const graceMs = Date.parse(jwt.body.grace_until) - Date.parse(jwt.body.rotated_at);
    expect(graceMs).toBe(3600 * 1000);
    await updates.waitFor(1);
    updates.stop();
    for (const name of ['login-worker-token', 'proxy-token'])
      expect((await call('POST', `/tenants/${slug}/secrets/${name}/rotate`)).status).toBe(200);

    const after = await secretOf(slug);
    expect(after.JWT_SECRET_PREVIOUS).toBe(before.JWT_SECRET);
    expect(after.LOGIN_WORKER_TOKEN_PREVIOUS).toBe(before.LOGIN_WORKER_TOKEN);
    expect(after.PROXY_TOKEN_PREVIOUS).toBe(before.PROXY_TOKEN);
    const listed = await call('GET', `/tenants/${slug}/secrets`);
    const bySecret = Object.fromEntries(
      (listed.body.secrets as { secret: string }[]).map((s) => [s.secret, s]),
    );
    expect(Object.keys(bySecret)).toEqual([
      'jwt',
      'login_worker_token',
      'proxy_token',
      'cp_token',
      'bootstrap_token',
      'admin_password',
    ]);
    expect(bySecret.jwt).toMatchObject({ version: 2, grace_active: true });
    expect(bySecret.proxy_token).toMatchObject({ version: 2, grace_active: true });
    expect(bySecret.cp_token).toMatchObject({ version: 1, rotated_at: null, grace_active: false });
    expect(await auditOf(slug, 'tenant.secret.rotated')).toHaveLength(3);
  });

  it('manages the bootstrap token: masked view, audited reveal, rotation with expiry, revocation', async () => {
    const slug = await activeTenant('bst');
    const secret = await secretOf(slug);
    const masked = await call('GET', `/tenants/${slug}/bootstrap-token`);
    expect(masked.status).toBe(200);
    expect(masked.body).toMatchObject({ set: true, expired: false, expires_at: null, version: 1 });
    expect(masked.body.masked).toBe(`bst_••••••••${secret.BOOTSTRAP_TOKEN!.slice(-4)}`);

    const revealed = await call('POST', `/tenants/${slug}/bootstrap-token/reveal`);
    expect(revealed.body).toEqual({ token: secret.BOOTSTRAP_TOKEN });

    const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const rotated = await call('POST', `/tenants/${slug}/bootstrap-token/rotate`, { expires_at: expiresAt });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ set: true, version: 2, expires_at: expiresAt, expired: false });
    const after = await secretOf(slug);
    expect(after.BOOTSTRAP_TOKEN).toMatch(/^bst_/);
    expect(after.BOOTSTRAP_TOKEN).not.toBe(secret.BOOTSTRAP_TOKEN);
    expect(after.BOOTSTRAP_TOKEN_EXPIRES_AT).toBe(expiresAt);
    expect(rotated.body.masked).toBe(`bst_••••••••${after.BOOTSTRAP_TOKEN!.slice(-4)}`);

    const past = await call('POST', `/tenants/${slug}/bootstrap-token/rotate`, {
      expires_at: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/future/);
    expect((await secretOf(slug)).BOOTSTRAP_TOKEN).toBe(after.BOOTSTRAP_TOKEN);

    const revoked = await call('DELETE', `/tenants/${slug}/bootstrap-token`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      set: false,
      masked: null,
      expires_at: null,
      revoked_at: expect.any(String),
    });
    const gone = await secretOf(slug);
    expect(gone.BOOTSTRAP_TOKEN).toBeUndefined();
    expect(gone.BOOTSTRAP_TOKEN_EXPIRES_AT).toBeUndefined();
    expect((await call('POST', `/tenants/${slug}/bootstrap-token/reveal`)).body.error.code).toBe(
      'SECRET_NOT_SET',
    );
    // Revoking again is no error and records nothing more.
    expect((await call('DELETE', `/tenants/${slug}/bootstrap-token`)).status).toBe(200);
    // A new token can be issued after a revocation, without expiry.
    const reissued = await call('POST', `/tenants/${slug}/bootstrap-token/rotate`, {});
    expect(reissued.body).toMatchObject({ set: true, expires_at: null, revoked_at: null });
    await secretOf(slug);

    const actions = (
      await server.services.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('target_id', '=', slug)
        .orderBy('id')
        .execute()
    ).filter((a) => a.action.startsWith('tenant.secret.'));
    expect(actions).toMatchObject([
      { action: 'tenant.secret.revealed', details: { secret: 'bootstrap-token' } },
      { action: 'tenant.secret.rotated', details: { secret: 'bootstrap-token', version: 2, expiresAt } },
      { action: 'tenant.secret.revoked', details: { secret: 'bootstrap-token', version: 2 } },
      {
        action: 'tenant.secret.rotated',
        details: { secret: 'bootstrap-token', version: 3, expiresAt: null },
      },
    ]);
  });

  it('rotates the CP token; with the backend failing the old token stays in use and the tenant stays reachable', async () => {
    const slug = await activeTenant('cp');
    const before = await secretOf(slug);
    server.tenantSim!.faults.set(slug, { status: 503, endpoints: ['PUT /cp/v1/secrets'] });
    try {
      const failed = await call('POST', `/tenants/${slug}/cp-token/rotate`);
      expect(failed.status).toBe(503);
      expect(failed.body.error.code).toBe('TENANT_BACKEND_UNAVAILABLE');
      expect(failed.body.error.message).toMatch(/current value stays in use/);
      expect((await secretOf(slug)).CP_TOKEN).toBe(before.CP_TOKEN);
      expect((await call('GET', `/tenants/${slug}/migrations`)).status).toBe(200);
      const listed = await call('GET', `/tenants/${slug}/secrets`);
      expect(
        (listed.body.secrets as { secret: string; pending: boolean }[]).find((s) => s.secret === 'cp_token'),
      ).toMatchObject({
        pending: true,
      });
    } finally {
      server.tenantSim!.faults.clear(slug);
    }
    // Asked again, it finishes the staged rotation.
    const rotated = await call('POST', `/tenants/${slug}/cp-token/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({
      secret: 'cp_token',
      version: 2,
      pending: false,
      grace_active: true,
    });
    const after = await secretOf(slug);
    expect(after.CP_TOKEN).not.toBe(before.CP_TOKEN);
    expect(after.CP_TOKEN_PREVIOUS).toBe(before.CP_TOKEN);
    expect((await call('GET', `/tenants/${slug}/migrations`)).status).toBe(200);
  });

  it('never puts a secret value in a non-reveal GraphQL field; reveals are mutations', async () => {
    const slug = await activeTenant('gql');
    const result = await graphql(
      `query ($slug: String!) {
        tenant(slug: $slug) {
          id slug name state
          overview { status backendVersion users }
          secrets { secret version rotatedAt graceUntil graceActive pending pendingError }
          database { host port database user sizeBytes connections serverVersion statsError }
          migrations { applied { id appliedAt } pending }
          bootstrapToken { set masked expiresAt expired version }
        }
      }`,
      { slug },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.tenant.database.database).toBe(`tenant_${slug}`);
    const secret = await secretOf(slug);
    const text = JSON.stringify(result);
    for (const [key, value] of Object.entries(secret)) {
      expect(text, key).not.toContain(value);
      if (key === 'DATABASE_URL') expect(text).not.toContain(passwordOf(value));
    }
    const revealed = await graphql(
      `mutation ($slug: String!) {
        revealTenantBootstrapToken(slug: $slug) {
          __typename
          ... on MutationRevealTenantBootstrapTokenSuccess { data { value tenant { slug } } }
        }
      }`,
      { slug },
    );
    expect(revealed.data!.revealTenantBootstrapToken.data).toEqual({
      value: secret.BOOTSTRAP_TOKEN,
      tenant: { slug },
    });
  });

  it('refuses bad input with a clear 4xx or typed error and changes nothing', async () => {
    const slug = await activeTenant('bad');
    const before = await secretOf(slug);

    const unknownSecret = await call('POST', `/tenants/${slug}/secrets/database-url/rotate`);
    expect(unknownSecret.status).toBe(400);
    expect(unknownSecret.body.error.message).toMatch(/database-url/);

    for (const [method, path] of [
      ['GET', '/admin-password'],
      ['POST', '/admin-password/reset'],
      ['POST', '/migrations/apply'],
      ['POST', '/secrets/jwt/rotate'],
      ['POST', '/cp-token/rotate'],
      ['POST', '/bootstrap-token/reveal'],
      ['DELETE', '/bootstrap-token'],
    ] as const) {
      const res = await call(method, `/tenants/no-such-tenant${path}`);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code, `${method} ${path}`).toBe('TENANT_NOT_FOUND');
    }
    expect((await call('GET', '/tenants/no-such-tenant/database')).status).toBe(404);
    expect((await call('GET', '/tenants/no-such-tenant/bootstrap-token')).status).toBe(404);

    const typed = await graphql(
      `mutation { rotateTenantSecret(slug: "no-such-tenant", secret: JWT) {
        __typename ... on Error { code message } } }`,
    );
    expect(typed.data!.rotateTenantSecret).toMatchObject({
      __typename: 'NotFoundError',
      code: 'TENANT_NOT_FOUND',
    });

    // A tenant being deleted: no rotation may start on it.
    await server.services.db
      .updateTable('tenants')
      .set({ state: 'deleting' })
      .where('slug', '=', slug)
      .execute();
    try {
      for (const [method, path] of [
        ['POST', '/secrets/jwt/rotate'],
        ['POST', '/cp-token/rotate'],
        ['POST', '/admin-password/reset'],
        ['POST', '/bootstrap-token/rotate'],
      ] as const) {
        const res = await call(
          method,
          `/tenants/${slug}${path}`,
          path.startsWith('/bootstrap') ? {} : undefined,
        );
        expect(res.status, path).toBe(409);
        expect(res.body.error.code, path).toBe('TENANT_NOT_ACTIVE');
      }
      expect((await call('GET', `/tenants/${slug}/admin-password`)).status).toBe(409);
    } finally {
      await server.services.db
        .updateTable('tenants')
        .set({ state: 'active' })
        .where('slug', '=', slug)
        .execute();
    }
    expect(await secretOf(slug)).toEqual(before);
    const recorded = await server.services.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', slug)
      .where('action', 'like', 'tenant.secret.%')
      .execute();
    expect(recorded).toEqual([]);
  });

  it('keeps every secret value seen in this run out of the audit log and the logs', async () => {
    expect(seen.size).toBeGreaterThan(20);
    const audit = JSON.stringify(await server.services.db.selectFrom('audit_log').selectAll().execute());
    const logs = server.logs.join('\n');
    for (const value of seen) {
      expect(audit).not.toContain(value);
      expect(logs).not.toContain(value);
    }
  });
});
