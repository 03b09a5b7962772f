import { Client, type Exchange, gql, makeResult, type Operation, type OperationResult } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { describe, expect, it } from 'vitest';
import { filter, makeSubject, map, merge, onPush, pipe } from 'wonka';
import { cacheConfig } from '../../../client/src/graphql/cache.ts';

// The shapes the License page and the dashboard card ask for, written out so the test reads on its own.
const Page = gql`
  query Page($first: Int!, $after: String) {
    license {
      state
      licensee
      sync {
        failed
      }
      tenants(first: $first, after: $after) {
        edges {
          node {
            slug
            userCap
            syncState
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const Changed = gql`
  subscription Changed($first: Int!, $after: String) {
    licenseChanged {
      state
      licensee
      sync {
        failed
      }
      tenants(first: $first, after: $after) {
        edges {
          node {
            slug
            userCap
            syncState
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const Card = gql`
  query Card {
    license {
      state
      licensee
      sync {
        failed
      }
    }
  }
`;

const Allocate = gql`
  mutation Allocate($slug: String!, $userCap: Int, $first: Int!, $after: String) {
    setLicenseAllocation(slug: $slug, userCap: $userCap) {
      __typename
      ... on MutationSetLicenseAllocationSuccess {
        data {
          state
          licensee
          sync {
            failed
          }
          tenants(first: $first, after: $after) {
            edges {
              node {
                slug
                userCap
                syncState
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      }
    }
  }
`;

type Line = { slug: string; userCap: number | null; syncState: string };
type Status = { state: string; licensee: string | null; failed: number; lines: Line[] };

/** The License as the API answers it, with every __typename graphcache keys by. */
const license = (status: Status) => ({
  __typename: 'License',
  state: status.state,
  licensee: status.licensee,
  sync: { __typename: 'LicenseSyncCounts', failed: status.failed },
  tenants: {
    __typename: 'LicenseTenantsConnection',
    edges: status.lines.map((line) => ({
      __typename: 'LicenseTenantsConnectionEdge',
      node: { __typename: 'LicenseTenant', ...line },
    })),
    pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: status.lines.at(-1)?.slug ?? null },
  },
});

const FREE: Status = {
  state: 'FREE',
  licensee: null,
  failed: 0,
  lines: [
    { slug: 'acme', userCap: null, syncState: 'SYNCED' },
    { slug: 'globex', userCap: null, syncState: 'SYNCED' },
  ],
};

/** A fake API answering queries and mutations from `status`, and pushing licenseChanged on request. */
function setup(initial: Status) {
  let status = initial;
  let subscription: Operation | null = null;
  const pushes = makeSubject<OperationResult>();
  const respond = (op: Operation) => {
    if (op.kind === 'query') return { license: license(status) };
    const { slug, userCap } = op.variables as { slug: string; userCap: number | null };
    status = {
      ...status,
      lines: status.lines.map((line) =>
        line.slug === slug ? { ...line, userCap, syncState: 'PENDING' } : line,
      ),
    };
    return {
      setLicenseAllocation: { __typename: 'MutationSetLicenseAllocationSuccess', data: license(status) },
    };
  };
  const exchange: Exchange = () => (ops$) =>
    merge([
      pipe(
        ops$,
        onPush((op) => {
          if (op.kind === 'subscription') subscription = op;
        }),
        filter((op) => op.kind === 'query' || op.kind === 'mutation'),
        map((op) => makeResult(op, { data: respond(op) })),
      ),
      pushes.source,
    ]);
  const client = new Client({
    url: 'http://api.test/graphql',
    exchanges: [cacheExchange(cacheConfig), exchange],
  });
  return {
    client,
    /** The server's state changes and licenseChanged says so. */
    change(next: Status) {
      status = next;
      if (!subscription) throw new Error('nothing subscribed to licenseChanged');
      pushes.next(makeResult(subscription, { data: { licenseChanged: license(next) } }));
    },
  };
}

const PAGE = { first: 100, after: null };
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
type Shown = { license: ReturnType<typeof license> };
const linesOf = (data: Shown) =>
  data.license.tenants.edges.map(({ node }) => `${node.slug}:${node.userCap ?? '-'}:${node.syncState}`);

/** Follows a query, recording each result it shows. */
function watch(client: Client, query: typeof Page | typeof Card, variables: object = {}) {
  const seen: Shown[] = [];
  const { unsubscribe } = client.query(query, variables).subscribe((result) => {
    if (result.data) seen.push(result.data as Shown);
  });
  return { seen, unsubscribe };
}

describe('the license in the normalized cache', () => {
  it('shows what licenseChanged delivers on the page that asked, state and tenant lines alike', async () => {
    const { client, change } = setup(FREE);
    const page = watch(client, Page, PAGE);
    const live = client.subscription(Changed, PAGE).subscribe(() => {});
    await tick();
    expect(page.seen.at(-1)?.license.state).toBe('FREE');

    change({
      state: 'ACTIVE',
      licensee: 'Acme Corp',
      failed: 1,
      lines: [
        { slug: 'acme', userCap: null, syncState: 'SYNCED' },
        { slug: 'globex', userCap: null, syncState: 'FAILED' },
      ],
    });
    await tick();
    live.unsubscribe();
    page.unsubscribe();
    const shown = page.seen.at(-1)!;
    expect(shown.license).toMatchObject({ state: 'ACTIVE', licensee: 'Acme Corp', sync: { failed: 1 } });
    expect(linesOf(shown)).toEqual(['acme:-:SYNCED', 'globex:-:FAILED']);
  });

  it('keeps one License for the deployment: the page’s update reaches the dashboard card too', async () => {
    const { client, change } = setup(FREE);
    const card = watch(client, Card);
    const page = watch(client, Page, PAGE);
    const live = client.subscription(Changed, PAGE).subscribe(() => {});
    await tick();
    change({ ...FREE, state: 'EXPIRING', licensee: 'Initech', failed: 2 });
    await tick();
    live.unsubscribe();
    card.unsubscribe();
    page.unsubscribe();
    expect(card.seen.at(-1)?.license).toMatchObject({
      state: 'EXPIRING',
      licensee: 'Initech',
      sync: { failed: 2 },
    });
  });

  it('shows a saved allocation in its row from the mutation’s answer, without waiting for an event', async () => {
    const { client } = setup({ ...FREE, state: 'ACTIVE', licensee: 'Acme Corp' });
    const page = watch(client, Page, PAGE);
    await tick();
    const saved = await client.mutation(Allocate, { slug: 'globex', userCap: 10, ...PAGE }).toPromise();
    expect(saved.data?.setLicenseAllocation.__typename).toBe('MutationSetLicenseAllocationSuccess');
    await tick();
    page.unsubscribe();
    expect(linesOf(page.seen.at(-1)!)).toEqual(['acme:-:SYNCED', 'globex:10:PENDING']);
  });
});
