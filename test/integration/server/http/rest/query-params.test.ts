import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { schema } from '../../../../../schema/index.ts';
import type { RestRoute } from '../../../../../server/http/rest/route.ts';
import { restRoutes } from '../../../../../server/http/rest/routes.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { snakeToCamel, variablesFor } from '../../../../support/graphql-variables.ts';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, startTestServer, type TestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

/** What the seeded server holds, for picking parameter values that select part of it. */
type Seed = {
  slugs: { active: string[]; provisioning: string[] };
  /** Unfiltered answers, by route path. */
  audit: {
    id: string;
    at: string;
    action: string;
    actor: { id: string | null };
    target: { kind: string } | null;
  }[];
  auditCursor: string;
  tenantsCursor: string;
  licenseCursor: string;
  poolsCursor: string;
  upgradesCursor: string;
  backupsCursor: string;
  alertsCursor: string;
};

/**
 * A value for each REST query parameter, chosen so that it selects part of the seeded data: an
 * answer equal to the unfiltered one would not tell a dropped parameter from a working one. A
 * route or parameter added without a value here fails below, by name.
 */
const SAMPLES: Record<string, (seed: Seed) => string> = {
  'GET /audit first': () => '2',
  'GET /audit after': (s) => s.auditCursor,
  'GET /audit action': () => 'tenant.create.requested',
  'GET /audit target_kind': () => 'settings',
  'GET /audit target_id': (s) => s.slugs.active[0]!,
  'GET /audit actor_id': (s) => s.audit.find((e) => e.action === 'tenant.create.requested')!.actor.id!,
  'GET /audit from': (s) => s.audit[0]!.at,
  // Instants come back to the millisecond, stored ones are finer: 1 ms later keeps the oldest in.
  'GET /audit to': (s) => new Date(Date.parse(s.audit.at(-1)!.at) + 1).toISOString(),
  // The admin among everyone who acted (the admin, and the control plane finishing what it asked).
  'GET /audit/actors search': () => 'admin',
  'GET /audit/actors first': () => '1',
  'GET /dashboard alerts': () => '1',
  'GET /tenants first': () => '2',
  'GET /tenants after': (s) => s.tenantsCursor,
  'GET /tenants search': (s) => s.slugs.active[1]!.slice(0, 8),
  'GET /tenants state': () => 'provisioning',
  // Names run the other way round from slugs (seeded below): by name is not by slug.
  'GET /tenants sort': () => 'name',
  'GET /tenants direction': () => 'desc',
  'GET /license first': () => '2',
  'GET /license after': (s) => s.licenseCursor,
  'GET /pools first': () => '1',
  'GET /pools after': (s) => s.poolsCursor,
  'GET /infrastructure/upgrades component': () => 'agent',
  'GET /infrastructure/upgrades first': () => '1',
  'GET /infrastructure/upgrades after': (s) => s.upgradesCursor,
  'GET /tenants/:slug/backups first': () => '1',
  'GET /tenants/:slug/backups after': (s) => s.backupsCursor,
  'GET /alerts first': () => '1',
  'GET /alerts after': (s) => s.alertsCursor,
  'GET /alerts status': () => 'resolved',
};

/** Fields that say which things an answer holds, and whether more follow; not how they are doing now. */
const IDENTITY = new Set(['id', 'slug', 'name', 'kind', 'tenantId', 'hasNextPage']);

/**
 * Which things an answer holds, in order, the same whether it came as GraphQL or as REST
 * (snake_case keys, lower-case enums). Figures that move while the test runs (a stuck tenant's
 * attempts and last error) are left out.
 */
function fingerprint(value: unknown): string[] {
  const seen: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        const name = snakeToCamel(key);
        if (IDENTITY.has(name) && (inner === null || typeof inner !== 'object'))
          seen.push(`${name}=${name === 'id' ? inner : String(inner).toLowerCase()}`);
        else walk(inner);
      }
    }
  };
  walk(value);
  return seen;
}

const cases = restRoutes.flatMap((route) => {
  const shape = (route.query as z.ZodObject | undefined)?.shape;
  return Object.keys(shape ?? {}).map(
    (param) => [`${route.method} ${route.path} ?${param}`, route, param] as const,
  );
});

/**
 * Every query parameter of every REST route must reach the GraphQL operation it runs: a parameter
 * the mapping drops would otherwise be ignored silently (`GET /audit?actor_id=X` answering with
 * everyone's entries). Each one is compared with the GraphQL answer to the same filter.
 */
