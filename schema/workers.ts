import type { GraphQLContext, Services } from '../server/context.ts';
import type { AgentPoolRow } from '../server/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import { findLiveTenant } from '../server/domain/tenants/repository.ts';
import type { AgentPod } from '../server/domain/workers/agents.ts';
import {
  changeWorkerConfig,
  readWorkerConfig,
  type WorkerConfig,
  type WorkerConfigChange,
} from '../server/domain/workers/config.ts';
import {
  createPool,
  deletePool,
  findPool,
  listPools,
  poolAgents,
  poolTenants,
  updatePoolLabels,
} from '../server/domain/workers/pools.ts';
import {
  initSharedPool,
  rotateSharedPoolKey,
  type SharedPoolServices,
  type SharedPoolStatus,
  scaleSharedPool,
  sharedPoolStatus,
} from '../server/domain/workers/shared-pool.ts';
import type { EventBus } from '../server/events/bus.ts';
import { coalescedFeed } from '../server/events/coalesce.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { mutationErrors } from './errors.ts';
import { loadOncePerEvent } from './event-load.ts';
import { Tenant } from './tenant.ts';

/** Pod changes within this window reach pool subscribers as one update. */
const COALESCE_MS = 250;

/** The shared pool's part of the services, as its domain functions take it. */
export function sharedPoolServices(services: Services): SharedPoolServices {
  return {
    db: services.db,
    bus: services.bus,
    cluster: services.cluster,
    logger: services.logger,
    now: services.now,
    workloads: services.workloads,
    settings: {
      agentImage: services.config.workers.agentImage,
      agentKeyGraceSeconds: services.config.workers.agentKeyGraceSeconds,
    },
  };
}

const TaskWorkerMode = builder.enumType('TaskWorkerMode', {
  description: "Where a tenant's tasks run.",
  values: {
    INLINE: { value: 'inline', description: 'In the backend process (the default).' },
    AGENT: {
      value: 'agent',
      description: "On external agents: the tenant's pool, or the shared agent pool when it has none.",
    },
  } as const,
});

const LoginWorkerMode = builder.enumType('LoginWorkerMode', {
  description: "Where a tenant's post-render login scripts run.",
  values: {
    INLINE: { value: 'inline', description: 'In the backend process (the default).' },
    SHARED: { value: 'shared', description: 'In the shared login-worker deployment.' },
    DEDICATED: {
      value: 'dedicated',
      description:
        'In a login worker of its own: Deployment and Service login-worker-<slug>, made by the control plane.',
    },
  } as const,
});

const AgentPodRef = builder.objectRef<AgentPod>('AgentPod').implement({
  description: 'An agent pod, as the cluster reports it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The pod name.' }),
    phase: t.exposeString('phase', { description: 'Pending, Running, Succeeded, Failed or Unknown.' }),
    ready: t.exposeBoolean('ready', { description: 'Whether the pod is Ready: connected and taking tasks.' }),
    node: t.exposeString('node', { nullable: true, description: 'The node it runs on.' }),
    version: t.exposeString('version', { nullable: true, description: 'Its image tag.' }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it started.',
      resolve: (p) => p.startedAt,
    }),
  }),
});

export const AgentPool = builder.objectRef<AgentPoolRow>('AgentPool').implement({
  description: 'A group of external task agents; tenants assigned to it run their tasks on its agents.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Its name, a DNS-1123 label (agents carry it as justiam.io/pool).',
    }),
    labels: t.exposeStringList('labels', { description: 'What it is for (e.g. gpu, compute).' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (p) => p.created_at,
    }),
    createdBy: t.exposeString('created_by', { description: 'Who created it (AuditActor.label).' }),
    updatedAt: t.field({ type: 'DateTime', description: 'Its last change.', resolve: (p) => p.updated_at }),
    tenants: t.stringList({
      description: 'Slugs of the tenants assigned to it.',
      resolve: (p, _, ctx) => poolTenants(ctx.services.db, p.id),
    }),
    agents: t.field({
      type: [AgentPodRef],
      description:
        'Its agent pods (labelled justiam.io/pool: <name>), Ready ones connected; live through agentPoolChanged.',
      resolve: (p, _, ctx) => poolAgents(ctx.services, p.name),
    }),
  }),
});

const LoginWorker = builder.objectRef<WorkerConfig['login']>('LoginWorkerConfig').implement({
  description: "Where a tenant's login scripts run.",
  fields: (t) => ({
    mode: t.field({
      type: LoginWorkerMode,
      description: 'Inline, shared or dedicated.',
      resolve: (l) => l.mode,
    }),
    url: t.exposeString('url', {
      nullable: true,
      description: 'Where the backend reaches its login worker; null inline.',
    }),
    maxConcurrent: t.exposeInt('maxConcurrent', { description: 'Login scripts run at once (1–1000).' }),
  }),
});

