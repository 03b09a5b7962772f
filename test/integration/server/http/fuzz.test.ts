import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { getNamedType, isNonNullType } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../../../schema/index.ts';
import { restRoutes } from '../../../../server/http/rest/routes.ts';
import { tenantDetailRoutes } from '../../../../server/http/rest/tenant-detail-routes.ts';
import { eventually } from '../../../support/kube.ts';
import { useTestServer } from '../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../support/tenants.ts';

/** Every table, less the columns any authenticated request touches (when a token was last used). */
const TABLES: Record<string, string[]> = {
  tenants: [],
  tenant_operations: [],
  tenant_secrets: [],
  settings: [],
  api_tokens: ['last_used_at'],
  operators: ['last_seen_at'],
  sessions: ['last_seen_at'],
  auth_requests: [],
};
const RUNS = 25;

/** Any JSON a client could send: wrong types, unknown keys, deep nesting, odd strings. */
const json = fc.jsonValue({ maxDepth: 3 });
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '../x', '%ZZ', 'a'.repeat(5000), '\u202e', "'; drop table tenants; --", '0'),
);

/**
 * Bad input never changes anything: every REST route and GraphQL mutation, fed arbitrary bodies,
 * variables and path parameters, answers below 500, and whenever it refuses (4xx, or a typed
 * error) no table, Secret or ConfigMap is any different.
 */
describe('fuzzing every door with bad input', () => {
  // Background rounds that write what the fingerprint reads (the drift check records its findings
  // on the tenant, alerts are evaluated) are kept out of the way: a change must be the request's.
  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '3600000',
    DRIFT_CHECK_INTERVAL_MS: '3600000',
    ALERT_INTERVAL_MS: '3600000',
  });
  const slug = uniqueSlug('fuzz');
  beforeAll(async () => {
    await fetch(`${server.url}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({ slug, name: 'Fuzz target' }),
    });
    await eventually(
      async () =>
        (
          (await (await fetch(`${server.url}/tenants/${slug}`, { headers: server.headers })).json()) as {
            state: string;
          }
        ).state === 'active',
      20_000,
      'the target tenant to be active',
    );
  }, 30_000);
  afterAll(() => dropTenantDatabases([slug]));

  /**
   * A fingerprint of all state the control plane owns, per part (its tables, and the namespace's
   * Secrets and ConfigMaps), so a difference names what changed.
   */
  async function state(): Promise<Record<string, string>> {
    const parts: Record<string, string> = {};
    const { db } = server.services;
    for (const [table, volatile] of Object.entries(TABLES)) {
      const rows = await sql<{
        row: Record<string, unknown>;
      }>`select row_to_json(t) as row from ${sql.table(table)} t`.execute(db);
      const kept = rows.rows
        .map(({ row }) => JSON.stringify(Object.entries(row).filter(([k]) => !volatile.includes(k))))
        .sort();
      parts[table] = createHash('sha256').update(kept.join('\n')).digest('hex').slice(0, 16);
    }
    for (const kind of ['Secret', 'ConfigMap']) {
      const list = await server.services.cluster.objects.list('v1', kind, server.services.cluster.namespace);
      parts[kind] = list.items
        .map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`)
        .sort()
        .join(',');
    }
    return parts;
  }

  /** Waits until no operation runs: one a valid request started must not look like a refused one's change. */
  const settled = () =>
    eventually(
      async () =>
        !(await server.services.db
          .selectFrom('tenant_operations')
          .select('id')
          .where('state', '=', 'running')
          .executeTakeFirst()),
      20_000,
      'operations to end',
    );

  /** A request's outcome: whether it was refused, and its status. */
  async function send(method: string, path: string, body?: string) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...server.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const text = await res.text();
    return { status: res.status, text };
  }

  const routes = [...restRoutes, ...tenantDetailRoutes].filter((r) => r.method !== 'GET');
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'REST %s: arbitrary bodies and path parameters get a 4xx and change nothing',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(json, fc.oneof(fc.constant(slug), oddString), async (body, param) => {
          const path = route.path.replace(/:([a-z_]+)/g, () => encodeURIComponent(param));
          await settled();
          const before = await state();
          const { status, text } = await send(route.method, path, JSON.stringify(body));
          expect(
            status,
            `${route.method} ${path} ${JSON.stringify(body).slice(0, 200)} → ${text.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (status >= 400) expect(await state()).toEqual(before);
        }),
        { numRuns: RUNS },
      );
    },
    60_000,
  );

  const mutations = Object.values(schema.getMutationType()!.getFields());
  it.each(mutations.map((m) => [m.name, m] as const))(
    'GraphQL mutation %s: arbitrary variables get a 400 or a typed error and change nothing',
    async (_name, field) => {
      const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `mutation Fuzz${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} { __typename ... on Error { code } } }`;
      const variables = fc.record(
        Object.fromEntries(
          field.args.map((a) => [
            a.name,
            // The target's slug, but never as a delete's confirmation: that delete would be valid.
            getNamedType(a.type).name === 'String' && isNonNullType(a.type) && a.name !== 'confirm'
              ? fc.oneof(oddString, json, fc.constant(slug))
              : json,
          ]),
        ),
      );
      await fc.assert(
        fc.asyncProperty(variables, async (vars) => {
          await settled();
          const before = await state();
          const { status, text } = await send('POST', '/graphql', JSON.stringify({ query, variables: vars }));
          expect(
            status,
            `${field.name} ${JSON.stringify(vars).slice(0, 200)} → ${text.slice(0, 300)}`,
          ).toBeLessThan(500);
          const answer = JSON.parse(text) as {
            data?: Record<string, { __typename?: string; code?: string }> | null;
          };
          const result = answer.data?.[field.name];
          const refused = status >= 400 || !result || result.code !== undefined;
          if (refused) expect(await state()).toEqual(before);
        }),
        { numRuns: RUNS },
      );
    },
    60_000,
  );
});
