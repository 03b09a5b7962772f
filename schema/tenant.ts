import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { filter, pipe } from 'graphql-yoga';
import type { GraphQLContext } from '../server/context.ts';
import type {
  OperationStep,
  TenantOperationRow,
  TenantRow,
  TenantState as TenantStateValue,
} from '../server/db/schema.ts';
import { purgeTenantBackups } from '../server/domain/backups/tombstone.ts';
import { ConflictError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import { createTenant, deleteTenant } from '../server/domain/tenants/operations/lifecycle.ts';
import { repairTenant } from '../server/domain/tenants/operations/repair.ts';
import { retryTenantOperation } from '../server/domain/tenants/operations/retry.ts';
import {
  findLiveTenant,
  getOperation,
  getTenantsById,
  latestOperations,
  listTenants,
  type TenantKey,
  type TenantListRow,
  type TenantOrder,
  type TenantOrderField,
  tenantKey,
} from '../server/domain/tenants/repository.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { mutationErrors } from './errors.ts';
import { freshLoadersPerEvent, loadOncePerEvent } from './event-load.ts';
import { selects } from './selection.ts';

export const TenantState = builder.enumType('TenantState', {
  description: 'Where a tenant is in its life; its operation field shows the steps of a change under way.',
  values: {
    PROVISIONING: { value: 'provisioning', description: 'Being created: its create operation is running.' },
    ACTIVE: { value: 'active', description: 'Created and served; detail fields and secret operations work.' },
    DELETING: { value: 'deleting', description: 'Being deleted: its delete operation is running.' },
    DELETED: {
      value: 'deleted',
      description: 'Gone; the record stays for the audit trail and the slug is free again.',
    },
  } as const,
});

const OperationKind = builder.enumType('TenantOperationKind', {
  description: 'What a tenant operation does.',
  values: {
    CREATE: {
      value: 'create',
      description: 'Provisions the tenant: record, secret, database, registry, handoff, license, smtp.',
    },
    DELETE: { value: 'delete', description: 'Removes the tenant: registry, login-worker, database, secret.' },
    REPAIR: {
      value: 'repair',
      description:
        'Re-creates what an active tenant lost: secret (missing values filled in), database and role, registry entry.',
    },
    WORKERS: {
      value: 'workers',
      description:
        "Applies the tenant's worker settings: registry entry, dedicated login worker (Deployment and Service, or their removal), backend (PUT /cp/v1/worker-config).",
    },
  } as const,
});
const OperationState = builder.enumType('TenantOperationState', {
  description: 'Where a tenant operation is.',
  values: {
    RUNNING: {
      value: 'running',
      description: 'Under way, or waiting to retry a failed step (see attempts).',
    },
    SUCCEEDED: { value: 'succeeded', description: 'Every step is done.' },
    FAILED: {
      value: 'failed',
      description:
        'Stopped for good; lastError says why. A failed step alone does not fail the operation: it stays RUNNING and retries.',
    },
    CANCELLED: {
      value: 'cancelled',
      description: 'A create stopped because the tenant was deleted meanwhile.',
    },
  } as const,
});
const StepState = builder.enumType('TenantOperationStepState', {
  description: 'Where one step of a tenant operation is.',
  values: {
    PENDING: { value: 'pending', description: 'Not started.' },
    RUNNING: { value: 'running', description: 'Started and not yet finished.' },
    DONE: { value: 'done', description: 'Finished; never run again.' },
    FAILED: { value: 'failed', description: 'Its last attempt failed (error says why); it is retried.' },
  } as const,
});

const OperationStepRef = builder.objectRef<OperationStep>('TenantOperationStep').implement({
  description: 'One idempotent step of a tenant operation.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Which step: secret, database, registry, handoff, license, login-worker, …',
    }),
    state: t.field({ type: StepState, description: 'Where the step is.', resolve: (s) => s.state }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last started; null while pending.',
      resolve: (s) => (s.startedAt ? new Date(s.startedAt) : null),
    }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its last attempt ended (done or failed); null before any ended.',
      resolve: (s) => (s.finishedAt ? new Date(s.finishedAt) : null),
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why its last attempt failed; null otherwise.',
    }),
  }),
});