const WorkerConfigRef = builder.objectRef<WorkerConfig>('TenantWorkerConfig').implement({
  description:
    'How a tenant runs tasks and login scripts. A change is applied by an operation of kind WORKERS (Tenant.operation shows its progress and last error).',
  fields: (t) => ({
    taskMode: t.field({ type: TaskWorkerMode, description: 'Inline or agent.', resolve: (c) => c.taskMode }),
    concurrency: t.exposeInt('concurrency', { description: 'Tasks run at once (1–1000).' }),
    loginWorker: t.field({ type: LoginWorker, description: 'The login worker.', resolve: (c) => c.login }),
    pool: t.field({
      type: AgentPool,
      nullable: true,
      description: 'The assigned agent pool; null: none (agent mode then uses the shared agent pool).',
      resolve: (c, _, ctx) => (c.pool ? findPool(ctx.services.db, c.pool).then((p) => p ?? null) : null),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last change; null: the defaults.',
      resolve: (c) => c.updatedAt,
    }),
    updatedBy: t.exposeString('updatedBy', { nullable: true, description: 'Who made the last change.' }),
  }),
});

builder.objectField(Tenant, 'workerConfig', (t) =>
  t.field({
    type: WorkerConfigRef,
    description: 'Worker settings as they should be (the defaults until changed).',
    resolve: (tenant, _, ctx) => readWorkerConfig(ctx.services.db, tenant.id),
  }),
);

const SharedAgentPool = builder.objectRef<SharedPoolStatus>('SharedAgentPool').implement({
  description:
    'The shared agent pool (Deployment agent-shared, Secret agent-shared-hmac) for tenants without a pool of their own.',
  fields: (t) => ({
    initialized: t.exposeBoolean('initialized', {
      description: 'Whether it exists; createSharedAgentPool makes it.',
    }),
    replicas: t.exposeInt('replicas', { description: 'Agents wanted.' }),
    readyReplicas: t.exposeInt('readyReplicas', { description: 'Agents ready.' }),
    image: t.exposeString('image', { nullable: true, description: 'The agents’ image.' }),
    version: t.exposeString('version', { nullable: true, description: 'Its tag.' }),
    keyId: t.exposeString('keyId', {
      nullable: true,
      description: 'Id of the current registration key (never the key).',
    }),
    keyCreatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the current key was made.',
      resolve: (s) => s.keyCreatedAt,
    }),
    previousKeyId: t.exposeString('previousKeyId', {
      nullable: true,
      description: 'Id of the previous key while it stays valid.',
    }),
    previousKeyExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the previous key stops being valid (then the leader removes it).',
      resolve: (s) => s.previousKeyExpiresAt,
    }),
    tenants: t.exposeStringList('tenants', {
      description: 'Tenants in agent mode without a pool of their own.',
    }),
    agents: t.field({ type: [AgentPodRef], description: 'Its agent pods.', resolve: (s) => s.agents }),
  }),
});

const poolCursor = keysetCursor<AgentPoolRow, string>(
  'agent pool list',
  (row) => row.name,
  (value) => (typeof value === 'string' ? value : undefined),
);

builder.queryField('agentPools', (t) =>
  t.connection(
    {
      type: AgentPool,
      description: 'Agent pools by name. Any signed-in operator.',
      resolve: (_, args, ctx) =>
        keysetConnection(args, poolCursor, ({ after, before, limit, inverted }) =>
          listPools(ctx.services.db, { after, before, limit, descending: inverted }),
        ),
    },
    { description: 'A page of agent pools, by name.' },
    { description: 'An agent pool and its cursor.' },
  ),
);

builder.queryField('agentPool', (t) =>
  t.field({
    type: AgentPool,
    nullable: true,
    description: 'An agent pool by name; null when none has it. Any signed-in operator.',
    args: { name: t.arg.string({ required: true, description: 'The pool name.' }) },
    resolve: (_, { name }, ctx) => findPool(ctx.services.db, name).then((p) => p ?? null),
  }),
);

builder.queryField('sharedAgentPool', (t) =>
  t.field({
    type: SharedAgentPool,
    description: 'The shared agent pool, initialized or not. Any signed-in operator.',
    resolve: (_, __, ctx) => sharedPoolStatus(sharedPoolServices(ctx.services)),
  }),
);

