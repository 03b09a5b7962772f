import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type Exchange, gql, makeResult, type Operation, type OperationResult } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { filter, makeSubject, map, merge, onPush, pipe } from 'wonka';
import { cacheConfig } from '../../../client/src/graphql/cache.ts';

// The shapes the Pools pages and the Workers tab ask for, written out so the test reads on its own.
const POOL = `
  name
  labels
  tenants
  agents {
    name
    ready
  }
`;

const List = gql`
  query List($first: Int!) {
    agentPools(first: $first) {
      edges {
        node {
          ${POOL}
        }
      }
    }
  }
`;

const One = gql`
  query One($name: String!) {
    agentPool(name: $name) {
      ${POOL}
    }
  }
`;

const PoolChanged = gql`
  subscription PoolChanged($name: String!) {
    agentPoolChanged(name: $name) {
      ${POOL}
    }
  }
`;

const Create = gql`
  mutation Create($input: CreateAgentPoolInput!) {
    createAgentPool(input: $input) {
      __typename
      ... on MutationCreateAgentPoolSuccess {
        data {
          ${POOL}
        }
      }
    }
  }
`;

const Delete = gql`
  mutation Delete($name: String!) {
    deleteAgentPool(name: $name) {
      __typename
      ... on MutationDeleteAgentPoolSuccess {
        data {
          name
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

const SHARED = `
  initialized
  replicas
  readyReplicas
  agents {
    name
    ready
  }
`;

const Shared = gql`
  query Shared {
    sharedAgentPool {
      ${SHARED}
    }
  }
`;

const SharedChanged = gql`
  subscription SharedChanged {
    sharedAgentPoolChanged {
      ${SHARED}
    }
  }
`;

const Scale = gql`
  mutation Scale($replicas: Int!) {
    scaleSharedAgentPool(replicas: $replicas) {
      __typename
      ... on MutationScaleSharedAgentPoolSuccess {
        data {
          ${SHARED}
        }
      }
    }
  }
`;

const WORKERS = `
  id
  workerConfig {
    taskMode
    loginWorker {
      mode
      maxConcurrent
    }
    pool {
      name
      labels
    }
  }
  operation {
    id
    kind
    state
  }
`;

const TenantWorkers = gql`
  query TenantWorkers($slug: String!) {
    tenant(slug: $slug) {
      ${WORKERS}
    }
  }
`;

const SetMode = gql`
  mutation SetMode($slug: String!, $mode: TaskWorkerMode!) {
    setTenantWorkerMode(slug: $slug, mode: $mode) {
      __typename
      ... on MutationSetTenantWorkerModeSuccess {
        data {
          ${WORKERS}
        }
      }
    }
  }
