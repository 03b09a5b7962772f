import { randomUUID } from 'node:crypto';
import type { RawBuilder } from 'kysely';
import type { Trx } from '../../../db/database.ts';
import type { OperationKind, OperationStep, TenantOperationRow } from '../../../db/schema.ts';
import type { EventBus } from '../../../events/bus.ts';
import type { AuditAction, AuditDetails } from '../../audit/actions.ts';
import { auditEntry, auditNotification } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { operationValues } from '../repository.ts';

/**
 * Records a new tenant operation inside the caller's transaction: the operation row with its
 * steps, the audit entry that asked for it, and the `tenant.operation` event (one statement),
 * all committed together, so a crash leaves either nothing or an operation the runner resumes.
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
  // The id is made here so that the audit entry's details can name it in the same statement.
  const id = randomUUID();
  const row = await trx
    .with('operation', (q) =>
      q
        .insertInto('tenant_operations')
        .values(operationValues(id, tenant.id, kind, start.steps, call.actor.label))
        .returningAll(),
    )
    .with('entry', (q) =>
      auditEntry(q, call, start.action, { kind: 'tenant', id: tenant.slug }, start.details(id), 'operation'),
    )
    .selectFrom(['operation', 'entry'])
    .selectAll('operation')
    .select([
      bus
        .notification('tenant.operation', {
          operationId: id,
          tenantId: tenant.id,
          slug: tenant.slug,
          kind,
          state: 'running',
          step: start.step ?? null,
        })
        .as('sent_operation'),
      auditNotification(bus, 'entry', start.action).as('sent_entry'),
      ...(start.alsoPublish ?? []).map((notification, i) => notification.as(`sent_also_${i}`)),
    ])
    .executeTakeFirstOrThrow();
  // The row without the notifications' (empty) `sent_` columns.
  return Object.fromEntries(
    Object.entries(row).filter(([key]) => !key.startsWith('sent_')),
  ) as TenantOperationRow;
}