const CreateAgentPoolInput = builder.inputType('CreateAgentPoolInput', {
  description: 'A new agent pool.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'A DNS-1123 label, unique.' }),
    labels: t.stringList({ description: 'Up to 20 distinct labels of the same form.' }),
  }),
});

builder.mutationField('createAgentPool', (t) =>
  t.field({
    type: AgentPool,
    description:
      'Creates an agent pool. ConflictError POOL_EXISTS for a name taken. Admin role. Audited (pool.created).',
    args: { input: t.arg({ type: CreateAgentPoolInput, required: true, description: 'The pool.' }) },
    errors: mutationErrors([ValidationError, ConflictError], 'The new pool.'),
    resolve: (_, { input }, ctx) =>
      createPool(ctx.services, ctx, { name: input.name, labels: input.labels ?? null }),
  }),
);

builder.mutationField('updateAgentPool', (t) =>
  t.field({
    type: AgentPool,
    description: "Replaces an agent pool's labels. Admin role. Audited (pool.updated).",
    args: {
      name: t.arg.string({ required: true, description: 'The pool name.' }),
      labels: t.arg.stringList({ required: true, description: 'Its labels from now on.' }),
    },
    errors: mutationErrors([ValidationError, NotFoundError], 'The pool after the change.'),
    resolve: (_, { name, labels }, ctx) => updatePoolLabels(ctx.services, ctx, name, labels),
  }),
);

builder.mutationField('deleteAgentPool', (t) =>
  t.field({
    type: AgentPool,
    description:
      'Deletes an agent pool; ConflictError POOL_IN_USE while tenants are assigned to it. Admin role. Audited (pool.deleted).',
    args: { name: t.arg.string({ required: true, description: 'The pool name.' }) },
    errors: mutationErrors([NotFoundError, ConflictError], 'The pool as it was.'),
    resolve: (_, { name }, ctx) => deletePool(ctx.services, ctx, name),
  }),
);

builder.mutationField('createSharedAgentPool', (t) =>
  t.field({
    type: SharedAgentPool,
    description:
      'Creates the shared agent pool: Secret agent-shared-hmac (a random 256-bit key with an id) and Deployment agent-shared reading it. Idempotent: a second call answers the pool as it is. Admin role. Audited (pool.shared.initialized).',
    errors: mutationErrors([], 'The shared agent pool.'),
    resolve: (_, __, ctx) => initSharedPool(sharedPoolServices(ctx.services), ctx),
  }),
);

builder.mutationField('scaleSharedAgentPool', (t) =>
  t.field({
    type: SharedAgentPool,
    description:
      'Sets the number of shared agents (0–100). ConflictError SHARED_POOL_NOT_INITIALIZED before createSharedAgentPool. Admin role. Audited (pool.shared.scaled).',
    args: { replicas: t.arg.int({ required: true, description: 'Agents wanted, 0–100.' }) },
    errors: mutationErrors([ValidationError, ConflictError], 'The shared agent pool.'),
    resolve: (_, { replicas }, ctx) => scaleSharedPool(sharedPoolServices(ctx.services), ctx, replicas),
  }),
);

builder.mutationField('rotateSharedAgentPoolKey', (t) =>
  t.field({
    type: SharedAgentPool,
    description:
      'Makes a new registration key current; the previous one stays valid for AGENT_KEY_GRACE_SECONDS, then the leader removes it. The agents roll onto the new key. Admin role. Audited (pool.shared.key_rotated; never the key).',
    errors: mutationErrors([ConflictError], 'The shared agent pool.'),
    resolve: (_, __, ctx) => rotateSharedPoolKey(sharedPoolServices(ctx.services), ctx),
  }),
);

/** Runs a worker-settings change and answers the tenant as it is now (its WORKERS operation included). */
async function changed(ctx: GraphQLContext, slug: string, change: WorkerConfigChange) {
  await changeWorkerConfig(
    { tenants: ctx.services.tenants, runner: ctx.services.runner, config: ctx.services.config },
    ctx,
    slug,
    change,
  );
  return (await findLiveTenant(ctx.services.db, slug))!;
}

const workerErrors = (what: string) =>
  mutationErrors(
    [ValidationError, NotFoundError, ConflictError],
    `The tenant, with the operation applying ${what}.`,
  );