describe('REST query parameters select what the GraphQL filter selects', () => {
  let database: TestDatabase;
  let server: TestServer;
  let seed: Seed;
  const created: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database.url, {
      RECONCILE_INTERVAL_MS: '100',
      STATUS_POLL_INTERVAL_MS: '3600000',
    });
    const active = [uniqueSlug('qp-alpha'), uniqueSlug('qp-beta')];
    const provisioning = [uniqueSlug('qp-stuck'), uniqueSlug('qp-stuck')];
    created.push(...active, ...provisioning);
    // These never get past handoff: the backend keeps refusing them, and the dashboard shows alerts.
    for (const slug of provisioning)
      server.tenantSim!.faults.set(slug, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    for (const [i, slug] of created.entries()) {
      const name = `n${created.length - i} ${slug}`;
      expect((await rest(server, 'POST', '/tenants', { slug, name })).status).toBe(201);
    }
    const reached = async (slug: string, done: (t: Record<string, any>) => boolean, what: string) =>
      eventually(
        async () => done((await rest(server, 'GET', `/tenants/${slug}`)).body),
        10_000,
        `${slug} ${what}`,
      );
    for (const slug of active) await reached(slug, (t) => t.state === 'active', 'active');
    for (const slug of provisioning) await reached(slug, (t) => t.operation?.attempts > 0, 'retrying');
    expect((await rest(server, 'PUT', '/settings/alerts', { daily_reports: true })).status).toBe(200);
    for (const name of ['qp-a', 'qp-b', 'qp-c']) {
      expect((await rest(server, 'POST', '/pools', { name, labels: [] })).status).toBe(201);
    }
    // No worker Deployments exist here: each upgrade has nothing to roll and succeeds at once.
    for (const [component, version] of [
      ['agent', '2.0.1'],
      ['login-worker', '1.0.1'],
    ]) {
      const upgrade = await rest(server, 'POST', '/infrastructure/upgrades', { component, version });
      expect(upgrade.status).toBe(202);
      await eventually(
        async () =>
          (await rest(server, 'GET', `/infrastructure/upgrades/${upgrade.body.id}`)).body.state ===
          'succeeded',
        10_000,
        `${component} upgrade succeeded`,
      );
    }
    // Backup rows of the first active tenant, to page through (the listing reads rows, not files).
    const backedUp = await server.services.db
      .selectFrom('tenants')
      .select('id')
      .where('slug', '=', active[0]!)
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      await server.services.db
        .insertInto('tenant_backups')
        .values({
          tenant_id: backedUp.id,
          state: 'failed',
          trigger: 'manual',
          requested_by: 'test',
          started_at: new Date(Date.now() - i * 1000),
          error: 'seeded',
        })
        .execute();
    }
    // Alerts of a kind no rule evaluates, so the leader's evaluations leave them as they are.
    const base = Date.now() - 3_600_000;
    for (const [i, state] of (['open', 'resolved', 'open'] as const).entries()) {
      const at = new Date(base + i * 60_000);
      await server.services.db
        .insertInto('alerts')
        .values({
          key: `seed:${i}`,
          kind: 'seed',
          severity: 'warning',
          subject: `seeded alert ${i}`,
          detail: 'seeded',
          state,
          observed_at: at,
          opened_at: at,
          resolved_at: state === 'resolved' ? at : null,
        })
        .execute();
    }
    const audit = (await rest(server, 'GET', '/audit')).body;
    seed = {
      slugs: { active, provisioning },
      audit: audit.entries,
      auditCursor: (await rest(server, 'GET', '/audit?first=2')).body.page_info.end_cursor,
      tenantsCursor: (await rest(server, 'GET', '/tenants?first=1')).body.page_info.end_cursor,
      licenseCursor: (await rest(server, 'GET', '/license?first=1')).body.tenants_page_info.end_cursor,
      poolsCursor: (await rest(server, 'GET', '/pools?first=1')).body.page_info.end_cursor,
      upgradesCursor: (await rest(server, 'GET', '/infrastructure/upgrades?first=1')).body.page_info
        .end_cursor,
      backupsCursor: (await rest(server, 'GET', `/tenants/${active[0]}/backups?first=1`)).body.page_info
        .end_cursor,
      alertsCursor: (await rest(server, 'GET', '/alerts?first=1')).body.page_info.end_cursor,
    };
  });
  afterAll(async () => {
    server?.tenantSim?.faults.clear();
    await server?.stop();
    await dropTenantDatabases(created);
    await database?.drop();
  });

  /** A route's path with its `:params` filled from the seed. */
  const pathOf = (route: RestRoute) =>
    route.path.replace(/:([a-z_]+)/gi, (_, key: string) => paramsOf(route)[key]!);
  const paramsOf = (route: RestRoute): Record<string, string> =>
    Object.fromEntries(
      [...route.path.matchAll(/:([a-z_]+)/gi)].map(([, key]) => {
        if (key === 'slug') return [key, seed.slugs.active[0]!];
        throw new Error(`no sample for the path parameter :${key} of ${route.path}`);
      }),
    );

  it('covers at least the audit filters and the tenant list', () => {
    const names = cases.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['GET /audit ?actor_id', 'GET /audit ?target_kind']));
  });

  it.each(cases)('%s', async (name, route, param) => {
    const sample = SAMPLES[`${route.method} ${route.path} ${param}`];
    if (!sample)
      throw new Error(`${name}: no sample value; add one to SAMPLES that selects part of the data`);
    if (route.method !== 'GET') throw new Error(`${name}: only GET routes take query parameters so far`);
    const value = sample(seed);
    const path = pathOf(route);

    const unfiltered = await rest(server, 'GET', path);
    const filtered = await rest(server, 'GET', `${path}?${new URLSearchParams({ [param]: value })}`);
    expect(filtered.status, JSON.stringify(filtered.body)).toBe(200);

    // Path parameters (`:slug`) reach the document as the route maps them, beside the one tested.
    const fromPath = route.variables({ params: paramsOf(route), query: {}, body: {} });
    const answer = await gql(server, route.document, {
      ...Object.fromEntries(Object.entries(fromPath).filter(([, v]) => v !== undefined)),
      ...variablesFor(schema, parse(route.document), param, value),
    });
    expect(answer.body.errors).toBeUndefined();
    const expected = fingerprint((answer.body.data as Record<string, unknown>)[route.field]);

    expect(fingerprint(filtered.body)).toEqual(expected);
    expect(expected.length, 'the sample selects nothing').toBeGreaterThan(0);
    expect(fingerprint(unfiltered.body), 'the sample selects everything').not.toEqual(expected);
  });
});
