import { z } from 'zod';
import { SHARED_AGENT_POOL } from '../../cluster/labels.ts';
import type { Executor, Trx } from '../../db/database.ts';
import type { LoginWorkerMode, TaskWorkerMode, TenantRow } from '../../db/schema.ts';
import type { Call } from '../call.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { OperationRunner } from '../tenants/operations/runner.ts';
import { startOperation } from '../tenants/operations/start.ts';
import { lockLiveTenant, newSteps } from '../tenants/repository.ts';
import type { TenantServices } from '../tenants/services.ts';
import { parseInput } from '../validate.ts';
import { WORKER_STEPS } from './steps.ts';

/** A tenant's worker configuration as it should be; the defaults for a tenant never changed. */
export type WorkerConfig = {
  taskMode: TaskWorkerMode;
  /** Tasks run at once (1–1000). */
  concurrency: number;
  /** `maxConcurrent`: login scripts run at once (1–1000). */
  login: { mode: LoginWorkerMode; url: string | null; maxConcurrent: number };
  /** The assigned agent pool's name, or null. */
  pool: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
};

/** Tasks a tenant runs at once until told otherwise. */
export const DEFAULT_CONCURRENCY = 10;
/** Login scripts a login worker runs at once for a tenant until told otherwise. */
export const DEFAULT_LOGIN_MAX_CONCURRENT = 5;

export const DEFAULT_WORKER_CONFIG: WorkerConfig = {
  taskMode: 'inline',
  concurrency: DEFAULT_CONCURRENCY,
  login: { mode: 'inline', url: null, maxConcurrent: DEFAULT_LOGIN_MAX_CONCURRENT },
  pool: null,
  updatedAt: null,
  updatedBy: null,
};

/** Reads a tenant's worker configuration (defaults when it was never changed). */
export async function readWorkerConfig(db: Executor, tenantId: string): Promise<WorkerConfig> {
  const row = await db
    .selectFrom('tenant_worker_configs as c')
    .leftJoin('agent_pools as p', 'p.id', 'c.pool_id')
    .select([
      'c.task_mode',
      'c.concurrency',
      'c.login_mode',
      'c.login_url',
      'c.login_max_concurrent',
      'p.name as pool',
      'c.updated_at',
      'c.updated_by',
    ])
    .where('c.tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row) return DEFAULT_WORKER_CONFIG;
  return {
    taskMode: row.task_mode,
    concurrency: row.concurrency ?? DEFAULT_CONCURRENCY,
    login: {
      mode: row.login_mode,
      url: row.login_url,
      maxConcurrent: row.login_max_concurrent ?? DEFAULT_LOGIN_MAX_CONCURRENT,
    },
    pool: row.pool,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Where a tenant's login scripts run in `mode`, given what was asked. */
export function loginWorkerUrl(
  settings: { sharedLoginWorkerUrl: string; namespace: string },
  slug: string,
  mode: LoginWorkerMode,
  asked: string | null | undefined,
): string | null {
  if (mode === 'inline') return null;
  if (mode === 'shared') return asked ?? settings.sharedLoginWorkerUrl;
  return `http://login-worker-${slug}.${settings.namespace}.svc:8090`;
}

const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
  .refine(
    (v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password),
    'must not hold credentials',
  );

export const taskModeSchema = z.enum(['inline', 'agent'], { message: 'must be inline or agent' });
export const concurrencySchema = z
  .number({ message: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 1000')
  .max(1000, 'must be between 1 and 1000');
export const loginWorkerSchema = z
  .object({
    mode: z.enum(['inline', 'shared', 'dedicated'], { message: 'must be inline, shared or dedicated' }),
    url: httpUrl.nullish(),
    maxConcurrent: z
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 1000')
      .max(1000, 'must be between 1 and 1000')
      .nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.url && v.mode !== 'shared') {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `is only taken in shared mode (${v.mode === 'inline' ? 'inline runs in the backend' : 'dedicated mode uses the tenant’s own login-worker Service'})`,
      });
    }
  });

/** A change of one part of a tenant's worker configuration. */
export type WorkerConfigChange =
  | { taskMode: TaskWorkerMode }
  | { concurrency: number }
  | { login: z.input<typeof loginWorkerSchema> }
  | { pool: string | null };

export type WorkerServices = {
  tenants: TenantServices;
  runner: OperationRunner;
  config: { workers: { sharedLoginWorkerUrl: string }; kube: { namespace: string } };
};

/**
 * Changes a part of a tenant's worker configuration: validated, stored, audited, then applied by
 * a recorded operation (kind `workers`: registry entry, dedicated login worker, backend) that
 * retries until they agree; a newer change supersedes one still under way. A change that changes
 * nothing starts nothing. Agent mode needs a pool: the tenant's, or the shared agent pool.
 */
export async function changeWorkerConfig(
  services: WorkerServices,
  call: Call,
  slug: string,
  change: WorkerConfigChange,
): Promise<{ tenant: TenantRow; config: WorkerConfig; operationId: string | null }> {
  const patch = parseChange(change);
  const { db, bus, cluster } = services.tenants;
  const result = await db.transaction().execute(async (trx) => {
    const tenant = await lockLiveTenant(trx, slug);
    if (tenant.state !== 'active') {
      throw new ConflictError(
        `tenant ${slug} is ${tenant.state}: worker settings change once it is active`,
        'TENANT_NOT_ACTIVE',
      );
    }
    const busy = await trx
      .selectFrom('tenant_operations')
      .select(['id', 'kind'])
      .where('tenant_id', '=', tenant.id)
      .where('state', '=', 'running')
      .execute();
    const other = busy.find((op) => op.kind !== 'workers');
    if (other) {
      throw new ConflictError(
        `tenant ${slug} has a ${other.kind} operation under way; try again when it ends`,
        'OPERATION_IN_PROGRESS',
      );
    }
    const current = await readWorkerConfig(trx, tenant.id);
    const next: WorkerConfig = { ...current, login: { ...current.login } };
    let poolId: string | null | undefined;
    if ('taskMode' in patch) next.taskMode = patch.taskMode;
    if ('concurrency' in patch) next.concurrency = patch.concurrency;
    if ('login' in patch) {
      next.login = {
        mode: patch.login.mode,
        url: loginWorkerUrl(
          {
            sharedLoginWorkerUrl: services.config.workers.sharedLoginWorkerUrl,
            namespace: services.config.kube.namespace,
          },
          slug,
          patch.login.mode,
          patch.login.url,
        ),
        // Left out, it keeps its value.
        maxConcurrent: patch.login.maxConcurrent ?? current.login.maxConcurrent,
      };
    }
    if ('pool' in patch) {
      if (patch.pool === null) poolId = null;
      else {
        const pool = await trx
          .selectFrom('agent_pools')
          .select('id')
          .where('name', '=', patch.pool)
          .forShare()
          .executeTakeFirst();
        if (!pool)
          throw new NotFoundError(`no agent pool is named "${patch.pool.slice(0, 80)}"`, 'POOL_NOT_FOUND');
        poolId = pool.id;
      }
      next.pool = patch.pool;
    }
    // Agent mode without a pool of its own runs on the shared pool: only then is the cluster asked.
    const needsShared = next.taskMode === 'agent' && !next.pool;
    if (needsShared && !(await cluster.read('Deployment', 'apps/v1', SHARED_AGENT_POOL))) {
      throw new ConflictError(
        `tenant ${slug} has no agent pool to run its tasks on: assign it a pool (PUT /tenants/${slug}/pool) or initialize the shared agent pool (POST /shared-agent-pool/init) first`,
        'NO_AGENT_POOL',
      );
    }
    const changed = changedFields(current, next);
    if (changed.length === 0) return { tenant, config: current, operationId: null };
    const now = new Date();
    await upsertConfig(trx, tenant.id, next, poolId, call.actor.label, now);
    // A change still being applied is superseded: the new operation applies the latest of all.
    await trx
      .updateTable('tenant_operations')
      .set({ state: 'cancelled', finished_at: now, updated_at: now })
      .where('tenant_id', '=', tenant.id)
      .where('kind', '=', 'workers')
      .where('state', '=', 'running')
      .execute();
    const operation = await startOperation(trx, bus, call, {
      tenant,
      kind: 'workers',
      steps: newSteps(WORKER_STEPS.map((s) => s.name)),
      action: 'tenant.workers.updated',
      details: (operationId) => ({ changed, operationId }),
    });
    await bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'workers' });
    if ('pool' in patch) {
      for (const name of new Set([current.pool, next.pool].filter((n): n is string => Boolean(n)))) {
        await bus.publishIn(trx, 'pool.changed', { name, change: 'assignment' });
      }
    }
    return {
      tenant,
      config: { ...next, updatedAt: now, updatedBy: call.actor.label },
      operationId: operation.id,
    };
  });
  if (result.operationId) void services.runner.run(result.operationId);
  return result;
}