export const TenantOperation = builder.loadableNode('TenantOperation', {
  description:
    'A create, delete, repair or worker-settings change of a tenant, step by step. Resumed after a crash from the first unfinished step.',
  id: { resolve: (op: TenantOperationRow) => op.id, description: 'Global ID of the operation.' },
  load: async (ids: string[], ctx) =>
    Promise.all(ids.map(async (id) => (await getOperation(ctx.services.db, id)) ?? null)),
  fields: (t) => ({
    kind: t.field({
      type: OperationKind,
      description: 'Create, delete, repair, or applying worker settings.',
      resolve: (op) => op.kind,
    }),
    state: t.field({
      type: OperationState,
      description: 'Where the operation is.',
      resolve: (op) => op.state,
    }),
    steps: t.field({
      type: [OperationStepRef],
      description: 'Every step, in the order they run.',
      resolve: (op) => op.steps,
    }),
    currentStep: t.string({
      nullable: true,
      description: 'The first step not yet done, or null when the operation has ended.',
      resolve: (op) =>
        op.state === 'running' ? (op.steps.find((s) => s.state !== 'done')?.name ?? null) : null,
    }),
    attempts: t.exposeInt('attempts', {
      description: 'Failed attempts so far; the operation retries with backoff.',
    }),
    lastError: t.exposeString('last_error', {
      nullable: true,
      description: 'Why the last failed attempt failed; null if none failed.',
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When a failed operation retries (backoff 1 s, 2 s, … 5 min); null unless waiting to retry.',
      resolve: (op) => (op.state === 'running' && op.attempts > 0 ? op.next_attempt_at : null),
    }),
    requestedBy: t.exposeString('actor_label', { description: 'Who asked for it (AuditActor.label).' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was asked for.',
      resolve: (op) => op.created_at,
    }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it ended; null while running.',
      resolve: (op) => op.finished_at,
    }),
  }),
});

const TenantOverview = builder.objectRef<TenantRow>('TenantOverview').implement({
  description: 'What the status poller last saw of the tenant backend.',
  fields: (t) => ({
    status: t.exposeString('status', {
      description: 'ok, degraded, unreachable, or unknown before the first poll',
    }),
    statusError: t.exposeString('status_error', {
      nullable: true,
      description: 'Why the backend was unreachable at the last poll; null otherwise.',
    }),
    backendVersion: t.exposeString('backend_version', {
      nullable: true,
      description: 'The version the backend reported; null until it answered once.',
    }),
    users: t.exposeInt('users', {
      nullable: true,
      description: 'Users, as last reported; null until reported.',
    }),
    groups: t.exposeInt('groups', {
      nullable: true,
      description: 'Groups, as last reported; null until reported.',
    }),
    apps: t.exposeInt('apps', {
      nullable: true,
      description: 'Applications, as last reported; null until reported.',
    }),
    activeUsers: t.exposeInt('active_users', {
      nullable: true,
      description: 'Users who signed in during the last 30 days, as last reported; null until reported.',
    }),
    lastSeenAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the backend last answered; null if it never did.',
      resolve: (r) => r.last_seen_at,
    }),
    checkedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the poller last asked; null before the first poll.',
      resolve: (r) => r.status_checked_at,
    }),
  }),
});

/**
 * The latest operation of each tenant a request shows: loaded together by a DataLoader, or read
 * ahead by the tenant list (`read`) as soon as its page is in. The page's nodes then complete at
 * once, instead of each waiting on a promise for a batch that is only sent once all of them have
 * been walked.
 */
const latestOperationOf = createContextCache((ctx: GraphQLContext) => ({
  read: new Map<string, TenantOperationRow | null>(),
  loader: new DataLoader<string, TenantOperationRow | null>((ids) => latestOperations(ctx.services.db, ids)),
}));

