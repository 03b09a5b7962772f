import type { Trx } from '../../../db/database.ts';
import type { OperationStep, TenantOperationRow, TenantRow } from '../../../db/schema.ts';
import { SYSTEM_ACTOR } from '../../actor.ts';
import { record } from '../../audit/record.ts';
import { getOperation } from '../repository.ts';
import type { TenantServices } from '../services.ts';
import type { OperationLocks } from './locks.ts';
import { MissingInput, STEPS } from './steps.ts';

export type OperationRunner = {
  /**
   * Runs the operation's remaining steps unless it is already running here or in another
   * replica. Resolves when this attempt ends (finished, failed a step, or skipped).
   */
  run(operationId: string): Promise<void>;
  /** Operations running in this process now. */
  active(): number;
  /** Waits for the running operations to reach a step boundary and stop. */
  stop(): Promise<void>;
};

/** Retry delay after the n-th failed attempt: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

const lockKey = (tenantId: string) => `tenant-operation:${tenantId}`;
/** Earlier steps run again within one attempt at most this often; then the step fails and retries. */
const MAX_RERUNS = 2;

/**
 * Executes tenant operations step by step, recording each step's state in the operation row and
 * publishing it, so progress survives a crash and is visible live. One operation per tenant runs
 * at a time across all replicas (advisory lock on the tenant); at most `concurrency` here.
 */
