import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { schema } from '../../../../../schema/index.ts';
import type { RestRoute } from '../../../../../server/http/rest/route.ts';
import { restRoutes } from '../../../../../server/http/rest/routes.ts';
import { tenantDetailRoutes } from '../../../../../server/http/rest/tenant-detail-routes.ts';
import { variablesFor } from '../../../../support/graphql-variables.ts';

/**
 * A valid value for each REST input field, by name; a field added under a new name fails below
 * until it has one. Strings are as the query string or JSON body carries them.
 */
const SAMPLES: Record<string, unknown> = {
  slug: 'acme-corp',
  name: 'Acme Corp',
  admin_email: 'admin@acme.test',
  confirm: 'acme-corp',
  purge_backups: true,
  first: '7',
  after: 'opaque-cursor',
  action: 'tenant.*',
  target_kind: 'tenant',
  target_id: 'acme-corp',
  actor_id: 'operator-1',
  from: '2031-01-01T00:00:00Z',
  to: '2031-02-01T00:00:00+01:00',
  search: 'acm',
  sort: 'created_at',
  direction: 'desc',
  state: 'active,deleted',
  alerts: '7',
  expires_in_days: 30,
  expires_at: '2031-12-31T00:00:00Z',
  license_expiring: true,
  capacity_warnings: false,
  daily_reports: true,
  alert_email: 'ops@acme.test',
  license: 'eyJhbGciOiJFZERTQSJ9.eyJsaWQiOiJ4In0.c2ln',
  user_cap: 40,
  mode: 'inline',
  limit: 25,
  url: 'http://login-worker.example:8090',
  max_concurrent: 8,
  pool: 'compute-heavy',
  labels: ['gpu', 'compute'],
  replicas: 3,
  component: 'login-worker',
  version: '1.4.2',
  schedule: '02:30',
  keep: 7,
  host: 'smtp.acme.test',
  port: 587,
  username: 'noreply@acme.test',
  password: 'smtp-password',
  tls: 'tls',
  status: 'resolved',
  license_lead_days: [30, 7],
  capacity_thresholds: [80, 100],
  unhealthy_minutes: 15,
  report_hour: 7,
  report_time_zone: 'Europe/Berlin',
};

/** A field whose name other routes use for something else: the value for this route. */
const ROUTE_SAMPLES: Record<string, Record<string, unknown>> = {
  'PUT /settings/smtp': { from: 'noreply@acme.test' },
  'POST /settings/smtp/test': { to: 'ops@acme.test' },
};

/** Path parameter values, and the variable each must arrive in, as what. */
const PATH_SAMPLES: Record<string, { value: string; variable: string; as: unknown }[]> = {
  slug: [{ value: 'acme-corp', variable: 'slug', as: 'acme-corp' }],
  id: [
    {
      value: '5f0c6d2e-8f43-4f7e-9d6b-1c2a3b4c5d6e',
      variable: 'id',
      as: '5f0c6d2e-8f43-4f7e-9d6b-1c2a3b4c5d6e',
    },
  ],
  pool: [{ value: 'compute-heavy', variable: 'name', as: 'compute-heavy' }],
  name: [
    { value: 'jwt', variable: 'secret', as: 'JWT' },
    { value: 'login-worker-token', variable: 'secret', as: 'LOGIN_WORKER_TOKEN' },
    { value: 'proxy-token', variable: 'secret', as: 'PROXY_TOKEN' },
    // Unknown names go through as they are, for GraphQL to refuse as no RotatableTenantSecret.
    { value: 'cp-token', variable: 'secret', as: 'cp-token' },
  ],
};

/**
 * What each route answers, from what its GraphQL field gave (after a success's `data` is taken
 * out): the snake_case JSON of the spec is made from these. A route that reshapes its answer and
 * is not here fails below. `empty` is the answer when the field gave an empty object.
 */
