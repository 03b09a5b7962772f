import { filter, pipe } from 'graphql-yoga';
import type {
  OperationStep,
  TenantOperationRow,
  TenantRow,
  TenantState as TenantStateValue,
} from '../server/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import { createTenant, deleteTenant } from '../server/domain/tenants/operations/lifecycle.ts';
import {
  findLiveTenant,
  getOperation,
  getTenantsById,
  latestOperations,
  listTenants,
  type TenantKey,
} from '../server/domain/tenants/repository.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { freshLoadersPerEvent, loadOncePerEvent } from './event-load.ts';

export const TenantState = builder.enumType('TenantState', {
  values: {
    PROVISIONING: { value: 'provisioning' },
    ACTIVE: { value: 'active' },
    DELETING: { value: 'deleting' },
    DELETED: { value: 'deleted' },
  } as const,
});

const OperationKind = builder.enumType('TenantOperationKind', {
  values: { CREATE: { value: 'create' }, DELETE: { value: 'delete' } } as const,
});
const OperationState = builder.enumType('TenantOperationState', {
  values: {
    RUNNING: { value: 'running' },
    SUCCEEDED: { value: 'succeeded' },
    FAILED: { value: 'failed' },
    CANCELLED: { value: 'cancelled' },
  } as const,
});
const StepState = builder.enumType('TenantOperationStepState', {
  values: {
    PENDING: { value: 'pending' },
    RUNNING: { value: 'running' },
    DONE: { value: 'done' },
    FAILED: { value: 'failed' },
  } as const,
});

const OperationStepRef = builder.objectRef<OperationStep>('TenantOperationStep').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    state: t.field({ type: StepState, resolve: (s) => s.state }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (s) => (s.startedAt ? new Date(s.startedAt) : null),
    }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (s) => (s.finishedAt ? new Date(s.finishedAt) : null),
    }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

export const TenantOperation = builder.loadableNode('TenantOperation', {
  description:
    'A create or delete of a tenant, step by step. Resumed after a crash from the first unfinished step.',
  id: { resolve: (op: TenantOperationRow) => op.id },
  load: async (ids: string[], ctx) =>
    Promise.all(ids.map(async (id) => (await getOperation(ctx.services.db, id)) ?? null)),
  fields: (t) => ({
    kind: t.field({ type: OperationKind, resolve: (op) => op.kind }),
    state: t.field({ type: OperationState, resolve: (op) => op.state }),
    steps: t.field({ type: [OperationStepRef], resolve: (op) => op.steps }),
    currentStep: t.string({
      nullable: true,
      description: 'The first step not yet done, or null when the operation has ended.',
      resolve: (op) =>
        op.state === 'running' ? (op.steps.find((s) => s.state !== 'done')?.name ?? null) : null,
    }),
    attempts: t.exposeInt('attempts', {
      description: 'Failed attempts so far; the operation retries with backoff.',
    }),
    lastError: t.exposeString('last_error', { nullable: true }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (op) => (op.state === 'running' && op.attempts > 0 ? op.next_attempt_at : null),
    }),
    requestedBy: t.exposeString('actor_label'),
    createdAt: t.field({ type: 'DateTime', resolve: (op) => op.created_at }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (op) => op.finished_at }),
  }),
});

const TenantOverview = builder.objectRef<TenantRow>('TenantOverview').implement({
  description: 'What the status poller last saw of the tenant backend.',
  fields: (t) => ({
    status: t.exposeString('status', {
      description: 'ok, degraded, unreachable, or unknown before the first poll',
    }),
    statusError: t.exposeString('status_error', { nullable: true }),
    backendVersion: t.exposeString('backend_version', { nullable: true }),
    users: t.exposeInt('users', { nullable: true }),
    groups: t.exposeInt('groups', { nullable: true }),
    apps: t.exposeInt('apps', { nullable: true }),
    activeUsers: t.exposeInt('active_users', { nullable: true }),
    lastSeenAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.last_seen_at }),
    checkedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.status_checked_at }),
  }),
});

export const Tenant = builder.loadableNode('Tenant', {
  id: { resolve: (t: TenantRow) => t.id },
  load: (ids: string[], ctx) => getTenantsById(ctx.services.db, ids),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    adminEmail: t.exposeString('admin_email', { nullable: true }),
    state: t.field({ type: TenantState, resolve: (r) => r.state }),
    createdBy: t.exposeString('created_by'),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
    updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updated_at }),
    deletedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.deleted_at }),
    overview: t.field({ type: TenantOverview, resolve: (r) => r }),
    operation: t.loadable({
      type: TenantOperation,
      nullable: true,
      description: 'The operation under way, or the last one.',
      load: (ids: string[], ctx) => latestOperations(ctx.services.db, ids),
      resolve: (r) => r.id,
    }),
  }),
});