export function createOperationRunner(
  services: TenantServices,
  locks: OperationLocks,
  options: { concurrency: number },
): OperationRunner {
  const { db, bus, logger } = services;
  const running = new Map<string, Promise<void>>();
  const waiting: (() => void)[] = [];
  let slots = options.concurrency;
  let stopping = false;

  async function acquireSlot() {
    if (slots > 0) {
      slots -= 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  function releaseSlot() {
    const next = waiting.shift();
    if (next) next();
    else slots += 1;
  }

  async function saveSteps(
    trx: Trx,
    op: TenantOperationRow,
    tenant: TenantRow,
    steps: OperationStep[],
    step: string,
  ) {
    await trx
      .updateTable('tenant_operations')
      .set({ steps: JSON.stringify(steps), updated_at: new Date() })
      .where('id', '=', op.id)
      .execute();
    await bus.publishIn(trx, 'tenant.operation', {
      operationId: op.id,
      tenantId: tenant.id,
      slug: tenant.slug,
      kind: op.kind,
      state: 'running',
      step,
    });
  }

  async function setStep(
    op: TenantOperationRow,
    tenant: TenantRow,
    steps: OperationStep[],
    name: string,
    patch: Partial<OperationStep>,
  ) {
    const index = steps.findIndex((s) => s.name === name);
    steps[index] = { ...steps[index]!, ...patch };
    await db.transaction().execute((trx) => saveSteps(trx, op, tenant, steps, name));
  }

  async function failStep(
    op: TenantOperationRow,
    tenant: TenantRow,
    steps: OperationStep[],
    name: string,
    error: unknown,
  ) {
    const message = error instanceof Error ? error.message : String(error);
    const attempts = op.attempts + 1;
    const index = steps.findIndex((s) => s.name === name);
    steps[index] = {
      ...steps[index]!,
      state: 'failed',
      finishedAt: new Date().toISOString(),
      error: message,
    };
    logger.warn(
      { tenant: tenant.slug, operation: op.id, step: name, attempt: attempts, error: message },
      'tenant operation step failed; will retry',
    );
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('tenant_operations')
        .set({
          attempts,
          last_error: `${name}: ${message}`,
          next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)),
        })
        .where('id', '=', op.id)
        .execute();
      await saveSteps(trx, op, tenant, steps, name);
    });
  }

  async function finish(op: TenantOperationRow, tenant: TenantRow) {
    const durationMs = Date.now() - new Date(op.created_at).getTime();
    await db.transaction().execute(async (trx) => {
      const now = new Date();
      const done = await trx
        .updateTable('tenant_operations')
        .set({ state: 'succeeded', finished_at: now, updated_at: now, last_error: null })
        .where('id', '=', op.id)
        // Cancelled meanwhile (superseded, or its tenant deleted): it stays cancelled.
        .where('state', '=', 'running')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return;
      // A repair leaves the tenant active, and what the drift check found is now mended.
      // Applying worker settings leaves the tenant as it was.
      const next =
        op.kind === 'create'
          ? { state: 'active' as const }
          : op.kind === 'repair'
            ? { state: 'active' as const, drift: JSON.stringify([]) }
            : op.kind === 'workers'
              ? {}
              : { state: 'deleted' as const, deleted_at: now };
      await trx
        .updateTable('tenants')
        .set({ ...next, updated_at: now })
        .where('id', '=', tenant.id)
        .execute();
      const action = `tenant.${op.kind}.completed` as const;
      await record(
        trx,
        bus,
        { actor: SYSTEM_ACTOR },
        action,
        { kind: 'tenant', id: tenant.slug },
        { operationId: op.id, durationMs },
      );
      await bus.publishIn(trx, 'tenant.operation', {
        operationId: op.id,
        tenantId: tenant.id,
        slug: tenant.slug,
        kind: op.kind,
        state: 'succeeded',
        step: null,
      });
      await bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'state' });
    });
    logger.info(
      { tenant: tenant.slug, operation: op.id, kind: op.kind, durationMs },
      `tenant ${op.kind} completed`,
    );
  }

  async function execute(op: TenantOperationRow) {
    const tenant = await db
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', op.tenant_id)
      .executeTakeFirstOrThrow();
    // Worker settings apply to an active tenant only: one being deleted (or gone) drops them.
    if (op.kind === 'workers' && tenant.state !== 'active') {
      await db
        .updateTable('tenant_operations')
        .set({ state: 'cancelled', finished_at: new Date(), updated_at: new Date() })
        .where('id', '=', op.id)
        .where('state', '=', 'running')
        .execute();
      return;
    }
    const steps = [...op.steps];
    const generation = locks.generation();
    const plan = STEPS[op.kind];
    let reruns = 0;
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i]!;
      const state = steps.find((s) => s.name === step.name);
      if (!state || state.state === 'done') continue;
      // Between steps: stop if we are shutting down, lost our lock, or the operation was cancelled.
      if (stopping || locks.generation() !== generation) return;
      const current = await getOperation(db, op.id);
      if (current?.state !== 'running') return;
      await setStep(op, tenant, steps, step.name, {
        state: 'running',
        startedAt: new Date().toISOString(),
        error: null,
      });
      try {
        await step.run(services, tenant);
      } catch (error) {
        const missing = error instanceof MissingInput ? error : undefined;
        const producer = missing ? plan.findIndex((s) => s.name === missing.producer) : -1;
        // What an earlier step made is gone: make it again, once per attempt, then carry on.
        if (missing && producer >= 0 && producer < i && reruns < MAX_RERUNS) {
          reruns++;
          logger.warn(
            {
              tenant: tenant.slug,
              operation: op.id,
              step: step.name,
              rerun: missing.producer,
              reason: missing.message,
            },
            'a tenant operation step found an earlier step undone; running it again',
          );
          for (const again of plan.slice(producer, i + 1)) {
            const index = steps.findIndex((s) => s.name === again.name);
            steps[index] = { ...steps[index]!, state: 'pending', finishedAt: null, error: null };
          }
          await setStep(op, tenant, steps, step.name, { state: 'pending' });
          i = producer - 1;
          continue;
        }
        await failStep(op, tenant, steps, step.name, error);
        return;
      }
      await setStep(op, tenant, steps, step.name, { state: 'done', finishedAt: new Date().toISOString() });
      crashIfAsked(services, op.kind, step.name);
    }
    await finish(op, tenant);
  }

  async function attempt(operationId: string) {
    await acquireSlot();
    try {
      if (stopping) return;
      const op = await getOperation(db, operationId);
      if (op?.state !== 'running') return;
      const key = lockKey(op.tenant_id);
      if (!(await locks.tryLock(key))) return;
      try {
        // Re-read under the lock: another runner may have finished it meanwhile.
        const fresh = await getOperation(db, operationId);
        if (fresh?.state === 'running') await execute(fresh);
      } finally {
        await locks.unlock(key).catch(() => {});
      }
      // An operation of the same tenant that found the lock taken (one that superseded this one,
      // say) runs now rather than at the reconciler's next round.
      if (!stopping) {
        const waiting = await db
          .selectFrom('tenant_operations')
          .select('id')
          .where('tenant_id', '=', op.tenant_id)
          .where('state', '=', 'running')
          .where('id', '<>', operationId)
          .where('next_attempt_at', '<=', new Date())
          .execute();
        for (const next of waiting) void run(next.id);
      }
    } catch (error) {
      logger.error({ err: error, operation: operationId }, 'tenant operation attempt failed');
    } finally {
      releaseSlot();
    }
  }

  function run(operationId: string): Promise<void> {
    const existing = running.get(operationId);
    if (existing) return existing;
    const promise = attempt(operationId).finally(() => running.delete(operationId));
    running.set(operationId, promise);
    return promise;
  }

  return {
    run,
    active: () => running.size,
    async stop() {
      stopping = true;
      for (const resolve of waiting.splice(0)) resolve();
      await Promise.all(running.values());
    },
  };
}

/** The crash test hook: exits without any cleanup right after the named step, like a killed pod. */
export function crashIfAsked(services: TenantServices, kind: string, step: string) {
  if (services.faultAfterStep === `${kind}:${step}`) {
    services.logger.warn({ step: `${kind}:${step}` }, 'CP_FAULT_AFTER_STEP: exiting now');
    process.kill(process.pid, 'SIGKILL');
  }
}
