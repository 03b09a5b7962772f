import type { OperationStep, TenantOperationRow, TenantRow } from '../../../db/schema.ts';
import { SYSTEM_ACTOR } from '../../actor.ts';
import { auditEntry, auditNotification } from '../../audit/record.ts';
import { getOperation } from '../repository.ts';
import type { TenantServices } from '../services.ts';
import type { OperationLocks } from './locks.ts';
import { MissingInput, STEPS, type Step, type StepContext } from './steps.ts';

export type OperationRunner = {
  /**
   * Runs the operation's remaining steps unless it is already running here or in another
   * replica. Resolves when this attempt ends (finished, failed a step, or skipped). `tenantId`,
   * when the caller has it, saves reading the operation before taking its tenant's lock.
   */
  run(operationId: string, tenantId?: string): Promise<void>;
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
const isDone = (steps: OperationStep[], name: string) => steps.find((s) => s.name === name)?.state === 'done';
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
  /** The `tenant.operation` event of `op` in `state`, at `step`, to select in a statement. */
  const operationEvent = (
    op: TenantOperationRow,
    tenant: TenantRow,
    state: 'running' | 'succeeded',
    step: string | null,
  ) =>
    bus.notification('tenant.operation', {
      operationId: op.id,
      tenantId: tenant.id,
      slug: tenant.slug,
      kind: op.kind,
      state,
      step,
    });
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

  /**
   * Records the operation's steps in one statement, with their `tenant.operation` event (sent when
   * it commits), and only while the operation is still running: false when it was cancelled
   * meanwhile (superseded, or its tenant deleted), and then nothing is written. `extra` sets more
   * columns in the same statement (a failed step's retry schedule).
   */
  async function saveSteps(
    op: TenantOperationRow,
    tenant: TenantRow,
    steps: OperationStep[],
    step: string,
    extra: { attempts: number; last_error: string; next_attempt_at: Date } | undefined = undefined,
  ): Promise<boolean> {
    const saved = await db
      .with('saved', (q) =>
        q
          .updateTable('tenant_operations')
          .set({ ...extra, steps: JSON.stringify(steps), updated_at: new Date() })
          .where('id', '=', op.id)
          .where('state', '=', 'running')
          .returning('id'),
      )
      .selectFrom('saved')
      .select(operationEvent(op, tenant, 'running', step).as('sent'))
      .execute();
    return saved.length > 0;
  }

  /** Sets the named step's fields in `steps` (in place). */
  function patchStep(steps: OperationStep[], name: string, patch: Partial<OperationStep>) {
    const index = steps.findIndex((s) => s.name === name);
    steps[index] = { ...steps[index]!, ...patch };
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
    patchStep(steps, name, { state: 'failed', finishedAt: new Date().toISOString(), error: message });
    logger.warn(
      { tenant: tenant.slug, operation: op.id, step: name, attempt: attempts, error: message },
      'tenant operation step failed; will retry',
    );
    await saveSteps(op, tenant, steps, name, {
      attempts,
      last_error: `${name}: ${message}`,
      next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)),
    });
  }

  /** Ends the operation (its last step's record included) and applies its outcome to the tenant. */
  async function finish(op: TenantOperationRow, tenant: TenantRow, steps: OperationStep[]) {
    const durationMs = Date.now() - new Date(op.created_at).getTime();
    const now = new Date();
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
    const action = `tenant.${op.kind}.completed` as const;
    // One statement: the operation ends, its tenant takes the outcome, the audit entry is made,
    // and the three events go out; none of it if the operation was cancelled meanwhile
    // (superseded, or its tenant deleted). The tenant's row is locked first, before the
    // operation's, in the order every request that changes a tenant takes them (its row FOR
    // UPDATE, then its operations): in the other order the two could deadlock, and PostgreSQL
    // would abort one of them (a change of worker settings answered 500 under load).
    const done = await db
      .with('held', (q) => q.selectFrom('tenants').select('id').where('id', '=', tenant.id).forUpdate())
      .with('operation', (q) =>
        q
          .updateTable('tenant_operations')
          .set({
            state: 'succeeded',
            steps: JSON.stringify(steps),
            finished_at: now,
            updated_at: now,
            last_error: null,
          })
          .where('id', '=', op.id)
          .where('state', '=', 'running')
          // Uncorrelated: evaluated once, before the operation's row is touched.
          .where((eb) => eb.exists(eb.selectFrom('held').select('held.id')))
          .returning('id'),
      )
      .with('tenant', (q) =>
        q
          .updateTable('tenants')
          .set({ ...next, updated_at: now })
          .where('id', '=', tenant.id)
          .where((eb) => eb.exists(eb.selectFrom('operation').select('operation.id')))
          .returning('id'),
      )
      .with('entry', (q) =>
        auditEntry(
          q,
          { actor: SYSTEM_ACTOR },
          action,
          { kind: 'tenant', id: tenant.slug },
          { operationId: op.id, durationMs },
          'operation',
        ),
      )
      // From the operation and its entry (both there or both not), so the events go out even if
      // the tenant's row were gone; the tenant's update runs either way (a CTE always does).
      .selectFrom(['operation', 'entry'])
      .select([
        operationEvent(op, tenant, 'succeeded', null).as('operation_sent'),
        bus
          .notification('tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'state' })
          .as('tenant_sent'),
        auditNotification(bus, 'entry', action).as('entry_sent'),
      ])
      .execute();
    if (done.length === 0) return;
    logger.info(
      { tenant: tenant.slug, operation: op.id, kind: op.kind, durationMs },
      `tenant ${op.kind} completed`,
    );
  }

  async function execute(op: TenantOperationRow, tenant: TenantRow) {
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
    const context: StepContext = {};
    const pending = (from: number) => plan.findIndex((s, i) => i >= from && !isDone(steps, s.name));
    const mayGoOn = () => !stopping && locks.generation() === generation;
    // Each step boundary is one statement (the step just done, the next one started, its event),
    // written while the next step runs: the runner waits for it only at the boundary after, so a
    // cancellation is seen one step later at most (the delete or repair that cancelled it waits
    // for this tenant's lock anyway). A crash loses at most the last boundary: that step runs again.
    let behind: Promise<boolean> = Promise.resolve(true);
    const writeBehind = (current: string) => {
      behind = saveSteps(op, tenant, steps, current);
      // Awaited at the next boundary; until then its failure must not count as unhandled.
      behind.catch(() => {});
    };
    const now = () => new Date().toISOString();
    // Steps started beside an earlier one (`alongside`), by name, each resolving to when it
    // finished: the runner waits for one where it stands in the plan.
    const ahead = new Map<string, Promise<string>>();
    // Those of them that have finished: reached, they need no boundary of their own (the one after
    // them records them done).
    const finishedAhead = new Set<string>();
    /** The steps that run beside the one at `index` and are not done or started yet. */
    const besideOf = (index: number) =>
      plan
        .slice(index + 1)
        .filter((s) => s.alongside === plan[index]!.name && !isDone(steps, s.name) && !ahead.has(s.name));
    // Marks the step at `index` and those beside it running (recorded with the boundary).
    const start = (index: number) => {
      for (const step of [plan[index]!, ...besideOf(index)]) {
        if (!ahead.has(step.name))
          patchStep(steps, step.name, { state: 'running', startedAt: now(), error: null });
      }
    };
    /** Runs `step`, resolving to when it finished. */
    const runStep = async (step: Step) => {
      await step.run(services, tenant, context);
      return now();
    };
    // Starts the steps beside the one at `index`, once that one has begun (what it sets up before
    // its first wait, such as the Secret's promise, is then there for them).
    const startBeside = (index: number) => {
      for (const other of besideOf(index)) {
        const running = runStep(other);
        // Awaited where the step stands; until then its failure must not count as unhandled.
        running.then(
          () => finishedAhead.add(other.name),
          () => {},
        );
        ahead.set(other.name, running);
      }
    };
    // Before the attempt records where it stopped: steps started ahead and not reached yet are
    // waited for and recorded as not begun, so the next attempt runs them again (each is idempotent).
    const abandonAhead = async () => {
      await Promise.allSettled(ahead.values());
      for (const name of ahead.keys()) {
        patchStep(steps, name, { state: 'pending', startedAt: null, finishedAt: null, error: null });
      }
      ahead.clear();
      finishedAhead.clear();
    };
    try {
      let reruns = 0;
      let i = pending(0);
      if (i < 0) return await finish(op, tenant, steps);
      if (!mayGoOn()) return;
      start(i);
      writeBehind(plan[i]!.name);
      while (i >= 0) {
        const step = plan[i]!;
        let finishedAt: string;
        try {
          const started = ahead.get(step.name);
          ahead.delete(step.name);
          const running = started ?? runStep(step);
          startBeside(i);
          finishedAt = await running;
        } catch (error) {
          await abandonAhead();
          // The boundary written meanwhile: cancelled, the operation stops here; a failed write
          // is not this step's failure, and the failure or rerun below is written anew.
          if ((await behind.catch(() => true)) === false) return;
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
            // What this attempt held of the earlier steps' outputs is stale now.
            for (const key of Object.keys(context)) delete context[key as keyof StepContext];
            for (const again of plan.slice(producer, i + 1)) {
              patchStep(steps, again.name, { state: 'pending', finishedAt: null, error: null });
            }
            i = producer;
            // Stopping (shutdown, or our lock lost, when another replica may be running it now):
            // nothing more is written; the next attempt starts from the last boundary recorded.
            if (!mayGoOn()) return;
            start(i);
            if (!(await saveSteps(op, tenant, steps, plan[i]!.name))) return;
            // Saved just now: what an earlier boundary's write did is past.
            behind = Promise.resolve(true);
            continue;
          }
          await failStep(op, tenant, steps, step.name, error);
          return;
        }
        patchStep(steps, step.name, { state: 'done', finishedAt });
        // Cancelled meanwhile: stop here.
        if (!(await behind)) return;
        await crashIfAsked(services, op.kind, step.name, () => saveSteps(op, tenant, steps, step.name));
        const next = pending(i + 1);
        if (next < 0) break;
        // Stopping (shutdown, or our lock lost): record this step done, and start no other.
        if (!mayGoOn()) {
          await abandonAhead();
          await saveSteps(op, tenant, steps, step.name);
          return;
        }
        start(next);
        if (!finishedAhead.has(plan[next]!.name)) writeBehind(plan[next]!.name);
        i = next;
      }
      await finish(op, tenant, steps);
    } finally {
      // Nothing of this attempt runs on once it has returned (and its tenant's lock is released).
      await Promise.allSettled(ahead.values());
    }
  }

  async function attempt(operationId: string, knownTenantId: string | undefined) {
    await acquireSlot();
    try {
      if (stopping) return;
      let tenantId = knownTenantId;
      if (!tenantId) {
        const op = await getOperation(db, operationId);
        if (op?.state !== 'running') return;
        tenantId = op.tenant_id;
      }
      const key = lockKey(tenantId);
      if (!(await locks.tryLock(key))) return;
      try {
        // Re-read under the lock: another runner may have finished it meanwhile. Its tenant is
        // read alongside (an operation never changes tenants).
        const [fresh, tenant] = await Promise.all([
          getOperation(db, operationId),
          db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst(),
        ]);
        if (fresh && fresh.tenant_id !== tenantId) {
          throw new Error(`operation ${operationId} is not tenant ${tenantId}'s`);
        }
        if (fresh?.state === 'running' && tenant) await execute(fresh, tenant);
      } finally {
        await locks.unlock(key).catch(() => {});
      }
      // An operation of the same tenant that found the lock taken (one that superseded this one,
      // say) runs now rather than at the reconciler's next round.
      if (!stopping) {
        const waiting = await db
          .selectFrom('tenant_operations')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('state', '=', 'running')
          .where('id', '<>', operationId)
          .where('next_attempt_at', '<=', new Date())
          .execute();
        for (const next of waiting) void run(next.id, tenantId);
      }
    } catch (error) {
      logger.error({ err: error, operation: operationId }, 'tenant operation attempt failed');
    } finally {
      releaseSlot();
    }
  }

  function run(operationId: string, tenantId?: string): Promise<void> {
    const existing = running.get(operationId);
    if (existing) return existing;
    const promise = attempt(operationId, tenantId).finally(() => running.delete(operationId));
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

/**
 * The crash test hook: exits without any cleanup right after the named step, like a killed pod.
 * `record` first saves the step as done, as the runner would before going on.
 */
export function crashIfAsked(
  services: TenantServices,
  kind: string,
  step: string,
  record?: () => Promise<unknown>,
): Promise<void> | undefined {
  if (services.faultAfterStep !== `${kind}:${step}`) return;
  const die = () => {
    services.logger.warn({ step: `${kind}:${step}` }, 'CP_FAULT_AFTER_STEP: exiting now');
    process.kill(process.pid, 'SIGKILL');
  };
  if (!record) {
    die();
    return;
  }
  return record().then(die);
}