export const Tenant = builder.loadableNode('Tenant', {
  description:
    'One customer organisation of the deployment: its own backend database, Secret and registry entry in the cluster.',
  id: { resolve: (t: TenantRow) => t.id, description: 'Global ID of the tenant.' },
  load: (ids: string[], ctx) => getTenantsById(ctx.services.db, ids),
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description:
        'The DNS label naming its database and Kubernetes objects; unique among tenants not deleted.',
    }),
    name: t.exposeString('name', { description: 'The display name, 1–100 characters.' }),
    adminEmail: t.exposeString('admin_email', {
      nullable: true,
      description: "The first administrator's email; null when none was given.",
    }),
    state: t.field({
      type: TenantState,
      description: 'Where the tenant is in its life.',
      resolve: (r) => r.state,
    }),
    createdBy: t.exposeString('created_by', { description: 'Who created it (AuditActor.label).' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (r) => r.created_at,
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When its record last changed (state or polled status).',
      resolve: (r) => r.updated_at,
    }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its deletion finished; null unless DELETED.',
      resolve: (r) => r.deleted_at,
    }),
    overview: t.field({
      type: TenantOverview,
      description: 'What the status poller last saw of its backend; asks the backend nothing.',
      resolve: (r) => r,
    }),
    drift: t.stringList({
      description:
        "What the leader's drift check last found missing of what provisioning made (its Secret or some of its values, its registry entry, role or database), in words; empty when nothing. repairTenant restores it.",
      resolve: (r) => r.drift,
    }),
    driftCheckedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the drift check last looked at this tenant; null before it has (or unless active).',
      resolve: (r) => r.drift_checked_at,
    }),
    operation: t.field({
      type: TenantOperation,
      nullable: true,
      description: 'The operation under way, or the last one.',
      resolve: (r, _args, ctx) => {
        const operations = latestOperationOf(ctx);
        return operations.read.has(r.id) ? operations.read.get(r.id) : operations.loader.load(r.id);
      },
    }),
  }),
});

// Added here rather than in the type above, which Tenant itself refers to.
builder.objectField(TenantOperation, 'tenant', (t) =>
  t.loadable({
    type: Tenant,
    description: 'The tenant it creates or deletes.',
    load: async (ids: string[], ctx) =>
      (await getTenantsById(ctx.services.db, ids)).map(
        (row, i) => row ?? new Error(`tenant ${ids[i]} is gone`),
      ),
    resolve: (op) => op.tenant_id,
  }),
);

const TenantOrderFieldEnum = builder.enumType('TenantOrderField', {
  description: 'What the tenant list is ordered by; ties are broken by the tenant id.',
  values: {
    SLUG: { value: 'slug', description: 'The slug.' },
    NAME: { value: 'name', description: 'The name, case-insensitive.' },
    STATE: {
      value: 'state',
      description: 'The state (ACTIVE, DELETED, DELETING, PROVISIONING ascending), then the slug.',
    },
    CREATED_AT: { value: 'created', description: 'When the tenant was created.' },
  } as const,
});

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Which way a list runs.',
  values: {
    ASC: { value: 'asc', description: 'Smallest first: A to Z, oldest first.' },
    DESC: { value: 'desc', description: 'Largest first: Z to A, newest first.' },
  } as const,
});

const TenantOrderInput = builder.inputType('TenantOrderInput', {
  description:
    'How the tenant list is ordered. Every order is keyset-paged: pages never repeat or skip a tenant, and a cursor pages on only in the order (either direction) it came from.',
  fields: (t) => ({
    field: t.field({ type: TenantOrderFieldEnum, required: true, description: 'What to order by.' }),
    direction: t.field({
      type: OrderDirectionEnum,
      defaultValue: 'asc',
      description: 'Which way (default ASC).',
    }),
  }),
});

const isId = (id: unknown): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id);
const STATE_VALUES: readonly string[] = ['provisioning', 'active', 'deleting', 'deleted'];

/** Reads a cursor's key back; cursors made before orders existed ({slug, id}) are slug keys. */
function parseTenantKey(value: unknown): TenantKey | undefined {
  const v = (value ?? {}) as Record<string, unknown>;
  if (!isId(v.id)) return undefined;
  const by = v.by ?? 'slug';
  if (by === 'slug' && typeof v.slug === 'string') return { by, slug: v.slug, id: v.id };
  if (by === 'name' && typeof v.name === 'string') return { by, name: v.name, id: v.id };
  if (by === 'state' && STATE_VALUES.includes(v.state as string) && typeof v.slug === 'string')
    return { by, state: v.state as TenantStateValue, slug: v.slug, id: v.id };
  if (
    by === 'created' &&
    typeof v.createdAt === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(v.createdAt)
  )
    return { by, createdAt: v.createdAt, id: v.id };
  return undefined;
}

