import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { gql, useTestServer } from '../../../../support/server.ts';

type Operation = { kind: string; state: string; requestedBy: string } | null;
type Node = { slug: string; operation?: Operation };

/**
 * The tenant list reads its page's latest operations ahead, in one query, when the request asks
 * for them (schema/tenant.ts): each node must still show its own tenant's newest operation, whether
 * the field is asked for directly or through a fragment, and the same one `tenant(slug)` shows.
 */
describe("the tenant list's operations", () => {
  const server = useTestServer({ STATUS_POLL_INTERVAL_MS: '3600000', DRIFT_CHECK_INTERVAL_MS: '3600000' });
  /** Each seeded tenant's newest operation as SQL sees it, by slug. */
  const newest = new Map<string, Operation>();

  beforeAll(async () => {
    const { db } = server.services;
    const ops: Record<string, [kind: string, state: string, minutesAgo: number][]> = {
      'lop-a': [
        ['create', 'succeeded', 60],
        ['delete', 'running', 1],
      ],
      'lop-b': [['create', 'failed', 30]],
      'lop-c': [],
      'lop-d': [
        ['create', 'succeeded', 90],
        ['repair', 'succeeded', 5],
        ['repair', 'running', 2],
      ],
    };
    for (const [slug, list] of Object.entries(ops)) {
      const { id } = await db
        .insertInto('tenants')
        .values({ slug, name: slug.toUpperCase(), state: 'active', created_by: 'test' })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [i, [kind, state, minutesAgo]] of list.entries()) {
        await sql`insert into tenant_operations (tenant_id, kind, state, steps, attempts, actor_label,
                                                 created_at, updated_at, next_attempt_at)
                  values (${id}, ${kind}, ${state}, '[]'::jsonb, 0, ${`seed ${slug} ${i}`},
                          now() - make_interval(mins => ${minutesAgo}), now(), now())`.execute(db);
      }
      const last = list.at(-1);
      newest.set(
        slug,
        last
          ? {
              kind: last[0].toUpperCase(),
              state: last[1].toUpperCase(),
              requestedBy: `seed ${slug} ${list.length - 1}`,
            }
          : null,
      );
    }
  });

  const list = async (selection: string, variables: Record<string, unknown> = {}) => {
    const { body } = await gql<{ tenants: { edges: { node: Node }[] } }>(
      server,
      `query($first: Int, $after: String) {
         tenants(search: "lop-", first: $first, after: $after) { edges { node { slug ${selection} } } pageInfo { endCursor } }
       }
       ${selection.includes('...Op') ? 'fragment Op on Tenant { operation { kind state requestedBy } }' : ''}`,
      variables,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.tenants.edges.map((e) => e.node);
  };

  it.each([
    ['directly', 'operation { kind state requestedBy }'],
    ['through a fragment spread', '...Op'],
    ['through an inline fragment', '... on Tenant { operation { kind state requestedBy } }'],
  ])('shows each tenant its own newest operation when asked for %s', async (_how, selection) => {
    const nodes = await list(selection);
    expect(nodes.map((n) => n.slug)).toEqual(['lop-a', 'lop-b', 'lop-c', 'lop-d']);
    for (const node of nodes) expect(node.operation, node.slug).toEqual(newest.get(node.slug));
  });

  it('agrees with tenant(slug), and a later page shows its own tenants’ operations', async () => {
    const first = await list('operation { kind state requestedBy }', { first: 2 });
    expect(first.map((n) => n.slug)).toEqual(['lop-a', 'lop-b']);
    const { body } = await gql<{ tenants: { pageInfo: { endCursor: string } } }>(
      server,
      'query { tenants(search: "lop-", first: 2) { pageInfo { endCursor } } }',
    );
    const second = await list('operation { kind state requestedBy }', {
      first: 2,
      after: body.data!.tenants.pageInfo.endCursor,
    });
    expect(second.map((n) => n.slug)).toEqual(['lop-c', 'lop-d']);
    for (const node of [...first, ...second]) {
      const one = await gql<{ tenant: { operation: Operation } }>(
        server,
        'query($slug: String!) { tenant(slug: $slug) { operation { kind state requestedBy } } }',
        { slug: node.slug },
      );
      expect(one.body.data!.tenant.operation).toEqual(node.operation);
      expect(node.operation).toEqual(newest.get(node.slug));
    }
  });

  it('reads no operations when the request does not ask for them', async () => {
    const nodes = await list('');
    expect(nodes.every((n) => !('operation' in n))).toBe(true);
  });
});
