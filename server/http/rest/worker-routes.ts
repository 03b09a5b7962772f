import { z } from 'zod';
import { mutation } from './documents.ts';
import { route } from './route.ts';

/**
 * REST routes of worker configuration, agent pools and the shared agent pool (spec: "Worker
 * configuration", "Agent pools", "Shared agent pool"), bodies as the spec writes them.
 */

const WORKER_CONFIG = `taskMode concurrency loginWorker { mode url maxConcurrent } pool { name } updatedAt updatedBy`;
const OPERATION = `operation { id kind state currentStep attempts lastError nextAttemptAt steps { name state error } }`;
const TENANT_WORKERS = `slug workerConfig { ${WORKER_CONFIG} } ${OPERATION}`;
const AGENT = `name phase ready node version startedAt`;
const POOL = `name labels createdAt createdBy updatedAt tenants agents { ${AGENT} }`;
const SHARED = `initialized replicas readyReplicas image version keyId keyCreatedAt previousKeyId previousKeyExpiresAt tenants agents { ${AGENT} }`;

const int = (min: number, max: number) =>
  z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

/** The tenant's worker settings and the operation applying them, as `GET …/worker-config` answers. */
const workersOf = (value: unknown) => {
  const { workerConfig, operation } = value as { workerConfig: Record<string, unknown>; operation: unknown };
  return { ...workerConfig, operation };
};

const tenantMutation = (name: string, field: string, params: string, args: string) =>
  mutation(name, field, TENANT_WORKERS, `$slug: String!, ${params}`, `slug: $slug, ${args}`);

