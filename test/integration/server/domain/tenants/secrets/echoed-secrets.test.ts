import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTenantSim, type TenantSim } from '../../../../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../../../../server/dev/tenant-sim/resolver.ts';
import { readTenantSecret } from '../../../../../../server/domain/tenants/cluster-secret.ts';
import { createTestDatabase, type TestDatabase } from '../../../../../support/db.ts';
import { eventually } from '../../../../../support/kube.ts';
import { gql, startTestServer, type TestServer } from '../../../../../support/server.ts';
import { startTenantProxy, type TenantProxy } from '../../../../../support/tenant-proxy.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

const TENANT = `tenant(slug: $slug) { state operation { lastError steps { name state error } }
  secrets { secret pending pendingError } }`;
const RESULT = `__typename ... on Error { code message }`;

/**
 * A tenant backend that repeats what it was sent in its error messages (secrets included) must not
 * get them into anything the control plane shows or keeps. Redaction happens in three places (the
 * tenant API client, the domain's failure reasons, the logger); this checks the outcome end to end,
 * through provisioning, an admin password reset and a JWT rotation, so that any one of them
 * failing shows.
 */
describe('secrets a tenant backend echoes in its errors', () => {
  let database: TestDatabase;
  let proxy: TenantProxy;
  let backend: TenantSim;
  let server: TestServer;
  const slug = uniqueSlug('echo');
  /** Every value the backend put in an error message. */
  const echoed: string[] = [];
  /** Everything GraphQL answered while the failures were visible. */
  const answers: unknown[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTenantProxy();
    server = await startTestServer(database.url, {
      TENANT_API_URL: proxy.baseUrlTemplate,
      RECONCILE_INTERVAL_MS: '100',
      STATUS_POLL_INTERVAL_MS: '3600000',
    });
    backend = await startTenantSim({
      resolveTenant: secretResolver(server.services.kube.kubeConfig, server.services.kube.namespace),
    });
    proxy.target = backend.url;
  });
  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
    await proxy?.stop();
    await dropTenantDatabases([slug]);
    await database?.drop();
  });

  /** Makes the backend refuse the next `endpoint` call of the tenant with a 400 naming `values(body)`. */
  function echoOnce(endpoint: string, values: (body: Record<string, string>, token: string) => string[]) {
    let armed = true;
    proxy.intercept = (req) => {
      if (!armed || req.slug !== slug || req.endpoint !== endpoint) return undefined;
      armed = false;
      const said = values(JSON.parse(req.body) as Record<string, string>, req.token);
      echoed.push(...said);
      return {
        status: 400,
        body: { error: { code: 'REJECTED', message: `cannot accept ${said.join(' nor ')}` } },
      };
    };
  }

  const tenant = async () => {
    const answer = await gql(server, `query ($slug: String!) { ${TENANT} }`, { slug });
    answers.push(answer.body);
    return (answer.body.data as { tenant: Record<string, any> }).tenant;
  };

  it('provisioning: a refused handoff shows as a failed step, with the echoed password and CP token redacted', async () => {
    echoOnce('PUT /cp/v1/admin-password', (body, token) => [body.password!, token]);
    expect(
      (await gql(server, `mutation { createTenant(input: {slug: "${slug}", name: "Echo"}) { ${RESULT} } }`))
        .status,
    ).toBe(200);
    const failed = await eventually(
      async () => {
        const t = await tenant();
        return t.operation.steps.find((s: { name: string; state: string }) => s.name === 'handoff').state ===
          'FAILED'
          ? t
          : undefined;
      },
      10_000,
      'handoff failed',
    );
    expect(failed.operation.lastError).toMatch(/handoff: .*cannot accept \[redacted\] nor \[redacted\]/);
    await eventually(async () => (await tenant()).state === 'ACTIVE', 10_000, 'tenant active');
  });

  it('admin password reset: the refusal names the echoed new password only as [redacted]', async () => {
    echoOnce('PUT /cp/v1/admin-password', (body, token) => [body.password!, token]);
    const answer = await gql(
      server,
      `mutation ($slug: String!) { resetTenantAdminPassword(slug: $slug) { ${RESULT} } }`,
      { slug },
    );
    answers.push(answer.body);
    expect(answer.body.data).toMatchObject({
      resetTenantAdminPassword: { __typename: 'DependencyError', code: 'TENANT_BACKEND_REFUSED' },
    });
    expect(JSON.stringify(answer.body)).toMatch(/cannot accept \[redacted\] nor \[redacted\]/);
  });

  it('JWT rotation: neither the new value nor the current one the backend repeats comes through', async () => {
    const current = (await readTenantSecret(server.services.cluster, slug))!.JWT_SECRET!;
    // A backend knows its current JWT secret and may name it too, though it was not sent this call.
    echoOnce('PUT /cp/v1/secrets', (body) => [body.jwt_secret!, current]);
    const answer = await gql(
      server,
      `mutation ($slug: String!) { rotateTenantSecret(slug: $slug, secret: JWT) { ${RESULT} } }`,
      { slug },
    );
    answers.push(answer.body);
    expect(answer.body.data).toMatchObject({ rotateTenantSecret: { __typename: 'DependencyError' } });
    expect(JSON.stringify(answer.body)).toMatch(/cannot accept \[redacted\] nor \[redacted\]/);
    await tenant();
  });

  it('no echoed value is in a GraphQL answer, the audit log or the log', async () => {
    // Six values: admin password and CP token twice, new and current JWT secret.
    expect(echoed).toHaveLength(6);
    const audit = await gql(
      server,
      '{ auditLog(first: 500) { edges { node { action details target { id } } } } }',
    );
    const actions = (audit.body.data as any).auditLog.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['tenant.secret.rotation_failed']));
    const surfaces = {
      graphql: JSON.stringify(answers),
      audit: JSON.stringify(audit.body),
      log: server.logs.join('\n'),
    };
    expect(surfaces.log).toMatch(/tenant operation step failed/);
    expect(surfaces.log).toMatch(/secret rotation stopped/);
    for (const value of echoed) {
      expect(value.length).toBeGreaterThanOrEqual(16);
      for (const [where, text] of Object.entries(surfaces)) {
        expect(text.includes(value), `${where} holds an echoed secret`).toBe(false);
      }
    }
  });
});
