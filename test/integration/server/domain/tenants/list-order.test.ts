import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { gql, rest, useTestServer } from '../../../../support/server.ts';

type Row = { id: string; slug: string; name: string; state: string; createdAt: string };
type Order = { field: 'SLUG' | 'NAME' | 'STATE' | 'CREATED_AT'; direction: 'ASC' | 'DESC' };
type Page = {
  edges: { cursor: string; node: { id: string; slug: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    endCursor: string | null;
    startCursor: string | null;
  };
};

const LIST = `query($first: Int, $after: String, $last: Int, $before: String, $orderBy: TenantOrderInput, $state: [TenantState!]) {
  tenants(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, state: $state) {
    edges { cursor node { id slug } }
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;

const ALL_STATES = ['PROVISIONING', 'ACTIVE', 'DELETING', 'DELETED'];

/** The row id inside a global ID ("Tenant:<uuid>", base64). */
const rowId = (globalId: string) =>
  Buffer.from(globalId, 'base64')
    .toString()
    .replace(/^Tenant:/, '');

/** JavaScript's code-unit order, which is the "C" collation's for these ASCII values. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What each order should give, computed here from the seeded rows, ties broken by id. */
function expected(rows: Row[], order: Order): string[] {
  const keyOf = (r: Row): string[] => {
    switch (order.field) {
      case 'SLUG':
        return [r.slug, r.id];
      case 'NAME':
        return [r.name.toLowerCase(), r.id];
      case 'STATE':
        return [r.state, r.slug, r.id];
      case 'CREATED_AT':
        // Fixed-width microsecond instants: text order is time order.
        return [r.createdAt, r.id];
    }
  };
  const sorted = [...rows].sort((a, b) => {
    const [ka, kb] = [keyOf(a), keyOf(b)];
    for (let i = 0; i < ka.length; i++) {
      const c = cmp(ka[i]!, kb[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  if (order.direction === 'DESC') sorted.reverse();
  return sorted.map((r) => r.id);
}

/**
 * The tenant list in each order, paged by keyset: small pages forwards and backwards add up to
 * exactly the order the rows should have, ties (equal names, equal creation instants, a slug used
 * by a deleted tenant and a live one) included, and instants a microsecond apart, which a cursor
 * rounded to the millisecond would repeat or skip.
 */
describe('the tenant list in every order', () => {
  const server = useTestServer({ STATUS_POLL_INTERVAL_MS: '3600000', DRIFT_CHECK_INTERVAL_MS: '3600000' });
  let rows: Row[];

  beforeAll(async () => {
    const { db } = server.services;
    const base = '2026-03-01 12:00:00.123';
    const seeds: { slug: string; name: string; state: string; created: string }[] = [
      { slug: 'ord-a', name: 'zeta', state: 'active', created: `${base}001` },
      { slug: 'ord-b', name: 'Alpha', state: 'provisioning', created: `${base}002` },
      { slug: 'ord-c', name: 'alpha', state: 'active', created: `${base}002` },
      { slug: 'ord-d', name: 'ALPHA', state: 'deleting', created: `${base}003` },
      { slug: 'ord-e', name: 'Mid', state: 'active', created: '2026-02-01 00:00:00' },
      { slug: 'ord-f', name: 'beta', state: 'deleted', created: '2026-01-01 00:00:00' },
      // A deleted tenant and a live one share a slug: the id keeps them apart.
      { slug: 'ord-f', name: 'Beta again', state: 'active', created: '2026-04-01 00:00:00' },
      { slug: 'ord-g', name: 'gamma', state: 'deleted', created: `${base}001` },
      { slug: 'ord-h', name: 'Mid', state: 'provisioning', created: '2026-02-01 00:00:00' },
    ];
    for (let i = 0; i < 3; i++)
      seeds.push({
        slug: `ord-x${i}`,
        name: `X ${i}`,
        state: 'active',
        created: `2025-12-31 23:59:59.99999${i}`,
      });
    for (const s of seeds) {
      await db
        .insertInto('tenants')
        .values({
          slug: s.slug,
          name: s.name,
          state: s.state as 'active',
          created_by: 'test',
          created_at: sql<Date>`${s.created}::timestamptz`,
        })
        .execute();
    }
    const read = await sql<Row>`
      select id, slug, name, state,
             to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as "createdAt"
        from tenants where slug like 'ord-%'`.execute(db);
    rows = read.rows;
    expect(rows).toHaveLength(seeds.length);
  });

  const orders: Order[] = (['SLUG', 'NAME', 'STATE', 'CREATED_AT'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
  );

  const list = async (variables: Record<string, unknown>) => {
    const { body } = await gql<{ tenants: Page }>(server, LIST, { state: ALL_STATES, ...variables });
    expect(body.errors).toBeUndefined();
    return body.data!.tenants;
  };

  it.each(orders.map((o) => [`${o.field} ${o.direction}`, o] as const))(
    '%s: pages of 2 forwards and backwards give the whole order, nothing repeated or skipped',
    async (_name, orderBy) => {
      const want = expected(rows, orderBy);
      const whole = (await list({ first: 100, orderBy })).edges.map((e) => rowId(e.node.id));
      expect(whole).toEqual(want);

      const forwards: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const page: Page = await list({ first: 2, after, orderBy });
        forwards.push(...page.edges.map((e) => rowId(e.node.id)));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forwards).toEqual(want);

      const backwards: string[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const page: Page = await list({ last: 2, before, orderBy });
        backwards.unshift(...page.edges.map((e) => rowId(e.node.id)));
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backwards).toEqual(want);
    },
  );

  it('a cursor pages on only in the order it came from, in either direction', async () => {
    const byName = await list({ first: 3, orderBy: { field: 'NAME', direction: 'ASC' } });
    const cursor = byName.pageInfo.endCursor;
    const wrong = await gql(server, LIST, { first: 3, after: cursor, orderBy: { field: 'CREATED_AT' } });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(wrong.body.errors?.[0]?.message).toMatch(
      /position in the tenant list by name; it cannot page .* by created/,
    );
    // The same cursor, the other way: the rows before it, nearest first.
    const back = await list({ first: 10, after: cursor, orderBy: { field: 'NAME', direction: 'DESC' } });
    const want = expected(rows, { field: 'NAME', direction: 'DESC' });
    const at = want.indexOf(rowId(byName.edges.at(-1)!.node.id));
    expect(back.edges.map((e) => rowId(e.node.id))).toEqual(want.slice(at + 1, at + 11));
  });

  it('slug cursors made before orders existed still page the list by slug', async () => {
    const first = await list({ first: 2 });
    const legacy = JSON.parse(
      Buffer.from(first.pageInfo.endCursor!, 'base64url')
        .toString()
        .replace(/^tenant-list:/, ''),
    );
    expect(Object.keys(legacy).sort()).toEqual(['id', 'slug']);
    const next = await list({ first: 2, after: first.pageInfo.endCursor });
    expect(next.edges.map((e) => rowId(e.node.id))).toEqual(
      expected(rows, { field: 'SLUG', direction: 'ASC' }).slice(2, 4),
    );
  });

  it('REST ?sort= and ?direction= give the GraphQL order, and refuse what is not one', async () => {
    const res = await rest(
      server,
      'GET',
      '/tenants?sort=created_at&direction=desc&state=active,deleted&first=100',
    );
    expect(res.status).toBe(200);
    const want = expected(
      rows.filter((r) => r.state === 'active' || r.state === 'deleted'),
      { field: 'CREATED_AT', direction: 'DESC' },
    );
    expect(res.body.tenants.map((t: { id: string }) => rowId(t.id))).toEqual(want);
    const next = await rest(
      server,
      'GET',
      `/tenants?sort=created_at&direction=desc&state=active,deleted&first=2&after=${res.body.page_info.end_cursor}`,
    );
    expect(next.body.tenants).toEqual([]);
    const bad = await rest(server, 'GET', '/tenants?sort=users');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/must be one of slug, name, state, created_at/);
    expect((await rest(server, 'GET', '/tenants?direction=up')).status).toBe(400);
  });
});
