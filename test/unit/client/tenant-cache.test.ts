import { Client, type Exchange, gql, makeResult, type Operation } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { describe, expect, it } from 'vitest';
import { filter, map, pipe } from 'wonka';
import { cacheConfig } from '../../../client/src/graphql/cache.ts';

// The shape the UI asks for, written out here so the test reads on its own.
const List = gql`
  query List($first: Int!, $after: String) {
    tenants(first: $first, after: $after) {
      edges {
        node {
          id
          slug
          state
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const Create = gql`
  mutation Create($input: CreateTenantInput!) {
    createTenant(input: $input) {
      __typename
      ... on MutationCreateTenantSuccess {
        data {
          id
          slug
          state
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

type Row = { id: string; slug: string; state: string };
const row = (slug: string): Row => ({ id: `id-${slug}`, slug, state: 'ACTIVE' });

/** A fake API over a sorted list of tenants, paging by slug, that counts list requests. */
function fakeApi(tenants: Row[]) {
  const state = { tenants, listRequests: 0 };
  const page = (first: number, after: string | null) => {
    const sorted = [...state.tenants].sort((a, b) => a.slug.localeCompare(b.slug));
    const start = after ? sorted.findIndex((t) => t.slug === after) + 1 : 0;
    const nodes = sorted.slice(start, start + first);
    return {
      __typename: 'QueryTenantsConnection',
      edges: nodes.map((node) => ({
        __typename: 'QueryTenantsConnectionEdge',
        node: { __typename: 'Tenant', ...node },
      })),
      pageInfo: {
        __typename: 'PageInfo',
        hasNextPage: start + first < sorted.length,
        endCursor: nodes.at(-1)?.slug ?? null,
      },
    };
  };
  const respond = (op: Operation) => {
    if (op.kind === 'query') {
      state.listRequests++;
      const { first, after } = op.variables as { first: number; after?: string | null };
      return { tenants: page(first, after ?? null) };
    }
    const { input } = op.variables as { input: { slug: string } };
    const created = { ...row(input.slug), state: 'PROVISIONING' };
    state.tenants.push(created);
    return {
      createTenant: { __typename: 'MutationCreateTenantSuccess', data: { __typename: 'Tenant', ...created } },
    };
  };
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind === 'query' || op.kind === 'mutation'),
      map((op) => makeResult(op, { data: respond(op) })),
    );
  return { state, exchange };
}

function setup(tenants: Row[]) {
  const api = fakeApi(tenants);
  const client = new Client({
    url: 'http://api.test/graphql',
    exchanges: [cacheExchange(cacheConfig), api.exchange],
  });
  return { client, api: api.state };
}

const slugsOf = (data: unknown) =>
  (data as { tenants: { edges: { node: Row }[] } }).tenants.edges.map((edge) => edge.node.slug);
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the tenant list in the normalized cache', () => {
  it('merges pages into one list (relayPagination)', async () => {
    const { client } = setup(['alpha', 'bravo', 'charlie', 'delta'].map(row));
    const first = await client.query(List, { first: 2, after: null }).toPromise();
    expect(slugsOf(first.data)).toEqual(['alpha', 'bravo']);
    const second = await client.query(List, { first: 2, after: 'bravo' }).toPromise();
    expect(slugsOf(second.data)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
  });

  it('shows a created tenant in a list that fits on one page, in its place', async () => {
    const { client } = setup(['alpha', 'kilo'].map(row));
    const seen: string[][] = [];
    const subscription = client.query(List, { first: 50, after: null }).subscribe((result) => {
      if (result.data) seen.push(slugsOf(result.data));
    });
    await tick();
    await client.mutation(Create, { input: { slug: 'delta', name: 'Delta' } }).toPromise();
    await tick();
    subscription.unsubscribe();
    expect(seen.at(0)).toEqual(['alpha', 'kilo']);
    expect(seen.at(-1)).toEqual(['alpha', 'delta', 'kilo']);
  });

  it('leaves a paged list whole after a create, rather than refetching only its last page', async () => {
    const { client, api } = setup(['alpha', 'bravo', 'charlie', 'delta', 'echo'].map(row));
    await client.query(List, { first: 2, after: null }).toPromise();
    const seen: string[][] = [];
    const subscription = client.query(List, { first: 2, after: 'bravo' }).subscribe((result) => {
      if (result.data) seen.push(slugsOf(result.data));
    });
    await tick();
    const before = api.listRequests;
    await client.mutation(Create, { input: { slug: 'able', name: 'Able' } }).toPromise();
    await tick();
    subscription.unsubscribe();
    expect(api.listRequests).toBe(before);
    expect(seen.at(-1)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
  });
});
