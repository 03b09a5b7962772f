import type { RawBuilder } from 'kysely';
import type { Trx } from '../../../db/database.ts';
import type { OperationKind, OperationStep, TenantOperationRow } from '../../../db/schema.ts';
import type { EventBus } from '../../../events/bus.ts';
import type { AuditAction, AuditDetails } from '../../audit/actions.ts';
import { record } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { insertOperation } from '../repository.ts';

/**
 * Records a new tenant operation inside the caller's transaction: the operation row with its
 * steps, the audit entry that asked for it, and the `tenant.operation` event, all committed
 * together, so a crash leaves either nothing or an operation the runner resumes.
 */
export async function startOperation<A extends AuditAction>(
  trx: Trx,
  bus: EventBus,
  call: Call,
  start: {
    tenant: { id: string; slug: string };
    kind: OperationKind;
    steps: OperationStep[];
    /** The step the event names as current (`null` until the runner takes one). */
    step?: string | null;
    action: A;
    details: (operationId: string) => AuditDetails[A];
    /** More events (`bus.notification`) to send with the operation's, in the same statement. */
    alsoPublish?: RawBuilder<unknown>[];
  },
): Promise<TenantOperationRow> {
  const { tenant, kind } = start;
  const operation = await insertOperation(trx, tenant.id, kind, start.steps, call.actor.label);
  await record(
    trx,
    bus,
    call,
    start.action,
    { kind: 'tenant', id: tenant.slug },
    start.details(operation.id),
  );
  await bus.publishAllIn(trx, [
    ...(start.alsoPublish ?? []),
    bus.notification('tenant.operation', {
      operationId: operation.id,
      tenantId: tenant.id,
      slug: tenant.slug,
      kind,
      state: 'running',
      step: start.step ?? null,
    }),
  ]);
  return operation;
}
