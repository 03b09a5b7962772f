import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { postJson } from './http-post.ts';

/** What the `tenants` list asks for by default: every state but `deleted`. */
const LIVE_STATES = ['provisioning', 'active', 'deleting'] as const;
const PAGE = 100;

export const TENANTS_PAGE_QUERY = /* GraphQL */ `
  query TenantsBench_Page($first: Int!, $after: String, $search: String) {
    tenants(first: $first, after: $after, search: $search) {
      edges {
        node {
          slug
          name
          state
          overview { status users backendVersion lastSeenAt }
          operation { state }
        }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`;

type PageData = {
  tenants: {
    edges: { node: { slug: string } }[];
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export type Seeded = { rows: number; ms: number; matchingSearch: number };

/**
 * Inserts `count` active tenants straight into the control plane's tables, with the status columns
 * the poller keeps (mostly `ok`, some degraded or unreachable, two backend versions, user counts,
 * recent `last_seen_at`) and one succeeded create operation each. Nothing is provisioned: no
 * database, Secret or backend exists for them, which the list never looks at anyway.
 */
export async function seedTenantRows(client: pg.Client, count: number, search: string): Promise<Seeded> {
  const width = Math.max(5, String(count).length);
  const started = performance.now();
  await client.query(
    `insert into tenants (slug, name, admin_email, state, created_by, created_at, updated_at, status,
                          status_error, backend_version, users, groups, apps, active_users, last_seen_at,
                          status_checked_at)
     select 'org-' || lpad(i::text, $2, '0'),
            'Organisation ' || lpad(i::text, $2, '0'),
            'admin@org-' || lpad(i::text, $2, '0') || '.example',
            'active', 'bench seed',
            now() - make_interval(days => i % 700), now() - make_interval(mins => i % 1440),
            case when i % 97 = 0 then 'unreachable' when i % 41 = 0 then 'degraded' else 'ok' end,
            case when i % 97 = 0 then 'connect ECONNREFUSED' when i % 41 = 0 then 'database slow' end,
            case when i % 5 = 0 then '1.3.2' else '1.4.0' end,
            (i * 7919) % 5000, (i * 31) % 120, (i * 17) % 60, (i * 7919) % 5000 / 3,
            case when i % 97 = 0 then now() - interval '2 hours' else now() - make_interval(secs => i % 60) end,
            now() - make_interval(secs => i % 15)
       from generate_series(1, $1::int) as i`,
    [count, width],
  );
  const steps = JSON.stringify(
    ['record', 'secret', 'database', 'registry', 'handoff', 'license', 'smtp'].map((name) => ({
      name,
      state: 'done',
      startedAt: null,
      finishedAt: null,
      error: null,
    })),
  );
  await client.query(
    `insert into tenant_operations (tenant_id, kind, state, steps, attempts, actor_label, created_at,
                                    updated_at, finished_at, next_attempt_at)
     select id, 'create', 'succeeded', $1::jsonb, 0, 'bench seed', created_at,
            created_at + interval '3 seconds', created_at + interval '3 seconds', created_at
       from tenants where created_by = 'bench seed'`,
    [steps],
  );
  await client.query('analyze tenants');
  await client.query('analyze tenant_operations');
  const ms = performance.now() - started;
  const { rows } = await client.query<{ n: string }>(
    `select count(*) as n from tenants where state <> 'deleted' and (slug ilike $1 or name ilike $1)`,
    [`%${search}%`],
  );
  return { rows: count, ms, matchingSearch: Number(rows[0]!.n) };
}

/** POSTs the page query to /graphql; fails on any error or a short page. */
async function graphqlPage(
  baseUrl: string,
  variables: { first: number; after?: string | null; search?: string },
): Promise<{ data: PageData; bytes: number }> {
  const res = await postJson(`${baseUrl}/graphql`, JSON.stringify({ query: TENANTS_PAGE_QUERY, variables }), {
    accept: 'application/json',
    authorization: process.env.BENCH_AUTHORIZATION ?? '',
  });
  const text = res.text;
  const body = JSON.parse(text) as { data?: PageData; errors?: { message: string }[] };
  if (res.status !== 200 || body.errors?.length || !body.data) {
    throw new Error(`tenants query answered ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return { data: body.data, bytes: Buffer.byteLength(text) };
}

/** One list request to measure, in both forms: GraphQL variables and the SQL the resolver amounts to. */
export type ListCase = {
  label: string;
  variables: { first: number; after?: string | null; search?: string };
  /** The first tenant page (limit 101, as `resolveCursorConnection` asks for one more than `first`). */
  sql: { text: string; values: unknown[] };
};

/** The SQL of one tenant page, with the parameters kysely's `listTenants` would bind. */
function pageSql(filter: { after?: { slug: string; id: string }; search?: string }): ListCase['sql'] {
  const values: unknown[] = [...LIVE_STATES];
  let where = 'state in ($1, $2, $3)';
  if (filter.search) {
    values.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where += ` and (slug ilike $${values.length} or name ilike $${values.length})`;
  }
  if (filter.after) {
    values.push(filter.after.slug, filter.after.id);
    where += ` and (slug, id) > ($${values.length - 1}, $${values.length}::uuid)`;
  }
  return { text: `select * from tenants where ${where} order by slug, id limit ${PAGE + 1}`, values };
}

/**
 * Builds the three cases: the first page, page `deepPage` (reached by following `endCursor` from
 * page 1), and a search. The deep page's position is also found by SQL (offset), and checked to
 * agree with where the cursors led.
 */
export async function listCases(
  baseUrl: string,
  client: pg.Client,
  deepPage: number,
  search: string,
): Promise<ListCase[]> {
  let after: string | null = null;
  for (let page = 1; page < deepPage; page++) {
    const { data } = await graphqlPage(baseUrl, { first: PAGE, after });
    if (!data.tenants.pageInfo.hasNextPage) throw new Error(`the list ends at page ${page}`);
    after = data.tenants.pageInfo.endCursor;
  }
  const { rows } = await client.query<{ slug: string; id: string }>(
    `select slug, id from tenants where state in ($1, $2, $3) order by slug, id offset $4 limit 1`,
    [...LIVE_STATES, (deepPage - 1) * PAGE - 1],
  );
  const deepKey = rows[0];
  if (!deepKey) throw new Error(`there is no page ${deepPage}`);
  return [
    { label: 'first page', variables: { first: PAGE }, sql: pageSql({}) },
    {
      label: `page ${deepPage} (cursor)`,
      variables: deepPage > 1 ? { first: PAGE, after } : { first: PAGE },
      sql: pageSql(deepPage > 1 ? { after: deepKey } : {}),
    },
    { label: `search "${search}"`, variables: { first: PAGE, search }, sql: pageSql({ search }) },
  ];
}

/** The second query the resolver runs for a page: each tenant's latest operation, read as soon as the page is in. */
function latestOperationsSql(tenantIds: readonly string[]): ListCase['sql'] {
  const placeholders = tenantIds.map((_, i) => `$${i + 1}`).join(', ');
  return {
    text: `select distinct on (tenant_id) * from tenant_operations where tenant_id in (${placeholders})
            order by tenant_id, created_at desc`,
    values: [...tenantIds],
  };
}

export type ListTimings = {
  label: string;
  graphql: number[];
  sql: number[];
  /** The tenant page plus the latest-operations query: all the SQL the resolver needs. */
  sqlWithOperations: number[];
  bytes: number;
  rows: number;
};

/**
 * Times each case `iterations` times after `warmup` untimed rounds, the three forms interleaved
 * so drift in the machine affects them alike. Before timing, checks that GraphQL and SQL return
 * the same slugs in the same order.
 */
export async function measureList(
  baseUrl: string,
  client: pg.Client,
  cases: readonly ListCase[],
  warmup: number,
  iterations: number,
): Promise<ListTimings[]> {
  const results: ListTimings[] = [];
  for (const c of cases) {
    const probe = await graphqlPage(baseUrl, c.variables);
    const viaSql = await client.query<{ id: string; slug: string }>(c.sql.text, c.sql.values);
    const gqlSlugs = probe.data.tenants.edges.map((e) => e.node.slug);
    const sqlSlugs = viaSql.rows.slice(0, PAGE).map((r) => r.slug);
    if (gqlSlugs.length === 0 || gqlSlugs.join() !== sqlSlugs.join()) {
      throw new Error(`${c.label}: GraphQL and SQL disagree (${gqlSlugs[0]}… vs ${sqlSlugs[0]}…)`);
    }
    const ops = latestOperationsSql(viaSql.rows.slice(0, PAGE).map((r) => r.id));
    const timings: ListTimings = {
      label: c.label,
      graphql: [],
      sql: [],
      sqlWithOperations: [],
      bytes: probe.bytes,
      rows: gqlSlugs.length,
    };
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = performance.now();
      await graphqlPage(baseUrl, c.variables);
      const t1 = performance.now();
      await client.query(c.sql.text, c.sql.values);
      const t2 = performance.now();
      await client.query(c.sql.text, c.sql.values);
      await client.query(ops.text, ops.values);
      const t3 = performance.now();
      if (i < warmup) continue;
      timings.graphql.push(t1 - t0);
      timings.sql.push(t2 - t1);
      timings.sqlWithOperations.push(t3 - t2);
    }
    results.push(timings);
  }
  return results;
}