/** The cursor of the tenant list in one order; a slug cursor keeps the form it had before orders. */
function tenantCursor(field: TenantOrderField) {
  return keysetCursor<TenantListRow, TenantKey | Omit<Extract<TenantKey, { by: 'slug' }>, 'by'>>(
    'tenant list',
    (row) => {
      const key = tenantKey(row, field);
      if (key.by !== 'slug') return key;
      const { by: _slug, ...rest } = key;
      return rest;
    },
    parseTenantKey,
  );
}

/** The key a cursor holds, refused with its order named when it belongs to another order. */
function keyIn(
  field: TenantOrderField,
  key: TenantKey | Omit<Extract<TenantKey, { by: 'slug' }>, 'by'> | undefined,
) {
  if (!key) return undefined;
  const full = 'by' in key ? key : ({ by: 'slug', ...key } as const);
  if (full.by !== field)
    throw new ValidationError(
      `the cursor is a position in the tenant list by ${full.by}; it cannot page the list by ${field}`,
    );
  return full;
}

builder.queryField('tenants', (t) =>
  t.connection(
    {
      type: Tenant,
      description:
        'Tenants by slug, or in another order (orderBy). Deleted tenants only when asked for with state: [DELETED]. Reads no backend: status comes from the poller. Any signed-in operator.',
      args: {
        search: t.arg.string({
          description: 'Part of the slug or the name, case-insensitive; at most 100 characters.',
        }),
        state: t.arg({ type: [TenantState], description: 'Only these states (default: all but DELETED)' }),
        orderBy: t.arg({
          type: TenantOrderInput,
          description: 'The order of the list (default: by slug, ascending).',
        }),
      },
      resolve: async (_, args, ctx, info) => {
        if (args.search && args.search.length > 100)
          throw new ValidationError('search must be at most 100 characters');
        const order: TenantOrder = {
          field: args.orderBy?.field ?? 'slug',
          descending: args.orderBy?.direction === 'desc',
        };
        const cursor = tenantCursor(order.field);
        const connection = await keysetConnection(args, cursor, ({ after, before, limit, inverted }) =>
          listTenants(
            ctx.services.db,
            { search: args.search, states: args.state as TenantStateValue[] | null | undefined },
            {
              afterKey: keyIn(order.field, after),
              beforeKey: keyIn(order.field, before),
              limit,
              descending: inverted,
            },
            order,
          ),
        );
        if (selects(info, ['edges', 'node', 'operation'])) {
          const ids = connection.edges.map((edge) => edge.node.id);
          const operations = await latestOperations(ctx.services.db, ids);
          const { read } = latestOperationOf(ctx);
          for (const [i, id] of ids.entries()) read.set(id, operations[i] ?? null);
        }
        return connection;
      },
    },
    { description: 'A page of tenants, in the order asked.' },
    { description: 'A tenant and its cursor.' },
  ),
);

builder.queryField('tenant', (t) =>
  t.field({
    type: Tenant,
    nullable: true,
    description: 'A tenant by slug; null when no tenant that is not deleted has it. Any signed-in operator.',
    args: { slug: t.arg.string({ required: true, description: "The tenant's slug." }) },
    resolve: (_, { slug }, ctx) => findLiveTenant(ctx.services.db, slug).then((r) => r ?? null),
  }),
);

const CreateTenantInput = builder.inputType('CreateTenantInput', {
  description: 'A new tenant.',
  fields: (t) => ({
    slug: t.string({
      required: true,
      description:
        'DNS label of 3–40 lowercase letters, digits and hyphens (no two in a row), not a reserved name such as admin or api; names the database and Kubernetes objects and cannot change.',
    }),
    name: t.string({ required: true, description: 'The display name, 1–100 characters.' }),
    adminEmail: t.string({
      description: "The first administrator's email, at most 254 characters; optional.",
    }),
  }),
});