// Added here rather than in the type above, which Tenant itself refers to.
builder.objectField(TenantOperation, 'tenant', (t) =>
  t.loadable({
    type: Tenant,
    load: async (ids: string[], ctx) =>
      (await getTenantsById(ctx.services.db, ids)).map(
        (row, i) => row ?? new Error(`tenant ${ids[i]} is gone`),
      ),
    resolve: (op) => op.tenant_id,
  }),
);

const tenantCursor = keysetCursor<TenantRow, TenantKey>(
  'tenant list',
  (row) => ({ slug: row.slug, id: row.id }),
  (value) => {
    const { slug, id } = (value ?? {}) as Partial<TenantKey>;
    return typeof slug === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)
      ? { slug, id }
      : undefined;
  },
);

builder.queryField('tenants', (t) =>
  t.connection({
    type: Tenant,
    description: 'Tenants by slug. Deleted tenants only when asked for with state: [DELETED].',
    args: {
      search: t.arg.string({ description: 'Part of the slug or the name, case-insensitive' }),
      state: t.arg({ type: [TenantState], description: 'Only these states (default: all but DELETED)' }),
    },
    resolve: (_, args, ctx) => {
      if (args.search && args.search.length > 100)
        throw new ValidationError('search must be at most 100 characters');
      return keysetConnection(args, tenantCursor, ({ after, before, limit, inverted }) =>
        listTenants(
          ctx.services.db,
          { search: args.search, states: args.state as TenantStateValue[] | null | undefined },
          { afterKey: after, beforeKey: before, limit, descending: inverted },
        ),
      );
    },
  }),
);

builder.queryField('tenant', (t) =>
  t.field({
    type: Tenant,
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_, { slug }, ctx) => findLiveTenant(ctx.services.db, slug).then((r) => r ?? null),
  }),
);

const CreateTenantInput = builder.inputType('CreateTenantInput', {
  fields: (t) => ({
    slug: t.string({
      required: true,
      description: 'DNS label, 3–40 characters; names the database and Kubernetes objects',
    }),
    name: t.string({ required: true }),
    adminEmail: t.string(),
  }),
});

builder.mutationField('createTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      "Starts provisioning a tenant; follow it with tenantOperation or the tenant's operation field.",
    args: { input: t.arg({ type: CreateTenantInput, required: true }) },
    errors: { types: [ValidationError, ConflictError] },
    resolve: async (_, { input }, ctx) => (await createTenant(ctx.services, ctx, input)).tenant,
  }),
);

builder.mutationField('deleteTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      'Irreversibly deletes a tenant: its database, Secret, registry entry and workloads. confirm must repeat the slug.',
    args: { slug: t.arg.string({ required: true }), confirm: t.arg.string({ required: true }) },
    errors: { types: [ValidationError, NotFoundError] },
    resolve: async (_, { slug, confirm }, ctx) =>
      (await deleteTenant(ctx.services, ctx, slug, confirm)).tenant,
  }),
);

builder.subscriptionField('tenantOperation', (t) =>
  t.field({
    type: TenantOperation,
    description: 'Progress of tenant operations, step by step (one tenant, or all).',
    args: { slug: t.arg.string() },
    subscribe: (_, args, ctx) =>
      pipe(
        ctx.services.bus.subscribe('tenant.operation'),
        filter((e) => !args.slug || e.slug === args.slug),
      ),
    resolve: async (event, _, ctx) => {
      freshLoadersPerEvent(ctx);
      const op = await loadOncePerEvent(event, () => getOperation(ctx.services.db, event.operationId));
      if (!op) throw new Error(`operation ${event.operationId} is not readable`);
      return op;
    },
  }),
);

builder.subscriptionField('tenantUpdated', (t) =>
  t.field({
    type: Tenant,
    description: 'A tenant was created, changed state, or its polled status changed (one tenant, or all).',
    args: { slug: t.arg.string() },
    subscribe: (_, args, ctx) =>
      pipe(
        ctx.services.bus.subscribe('tenant.updated'),
        filter((e) => !args.slug || e.slug === args.slug),
      ),
    resolve: async (event, _, ctx) => {
      freshLoadersPerEvent(ctx);
      const [row] = await loadOncePerEvent(event, () => getTenantsById(ctx.services.db, [event.id]));
      if (!row) throw new Error(`tenant ${event.id} is not readable`);
      return row;
    },
  }),
);