`;

type Pool = { name: string; labels: string[]; tenants: string[]; agents: { name: string; ready: boolean }[] };
type SharedPool = { initialized: boolean; replicas: number; readyReplicas: number; agents: Pool['agents'] };

const poolOf = (p: Pool) => ({
  __typename: 'AgentPool',
  ...p,
  agents: p.agents.map((a) => ({ __typename: 'AgentPod', ...a })),
});
const sharedOf = (s: SharedPool) => ({
  __typename: 'SharedAgentPool',
  ...s,
  agents: s.agents.map((a) => ({ __typename: 'AgentPod', ...a })),
});

/**
 * A fake API over pools, the shared pool and one tenant, answering by operation name and counting
 * list requests; `push` delivers a subscription event to whoever subscribed to that field.
 */
function setup(initial: { pools: Pool[]; shared?: SharedPool }) {
  const state = {
    pools: [...initial.pools],
    shared: initial.shared ?? { initialized: true, replicas: 2, readyReplicas: 2, agents: [] },
    tenant: {
      taskMode: 'INLINE',
      pool: null as string | null,
      operation: { id: 'op-create', kind: 'CREATE' },
    },
    listRequests: 0,
  };
  const subscriptions = new Map<string, Operation>();
  const pushes = makeSubject<OperationResult>();
  const tenant = () => ({
    __typename: 'Tenant',
    id: 't-1',
    workerConfig: {
      __typename: 'TenantWorkerConfig',
      taskMode: state.tenant.taskMode,
      loginWorker: { __typename: 'LoginWorkerConfig', mode: 'INLINE', maxConcurrent: 5 },
      pool: state.tenant.pool ? poolOf(state.pools.find((p) => p.name === state.tenant.pool)!) : null,
    },
    operation: { __typename: 'TenantOperation', state: 'RUNNING', ...state.tenant.operation },
  });
  const respond = (op: Operation) => {
    const vars = op.variables as Record<string, unknown>;
    const sorted = () => [...state.pools].sort((a, b) => a.name.localeCompare(b.name));
    switch (
      op.query.definitions[0]?.kind === 'OperationDefinition' ? op.query.definitions[0].name?.value : ''
    ) {
      case 'List':
        state.listRequests++;
        return {
          agentPools: {
            __typename: 'QueryAgentPoolsConnection',
            edges: sorted().map((p) => ({ __typename: 'QueryAgentPoolsConnectionEdge', node: poolOf(p) })),
          },
        };
      case 'One': {
        const found = state.pools.find((p) => p.name === vars.name);
        return { agentPool: found ? poolOf(found) : null };
      }
      case 'Create': {
        const { name, labels } = vars.input as { name: string; labels: string[] };
        const created = { name, labels, tenants: [], agents: [] };
        state.pools.push(created);
        return { createAgentPool: { __typename: 'MutationCreateAgentPoolSuccess', data: poolOf(created) } };
      }
      case 'Delete': {
        const found = state.pools.find((p) => p.name === vars.name)!;
        if (found.tenants.length > 0)
          return {
            deleteAgentPool: { __typename: 'ConflictError', code: 'POOL_IN_USE', message: 'in use' },
          };
        state.pools = state.pools.filter((p) => p !== found);
        return {
          deleteAgentPool: {
            __typename: 'MutationDeleteAgentPoolSuccess',
            data: { __typename: 'AgentPool', name: found.name },
          },
        };
      }
      case 'Shared':
        return { sharedAgentPool: sharedOf(state.shared) };
      case 'Scale':
        state.shared = { ...state.shared, replicas: vars.replicas as number };
        return {
          scaleSharedAgentPool: {
            __typename: 'MutationScaleSharedAgentPoolSuccess',
            data: sharedOf(state.shared),
          },
        };
      case 'TenantWorkers':
        return { tenant: tenant() };
      case 'SetMode':
        state.tenant = {
          ...state.tenant,
          taskMode: vars.mode as string,
          operation: { id: 'op-workers', kind: 'WORKERS' },
        };
        return { setTenantWorkerMode: { __typename: 'MutationSetTenantWorkerModeSuccess', data: tenant() } };
      default:
        throw new Error('the fake API does not know this operation');
    }
  };
  const exchange: Exchange = () => (ops$) =>
    merge([
      pipe(
        ops$,
        onPush((op) => {
          const field =
            op.query.definitions[0]?.kind === 'OperationDefinition' ? op.query.definitions[0] : null;
          if (op.kind === 'subscription' && field)
            subscriptions.set(
              (field.selectionSet.selections[0] as { name: { value: string } }).name.value,
              op,
            );
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
    state,
    /** The subscription to `field` receives `data`. */
    push(field: string, data: unknown) {
      const op = subscriptions.get(field);
      if (!op) throw new Error(`nothing subscribed to ${field}`);
      pushes.next(makeResult(op, { data: { [field]: data } }));
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Follows a query, recording each result it shows. */
function watch<T>(client: Client, query: Parameters<Client['query']>[0], variables: object = {}) {
  const seen: T[] = [];
  const { unsubscribe } = client
    .query(query, variables, { requestPolicy: 'cache-and-network' })
    .subscribe((result) => {
      if (result.data) seen.push(result.data as T);
    });
  return { seen, last: () => seen.at(-1)!, unsubscribe };
}

type ListData = { agentPools: { edges: { node: Pool }[] } };
const names = (data: ListData) => data.agentPools.edges.map((e) => e.node.name);
const gpu: Pool = { name: 'gpu', labels: ['gpu'], tenants: [], agents: [] };
const spot: Pool = {
  name: 'spot',
  labels: [],
  tenants: ['acme'],
  agents: [{ name: 'agent-0', ready: true }],
};

describe('agent pools in the normalized cache', () => {
  it('keeps one pool per name: agentPoolChanged updates the list row and the tenant that uses it', async () => {
    const { client, state, push } = setup({ pools: [gpu, spot] });
    state.tenant.pool = 'gpu';
    const list = watch<ListData>(client, List, { first: 100 });
    const tenant = watch<{ tenant: { workerConfig: { pool: Pool } } }>(client, TenantWorkers, {
      slug: 'acme',
    });
    const live = client.subscription(PoolChanged, { name: 'gpu' }).subscribe(() => {});
    await tick();
    const agents = [
      { name: 'agent-gpu-0', ready: true },
      { name: 'agent-gpu-1', ready: false },
    ];
    push('agentPoolChanged', poolOf({ ...gpu, labels: ['gpu', 'a100'], tenants: ['acme'], agents }));
    await tick();
    live.unsubscribe();
    list.unsubscribe();
    tenant.unsubscribe();
    expect(list.last().agentPools.edges[0]!.node).toMatchObject({
      labels: ['gpu', 'a100'],
      tenants: ['acme'],
      agents,
    });
    expect(tenant.last().tenant.workerConfig.pool.labels).toEqual(['gpu', 'a100']);
  });

  it('fetches the lists again after a pool is created, so it shows in its place', async () => {
    const { client, state } = setup({ pools: [spot] });
    const list = watch<ListData>(client, List, { first: 100 });
    await tick();
    const requests = state.listRequests;
    await client.mutation(Create, { input: { name: 'gpu', labels: [] } }).toPromise();
    await tick();
    list.unsubscribe();
    expect(state.listRequests).toBe(requests + 1);
    expect(names(list.last())).toEqual(['gpu', 'spot']);
  });

  it('drops a deleted pool from the lists and its page, but keeps one the API refused to delete', async () => {
    const { client } = setup({ pools: [gpu, spot] });
    const list = watch<ListData>(client, List, { first: 100 });
    const page = watch<{ agentPool: Pool | null }>(client, One, { name: 'gpu' });
    await tick();
    const refused = await client.mutation(Delete, { name: 'spot' }).toPromise();
    expect(refused.data?.deleteAgentPool.code).toBe('POOL_IN_USE');
    await client.mutation(Delete, { name: 'gpu' }).toPromise();
    await tick();
    list.unsubscribe();
    page.unsubscribe();
    expect(names(list.last())).toEqual(['spot']);
    expect(page.last().agentPool).toBeNull();
  });

  it('drops a pool someone else deleted when agentPoolChanged answers null', async () => {
    const { client, state, push } = setup({ pools: [gpu, spot] });
    const list = watch<ListData>(client, List, { first: 100 });
    const live = client.subscription(PoolChanged, { name: 'gpu' }).subscribe(() => {});
    await tick();
    state.pools = [spot];
    push('agentPoolChanged', null);
    await tick();
    live.unsubscribe();
    list.unsubscribe();
    expect(names(list.last())).toEqual(['spot']);
  });
});

describe('the shared agent pool in the normalized cache', () => {
  it('is one per deployment: its subscription and a scale answer replace what the page shows', async () => {
    const { client, push } = setup({ pools: [] });
    const page = watch<{ sharedAgentPool: SharedPool }>(client, Shared);
    const live = client.subscription(SharedChanged, {}).subscribe(() => {});
    await tick();
    await client.mutation(Scale, { replicas: 3 }).toPromise();
    await tick();
    expect(page.last().sharedAgentPool).toMatchObject({ replicas: 3, readyReplicas: 2 });
    const agents = ['a', 'b', 'c'].map((name) => ({ name, ready: true }));
    push('sharedAgentPoolChanged', sharedOf({ initialized: true, replicas: 3, readyReplicas: 3, agents }));
    await tick();
    live.unsubscribe();
    page.unsubscribe();
    expect(page.last().sharedAgentPool).toMatchObject({ replicas: 3, readyReplicas: 3, agents });
  });
});

describe("a tenant's worker settings in the normalized cache", () => {
  it('shows a change and the operation applying it from the mutation’s answer, on the tenant’s record', async () => {
    const { client } = setup({ pools: [] });
    type Shown = { tenant: { workerConfig: { taskMode: string }; operation: { id: string; kind: string } } };
    const page = watch<Shown>(client, TenantWorkers, { slug: 'acme' });
    await tick();
    expect(page.last().tenant.operation.kind).toBe('CREATE');
    await client.mutation(SetMode, { slug: 'acme', mode: 'AGENT' }).toPromise();
    await tick();
    page.unsubscribe();
    expect(page.last().tenant.workerConfig.taskMode).toBe('AGENT');
    expect(page.last().tenant.operation).toMatchObject({ id: 'op-workers', kind: 'WORKERS' });
  });
});

describe('cache keys', () => {
  it('has a key (or embeds) every object type without an id, so graphcache never guesses', () => {
    const schema = buildSchema(
      readFileSync(join(import.meta.dirname, '../../../schema/schema.graphql'), 'utf8'),
    );
    const keys = cacheConfig.keys ?? {};
    const missing = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter(
        (type) => !type.name.startsWith('__') && !['Query', 'Mutation', 'Subscription'].includes(type.name),
      )
      .filter((type) => !('id' in type.getFields()) && !(type.name in keys))
      .map((type) => type.name);
    expect(missing).toEqual([]);
  });
});