const ANSWERS: Record<string, { from: unknown; to: unknown; empty?: unknown }> = {
  'GET /audit': {
    from: { edges: [{ node: { id: 'a1' } }, { node: { id: 'a2' } }], pageInfo: { hasNextPage: true } },
    to: { entries: [{ id: 'a1' }, { id: 'a2' }], pageInfo: { hasNextPage: true } },
  },
  'GET /audit/actors': {
    from: [{ kind: 'operator', id: 'o1' }],
    to: { actors: [{ kind: 'operator', id: 'o1' }] },
  },
  'GET /tenants': {
    from: { edges: [{ node: { slug: 'acme' } }], pageInfo: { endCursor: 'c' } },
    to: { tenants: [{ slug: 'acme' }], pageInfo: { endCursor: 'c' } },
  },
  'POST /me/tokens': {
    from: { token: 'cpt_secret', apiToken: { id: 't1', name: 'ci' } },
    to: { id: 't1', name: 'ci', token: 'cpt_secret' },
  },
  'GET /me/tokens': { from: [{ id: 't1' }], to: { tokens: [{ id: 't1' }] } },
  'GET /infrastructure/upgrades': {
    from: { edges: [{ node: { id: 'u1' } }], pageInfo: { endCursor: 'c' } },
    to: { upgrades: [{ id: 'u1' }], pageInfo: { endCursor: 'c' } },
  },
  'GET /pools': {
    from: { edges: [{ node: { name: 'gpu' } }], pageInfo: { endCursor: 'c' } },
    to: { pools: [{ name: 'gpu' }], pageInfo: { endCursor: 'c' } },
  },
  'GET /tenants/:slug/worker-config': {
    from: { workerConfig: { taskMode: 'INLINE' }, operation: { id: 'o1' } },
    to: { taskMode: 'INLINE', operation: { id: 'o1' } },
  },
  'PUT /tenants/:slug/worker-mode': {
    from: { workerConfig: { taskMode: 'AGENT' }, operation: null },
    to: { taskMode: 'AGENT', operation: null },
  },
  'PUT /tenants/:slug/concurrency': {
    from: { workerConfig: { concurrency: 5 }, operation: null },
    to: { concurrency: 5, operation: null },
  },
  'PUT /tenants/:slug/login-worker': {
    from: { workerConfig: { loginWorker: { mode: 'SHARED' } }, operation: null },
    to: { loginWorker: { mode: 'SHARED' }, operation: null },
  },
  'PUT /tenants/:slug/pool': {
    from: { workerConfig: { pool: { name: 'gpu' } }, operation: null },
    to: { pool: { name: 'gpu' }, operation: null },
  },
  'GET /license': {
    from: { state: 'ACTIVE', tenants: { edges: [{ node: { slug: 'acme' } }], pageInfo: { endCursor: 'c' } } },
    to: { state: 'ACTIVE', tenants: [{ slug: 'acme' }], tenantsPageInfo: { endCursor: 'c' } },
  },
  'GET /tenants/:slug/admin-password': { from: { value: 'pw' }, to: { password: 'pw' } },
  'POST /tenants/:slug/database/reveal': { from: { value: 'pw' }, to: { password: 'pw' } },
  'POST /tenants/:slug/bootstrap-token/reveal': { from: { value: 'bst_x' }, to: { token: 'bst_x' } },
  'GET /tenants/:slug/database': { from: { database: { host: 'db' } }, to: { host: 'db' }, empty: null },
  'GET /tenants/:slug/migrations': {
    from: { migrations: { pending: ['m1'] } },
    to: { pending: ['m1'] },
    empty: null,
  },
  'GET /tenants/:slug/bootstrap-token': {
    from: { bootstrapToken: { set: true } },
    to: { set: true },
    empty: null,
  },
  'GET /tenants/:slug/backups': {
    from: { backups: { edges: [{ node: { id: 'b1' } }], pageInfo: { endCursor: 'c' } } },
    to: { backups: [{ id: 'b1' }], pageInfo: { endCursor: 'c' } },
  },
  'GET /tenants/:slug/tombstone': {
    from: {
      slug: 'acme',
      auditLog: { edges: [{ node: { id: 'e1' } }], pageInfo: { hasNextPage: false } },
      backups: { edges: [{ node: { id: 'b1' } }], pageInfo: { hasNextPage: true } },
    },
    to: {
      slug: 'acme',
      audit: [{ id: 'e1' }],
      auditPageInfo: { hasNextPage: false },
      backups: [{ id: 'b1' }],
      backupsPageInfo: { hasNextPage: true },
    },
  },
  'GET /tenants/:slug/backups/:id': { from: { backup: { id: 'b1' } }, to: { id: 'b1' }, empty: undefined },
  'GET /tenants/:slug/backup-settings': {
    from: { backupSettings: { keep: 7 } },
    to: { keep: 7 },
    empty: undefined,
  },
  'GET /alerts': {
    from: { edges: [{ node: { id: 'a1' } }], pageInfo: { endCursor: 'c' } },
    to: { alerts: [{ id: 'a1' }], pageInfo: { endCursor: 'c' } },
  },
  'GET /tenants/:slug/secrets': {
    from: { secrets: [{ secret: 'JWT' }] },
    to: { secrets: [{ secret: 'JWT' }] },
    empty: { secrets: null },
  },
};

const shapeOf = (s: unknown) => (s as z.ZodObject | undefined)?.shape ?? {};
const pathKeys = (route: RestRoute) => [...route.path.matchAll(/:([a-z_]+)/gi)].map((m) => m[1]!);
const routeName = (route: RestRoute) => `${route.method} ${route.path}`;
const operationOf = (route: RestRoute) =>
  parse(route.document).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