function parseChange(change: WorkerConfigChange) {
  if ('taskMode' in change)
    return parseInput(z.object({ taskMode: taskModeSchema }).strict(), change, 'worker mode');
  if ('concurrency' in change) {
    return parseInput(z.object({ concurrency: concurrencySchema }).strict(), change, 'concurrency');
  }
  if ('login' in change)
    return parseInput(z.object({ login: loginWorkerSchema }).strict(), change, 'login worker');
  if ('pool' in change) {
    return parseInput(
      z
        .object({
          pool: z
            .string({ message: 'must be a pool name or null' })
            .min(1, 'must not be empty')
            .max(63)
            .nullable(),
        })
        .strict(),
      change,
      'pool',
    );
  }
  throw new ValidationError('nothing to change');
}

function changedFields(a: WorkerConfig, b: WorkerConfig): string[] {
  const fields: string[] = [];
  if (a.taskMode !== b.taskMode) fields.push('taskMode');
  if (a.concurrency !== b.concurrency) fields.push('concurrency');
  if (a.login.mode !== b.login.mode) fields.push('loginWorker.mode');
  if (a.login.url !== b.login.url) fields.push('loginWorker.url');
  if (a.login.maxConcurrent !== b.login.maxConcurrent) fields.push('loginWorker.maxConcurrent');
  if (a.pool !== b.pool) fields.push('pool');
  return fields;
}

async function upsertConfig(
  trx: Trx,
  tenantId: string,
  next: WorkerConfig,
  poolId: string | null | undefined,
  by: string,
  now: Date,
) {
  const values = {
    task_mode: next.taskMode,
    concurrency: next.concurrency,
    login_mode: next.login.mode,
    login_url: next.login.url,
    login_max_concurrent: next.login.maxConcurrent,
    ...(poolId !== undefined ? { pool_id: poolId } : {}),
    updated_at: now,
    updated_by: by,
  };
  await trx
    .insertInto('tenant_worker_configs')
    .values({ tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
}