export const workerRoutes = [
  route({
    method: 'GET',
    path: '/tenants/:slug/worker-config',
    summary:
      "A tenant's worker settings (task worker mode, concurrency, login worker, pool) and the operation applying them",
    tag: 'workers',
    document: `query Rest_TenantWorkerConfig($slug: String!) { tenant(slug: $slug) { ${TENANT_WORKERS} } }`,
    field: 'tenant',
    variables: ({ params }) => ({ slug: params.slug }),
    respond: workersOf,
  }),
  route({
    method: 'PUT',
    path: '/tenants/:slug/worker-mode',
    summary: 'Set where the tenant’s tasks run: {"mode": "inline" | "agent"}',
    tag: 'workers',
    body: z.object({ mode: z.enum(['inline', 'agent'], { message: 'must be inline or agent' }) }).strict(),
    document: tenantMutation(
      'Rest_SetTenantWorkerMode',
      'setTenantWorkerMode',
      '$mode: TaskWorkerMode!',
      'mode: $mode',
    ),
    field: 'setTenantWorkerMode',
    variables: ({ params, body }) => ({ slug: params.slug, mode: body.mode?.toUpperCase() }),
    respond: workersOf,
  }),
  route({
    method: 'PUT',
    path: '/tenants/:slug/concurrency',
    summary: 'Set how many of the tenant’s tasks run at once: {"limit": 1–1000}',
    tag: 'workers',
    body: z.object({ limit: int(1, 1000) }).strict(),
    document: tenantMutation(
      'Rest_SetTenantConcurrency',
      'setTenantConcurrency',
      '$limit: Int!',
      'limit: $limit',
    ),
    field: 'setTenantConcurrency',
    variables: ({ params, body }) => ({ slug: params.slug, limit: body.limit }),
    respond: workersOf,
  }),
  route({
    method: 'PUT',
    path: '/tenants/:slug/login-worker',
    summary:
      'Set the tenant’s login worker: {"mode": "inline" | "shared" | "dedicated", "url"?, "max_concurrent"?}',
    tag: 'workers',
    body: z
      .object({
        mode: z.enum(['inline', 'shared', 'dedicated'], { message: 'must be inline, shared or dedicated' }),
        url: z.string().max(2048).nullish(),
        max_concurrent: int(1, 1000).nullish(),
      })
      .strict(),
    document: tenantMutation(
      'Rest_SetTenantLoginWorker',
      'setTenantLoginWorker',
      '$input: LoginWorkerInput!',
      'input: $input',
    ),
    field: 'setTenantLoginWorker',
    variables: ({ params, body }) => ({
      slug: params.slug,
      input: {
        mode: body.mode?.toUpperCase(),
        url: body.url ?? null,
        maxConcurrent: body.max_concurrent ?? null,
      },
    }),
    respond: workersOf,
  }),
  route({
    method: 'PUT',
    path: '/tenants/:slug/pool',
    summary: 'Assign the tenant to an agent pool: {"pool": "<name>"}, or {"pool": null} to unassign',
    tag: 'workers',
    body: z
      .object({ pool: z.string({ message: 'must be a pool name or null' }).max(63).nullable() })
      .strict(),
    document: tenantMutation('Rest_SetTenantPool', 'setTenantPool', '$pool: String', 'pool: $pool'),
    field: 'setTenantPool',
    variables: ({ params, body }) => ({ slug: params.slug, pool: body.pool }),
    respond: workersOf,
  }),
  route({
    method: 'POST',
    path: '/pools',
    summary: 'Create an agent pool: {"name": "compute-heavy", "labels": ["gpu", "compute"]}',
    tag: 'pools',
    body: z
      .object({
        name: z
          .string({ message: 'is required and must be a string' })
          .max(63, 'must be at most 63 characters'),
        labels: z.array(z.string().max(63)).max(20).nullish(),
      })
      .strict(),
    document: mutation(
      'Rest_CreateAgentPool',
      'createAgentPool',
      POOL,
      '$input: CreateAgentPoolInput!',
      'input: $input',
    ),
    field: 'createAgentPool',
    variables: ({ body }) => ({ input: { name: body.name, labels: body.labels ?? null } }),
    status: 201,
  }),
  route({
    method: 'GET',
    path: '/pools',
    summary: 'List agent pools by name, with their tenants and agents',
    tag: 'pools',
    query: z
      .object({
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(500).optional(),
      })
      .strict(),
    document: `query Rest_AgentPools($first: Int, $after: String) {
      agentPools(first: $first, after: $after) { edges { node { ${POOL} } } pageInfo { hasNextPage endCursor } }
    }`,
    field: 'agentPools',
    variables: ({ query }) => ({ first: query.first, after: query.after }),
    respond: (value) => {
      const connection = value as { edges: { node: unknown }[]; pageInfo: unknown };
      return { pools: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
    },
  }),
  route({
    method: 'GET',
    path: '/pools/:pool',
    summary: 'An agent pool with its tenants and connected agents',
    tag: 'pools',
    document: `query Rest_AgentPool($name: String!) { agentPool(name: $name) { ${POOL} } }`,
    field: 'agentPool',
    variables: ({ params }) => ({ name: params.pool }),
  }),
  route({
    method: 'PUT',
    path: '/pools/:pool',
    summary: 'Replace an agent pool’s labels: {"labels": [...]}',
    tag: 'pools',
    body: z
      .object({ labels: z.array(z.string().max(63), { message: 'must be a list of labels' }).max(20) })
      .strict(),
    document: mutation(
      'Rest_UpdateAgentPool',
      'updateAgentPool',
      POOL,
      '$name: String!, $labels: [String!]!',
      'name: $name, labels: $labels',
    ),
    field: 'updateAgentPool',
    variables: ({ params, body }) => ({ name: params.pool, labels: body.labels }),
  }),
  route({
    method: 'DELETE',
    path: '/pools/:pool',
    summary: 'Delete an agent pool (409 while tenants are assigned to it)',
    tag: 'pools',
    document: mutation(
      'Rest_DeleteAgentPool',
      'deleteAgentPool',
      POOL,
      '$name: String!',
      'name: $name',
      false,
    ),
    field: 'deleteAgentPool',
    variables: ({ params }) => ({ name: params.pool }),
  }),
  route({
    method: 'GET',
    path: '/shared-agent-pool',
    summary:
      'The shared agent pool: replicas wanted and ready, key id and age, previous key’s expiry, image, tenants, agents',
    tag: 'pools',
    document: `query Rest_SharedAgentPool { sharedAgentPool { ${SHARED} } }`,
    field: 'sharedAgentPool',
    variables: () => ({}),
  }),
  route({
    method: 'POST',
    path: '/shared-agent-pool/init',
    summary:
      'Create the shared agent pool (HMAC Secret and Deployment); a second call answers the existing pool',
    tag: 'pools',
    document: mutation('Rest_CreateSharedAgentPool', 'createSharedAgentPool', SHARED, '', '', false),
    field: 'createSharedAgentPool',
    variables: () => ({}),
  }),
  route({
    method: 'POST',
    path: '/shared-agent-pool/scale',
    summary: 'Scale the shared agent pool: {"replicas": 0–100}',
    tag: 'pools',
    body: z.object({ replicas: int(0, 100) }).strict(),
    document: mutation(
      'Rest_ScaleSharedAgentPool',
      'scaleSharedAgentPool',
      SHARED,
      '$replicas: Int!',
      'replicas: $replicas',
    ),
    field: 'scaleSharedAgentPool',
    variables: ({ body }) => ({ replicas: body.replicas }),
  }),
  route({
    method: 'POST',
    path: '/shared-agent-pool/rotate-key',
    summary:
      'Rotate the shared agent pool’s registration key (the previous one stays valid for a grace period)',
    tag: 'pools',
    document: mutation('Rest_RotateSharedAgentPoolKey', 'rotateSharedAgentPoolKey', SHARED, '', '', false),
    field: 'rotateSharedAgentPoolKey',
    variables: () => ({}),
  }),
];