const declared = (route: RestRoute) =>
  (operationOf(route).variableDefinitions ?? []).map((v) => v.variable.name.value);

/** The variables the route should send for one input field, from the document and the schema alone. */
function expectedFor(route: RestRoute, where: 'query' | 'body', field: string) {
  const sample = ROUTE_SAMPLES[routeName(route)]?.[field] ?? SAMPLES[field];
  if (sample === undefined) throw new Error(`${routeName(route)}: add a valid value for ${field} to SAMPLES`);
  const parsed = (shapeOf(route[where])[field] as z.ZodType).parse(sample);
  return { parsed, variables: variablesFor(schema, parse(route.document), field, parsed) };
}

const inputs = (route: RestRoute) => [
  ...Object.keys(shapeOf(route.query)).map((field) => ['query', field] as const),
  ...Object.keys(shapeOf(route.body)).map((field) => ['body', field] as const),
];

const byRoute = restRoutes.map((r) => [routeName(r), r] as const);

/**
 * Every input of a REST route reaches the GraphQL variables of the document it runs, where the
 * schema says a field of that name goes and in the form GraphQL takes: a mapping that drops or
 * misplaces a field would otherwise be ignored silently.
 */
describe('REST route input → GraphQL variables', () => {
  const empty = { params: {}, query: {}, body: {} };

  it.each(
    restRoutes.flatMap((route) =>
      inputs(route).map(
        ([where, field]) => [`${routeName(route)} ${where} ${field}`, route, where, field] as const,
      ),
    ),
  )('%s arrives where the schema puts it', (_name, route, where, field) => {
    const { parsed, variables } = expectedFor(route, where, field);
    expect(parsed, 'the sample is a value, so its absence would show').not.toBeUndefined();
    expect(route.variables({ ...empty, [where]: { [field]: parsed } })).toMatchObject(variables);
  });

  it.each(
    restRoutes.flatMap((route) =>
      pathKeys(route).map((key) => [`${routeName(route)} :${key}`, route, key] as const),
    ),
  )('%s arrives in its variable', (_name, route, key) => {
    const samples = PATH_SAMPLES[key];
    if (!samples) throw new Error(`${routeName(route)}: add a value for :${key} to PATH_SAMPLES`);
    for (const sample of samples) {
      const params = Object.fromEntries(pathKeys(route).map((k) => [k, PATH_SAMPLES[k]![0]!.value]));
      const variables = route.variables({ ...empty, params: { ...params, [key]: sample.value } });
      expect(variables[sample.variable], sample.value).toEqual(sample.as);
    }
  });

  it.each(byRoute)('%s fills every variable its document declares from its input', (_name, route) => {
    const fed = new Set([
      ...pathKeys(route).flatMap((k) => (PATH_SAMPLES[k] ?? []).map((s) => s.variable)),
      ...inputs(route).flatMap(([where, field]) => Object.keys(expectedFor(route, where, field).variables)),
    ]);
    for (const name of declared(route)) expect(fed, `$${name}`).toContain(name);
  });

  it.each(byRoute)('%s sends only variables its document declares', (_name, route) => {
    const params = Object.fromEntries(pathKeys(route).map((k) => [k, PATH_SAMPLES[k]?.[0]?.value ?? 'x']));
    const variables = route.variables({ params, query: {}, body: {} });
    for (const key of Object.keys(variables)) expect(declared(route)).toContain(key);
  });
});

describe('REST route answers', () => {
  it.each(byRoute.filter(([, r]) => r.respond))(
    '%s reshapes its GraphQL answer as the spec writes it',
    (name, route) => {
      const answer = ANSWERS[name];
      if (!answer) throw new Error(`${name}: add what it answers to ANSWERS`);
      expect(route.respond!(answer.from)).toEqual(answer.to);
      if ('empty' in answer) expect(route.respond!({})).toEqual(answer.empty);
    },
  );
});

describe('REST route table', () => {
  it('serves the tenant detail routes', () => {
    expect(restRoutes).toEqual(expect.arrayContaining(tenantDetailRoutes));
  });

  it.each(byRoute)('%s reads the root field its document selects', (_name, route) => {
    const [first] = operationOf(route).selectionSet.selections;
    expect(first?.kind === Kind.FIELD ? first.name.value : undefined).toBe(route.field);
  });

  it.each(byRoute)('%s has an HTTP method and an absolute path of words and :parameters', (_name, route) => {
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).toContain(route.method);
    expect(route.path).toMatch(/^(\/([a-z][a-z-]*|:[a-z_]+))+$/);
  });

  it.each(byRoute)('%s is documented with a summary and a tag', (_name, route) => {
    expect(route.summary.trim().length).toBeGreaterThan(10);
    expect(route.tag).toMatch(/^[a-z]+$/);
  });
});