builder.mutationField('setTenantWorkerMode', (t) =>
  t.field({
    type: Tenant,
    description:
      "Sets where a tenant's tasks run. AGENT needs a pool: the tenant's, or the shared agent pool (ConflictError NO_AGENT_POOL names both fixes). Applied by an operation of kind WORKERS. Admin role. Audited (tenant.workers.updated).",
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      mode: t.arg({ type: TaskWorkerMode, required: true, description: 'Inline or agent.' }),
    },
    errors: workerErrors('the mode'),
    resolve: (_, { slug, mode }, ctx) => changed(ctx, slug, { taskMode: mode }),
  }),
);

builder.mutationField('setTenantConcurrency', (t) =>
  t.field({
    type: Tenant,
    description:
      "Sets how many of a tenant's tasks run at once (1–1000). Admin role. Audited (tenant.workers.updated).",
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      limit: t.arg.int({ required: true, description: 'Tasks at once, 1–1000.' }),
    },
    errors: workerErrors('the limit'),
    resolve: (_, { slug, limit }, ctx) => changed(ctx, slug, { concurrency: limit }),
  }),
);

const LoginWorkerInput = builder.inputType('LoginWorkerInput', {
  description: "Where a tenant's login scripts run.",
  fields: (t) => ({
    mode: t.field({ type: LoginWorkerMode, required: true, description: 'Inline, shared or dedicated.' }),
    url: t.string({
      description:
        'SHARED only: the login worker to use (http or https); left out, the shared login-worker service from SHARED_LOGIN_WORKER_URL.',
    }),
    maxConcurrent: t.int({ description: 'Login scripts at once, 1–1000 (default 5).' }),
  }),
});

builder.mutationField('setTenantLoginWorker', (t) =>
  t.field({
    type: Tenant,
    description:
      "Sets a tenant's login worker. DEDICATED makes Deployment and Service login-worker-<slug> (reading the tenant's login-worker token from its Secret); leaving DEDICATED removes them. Applied by an operation of kind WORKERS. Admin role. Audited (tenant.workers.updated).",
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      input: t.arg({ type: LoginWorkerInput, required: true, description: 'The login worker.' }),
    },
    errors: workerErrors('the login worker'),
    resolve: (_, { slug, input }, ctx) =>
      changed(ctx, slug, {
        login: { mode: input.mode, url: input.url ?? null, maxConcurrent: input.maxConcurrent ?? null },
      }),
  }),
);

builder.mutationField('setTenantPool', (t) =>
  t.field({
    type: Tenant,
    description:
      'Assigns a tenant to an agent pool, or with pool: null unassigns it (NotFoundError POOL_NOT_FOUND for an unknown pool). Applied by an operation of kind WORKERS. Admin role. Audited (tenant.workers.updated).',
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      pool: t.arg.string({ description: 'The pool name; null or left out unassigns.' }),
    },
    errors: workerErrors('the assignment'),
    resolve: (_, { slug, pool }, ctx) => changed(ctx, slug, { pool: pool ?? null }),
  }),
);

const feeds = new WeakMap<EventBus, Record<string, ReturnType<typeof coalescedFeed>>>();
function feedOf(bus: EventBus, name: 'pool' | 'shared') {
  let byName = feeds.get(bus);
  if (!byName) {
    byName = {
      pool: coalescedFeed(bus, ['pool.changed', 'cluster.changed', 'tenant.updated'], COALESCE_MS),
      shared: coalescedFeed(
        bus,
        ['shared-agent-pool.changed', 'cluster.changed', 'tenant.updated'],
        COALESCE_MS,
      ),
    };
    feeds.set(bus, byName);
  }
  return byName[name]!;
}

builder.subscriptionField('agentPoolChanged', (t) =>
  t.field({
    type: AgentPool,
    nullable: true,
    description: `An agent pool again when it, its tenants or agent pods change (changes within ${COALESCE_MS} ms come as one update); null once it is deleted. Any signed-in operator.`,
    args: { name: t.arg.string({ required: true, description: 'The pool name.' }) },
    subscribe: (_, __, ctx) => feedOf(ctx.services.bus, 'pool').subscribe(),
    // Per subscriber: each follows a pool of its own choosing.
    resolve: (_tick, { name }, ctx) => findPool(ctx.services.db, name).then((p) => p ?? null),
  }),
);

builder.subscriptionField('sharedAgentPoolChanged', (t) =>
  t.field({
    type: SharedAgentPool,
    description: `The shared agent pool again when it or its agent pods change (changes within ${COALESCE_MS} ms come as one update). Any signed-in operator.`,
    subscribe: (_, __, ctx) => feedOf(ctx.services.bus, 'shared').subscribe(),
    resolve: (tick, _, ctx) =>
      loadOncePerEvent(tick, () => sharedPoolStatus(sharedPoolServices(ctx.services))),
  }),
);