builder.mutationField('createTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      "Starts provisioning a tenant and answers at once with it in state PROVISIONING; follow it with the tenantOperation subscription or the tenant's operation field. ConflictError TENANT_EXISTS when a tenant not deleted has the slug. Admin role. Audited (tenant.create.requested, then tenant.create.completed).",
    args: { input: t.arg({ type: CreateTenantInput, required: true, description: 'The new tenant.' }) },
    errors: mutationErrors(
      [ValidationError, ConflictError],
      'The tenant, state PROVISIONING, with its create operation.',
    ),
    resolve: async (_, { input }, ctx) => (await createTenant(ctx.services, ctx, input)).tenant,
  }),
);

builder.mutationField('deleteTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      'Irreversibly deletes a tenant: its database, Secret, registry entry and workloads, in the background (a create still under way is cancelled). Answers at once with the tenant in state DELETING. NotFoundError TENANT_NOT_FOUND for an unknown slug. Admin role. Audited (tenant.delete.requested, then tenant.delete.completed).',
    args: {
      slug: t.arg.string({ required: true, description: 'The tenant to delete.' }),
      confirm: t.arg.string({
        required: true,
        description: 'The slug typed again; anything else is a ValidationError and deletes nothing.',
      }),
      purgeBackups: t.arg.boolean({
        description:
          "Remove the tenant's backups and their files with it (audited, tenant.backup.deleted reason purge) rather than keep them for DELETED_TENANT_BACKUP_RETENTION_DAYS. Default false.",
      }),
    },
    errors: mutationErrors(
      [ValidationError, NotFoundError],
      'The tenant, state DELETING, with its delete operation.',
    ),
    resolve: async (_, { slug, confirm, purgeBackups }, ctx) => {
      const { tenant } = await deleteTenant(ctx.services, ctx, slug, confirm, { purgeBackups });
      // The finished backups go now; those still running, and any a crash left, on the leader's round.
      if (purgeBackups) await purgeTenantBackups(ctx.services.backups, ctx, tenant);
      return tenant;
    },
  }),
);

builder.mutationField('repairTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      "Re-creates what an active tenant lost, in the background: its Secret (values still there are kept; a lost Secret gets new values, so the tenant's backend must restart to read them), its database and role (the role's password set to the Secret's), and its registry entry. Follow its operation (kind REPAIR). NotFoundError TENANT_NOT_FOUND for an unknown slug; ConflictError TENANT_NOT_ACTIVE unless ACTIVE, OPERATION_IN_PROGRESS while another operation runs. Admin role. Audited (tenant.repair.requested with the drift found, then tenant.repair.completed).",
    args: { slug: t.arg.string({ required: true, description: 'The tenant to repair.' }) },
    errors: mutationErrors(
      [ValidationError, NotFoundError, ConflictError],
      'The tenant, with its repair operation.',
    ),
    resolve: async (_, { slug }, ctx) => (await repairTenant(ctx.services, ctx, slug)).tenant,
  }),
);

builder.mutationField('retryTenantOperation', (t) =>
  t.field({
    type: TenantOperation,
    description:
      "Runs the tenant's latest operation again now, from its first unfinished step, rather than when its backoff ends (up to 5 minutes after a failed attempt); an operation that stopped (FAILED) runs again. For after the cause of the failure is fixed. Follow it with tenantOperation. NotFoundError TENANT_NOT_FOUND for an unknown slug; ConflictError NOTHING_TO_RETRY unless the latest operation failed or waits to retry. Admin role. Audited (tenant.operation.retried).",
    args: { slug: t.arg.string({ required: true, description: 'The tenant whose operation to retry.' }) },
    errors: mutationErrors([NotFoundError, ConflictError], 'The operation, RUNNING again.'),
    resolve: async (_, { slug }, ctx) => (await retryTenantOperation(ctx.services, ctx, slug)).operation,
  }),
);

builder.subscriptionField('tenantOperation', (t) =>
  t.field({
    type: TenantOperation,
    description:
      'Progress of tenant operations, step by step (one tenant, or all), on any replica: the operation again at every change. Any signed-in operator.',
    args: { slug: t.arg.string({ description: "Only this tenant's operations; all when left out." }) },
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
    description:
      'The tenant again whenever it is created, changes state, or its polled status changes (one tenant, or all), on any replica. Any signed-in operator.',
    args: { slug: t.arg.string({ description: 'Only this tenant; all when left out.' }) },
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
