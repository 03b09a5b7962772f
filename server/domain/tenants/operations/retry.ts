import { sql } from 'kysely';
import type { TenantOperationRow, TenantRow } from '../../../db/schema.ts';
import { record } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { ConflictError } from '../../errors.ts';
import { latestOperations, lockLiveTenant } from '../repository.ts';
import type { LifecycleServices } from './lifecycle.ts';

export type RetriedOperation = {
  tenant: TenantRow;
  operation: TenantOperationRow;
  /** Resolves when this process's attempt at the operation ends. */
  attempt: Promise<void>;
};

/** Whether an operation is one a retry applies to: it failed, or waits to retry after failed attempts. */
export function isRetryable(op: Pick<TenantOperationRow, 'state' | 'attempts'>): boolean {
  return op.state === 'failed' || (op.state === 'running' && op.attempts > 0);
}

/**
 * Runs a tenant's latest operation again now rather than when its backoff ends (up to 5 minutes
 * after the last failed attempt), from its first unfinished step, as the reconciler would: for an
 * operator who has fixed what made it fail. An operation that had stopped (FAILED) runs again.
 * Refused (NOTHING_TO_RETRY) unless the latest operation failed or waits to retry. Audited.
 */
export async function retryTenantOperation(
  { tenants: services, runner }: LifecycleServices,
  call: Call,
  slug: string,
): Promise<RetriedOperation> {
  const { db, bus } = services;
  const retried = await db.transaction().execute(async (trx) => {
    const tenant = await lockLiveTenant(trx, slug);
    const [latest] = await latestOperations(trx, [tenant.id]);
    if (!latest || !isRetryable(latest)) {
      throw new ConflictError(
        latest
          ? `the latest operation of tenant "${slug}" (${latest.kind}) is ${latest.state === 'running' ? 'running without a failed attempt' : latest.state}; there is nothing to retry`
          : `tenant "${slug}" has no operation to retry`,
        'NOTHING_TO_RETRY',
      );
    }
    const operation = await trx
      .updateTable('tenant_operations')
      .set({
        state: 'running',
        finished_at: null,
        next_attempt_at: sql<Date>`clock_timestamp()`,
        updated_at: new Date(),
      })
      .where('id', '=', latest.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(
      trx,
      bus,
      call,
      'tenant.operation.retried',
      { kind: 'tenant', id: tenant.slug },
      {
        operationId: latest.id,
        kind: latest.kind,
        attempts: latest.attempts,
        wasFailed: latest.state === 'failed',
      },
    );
    await bus.publishIn(trx, 'tenant.operation', {
      operationId: latest.id,
      tenantId: tenant.id,
      slug: tenant.slug,
      kind: latest.kind,
      state: 'running',
      step: null,
    });
    return { tenant, operation };
  });
  return { ...retried, attempt: runner.run(retried.operation.id, retried.operation.tenant_id) };
}
