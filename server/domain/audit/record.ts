import type { Executor } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Actor } from '../actor.ts';
import type { AuditAction, AuditDetails, AuditTarget } from './actions.ts';

export type AuditContext = { actor: Actor; requestId?: string | undefined };

/**
 * Records one audited action. Call it with the transaction that makes the change, so the entry
 * exists if and only if the change does; the `audit.recorded` event is sent on commit.
 */
export async function record<A extends AuditAction>(
  trx: Executor,
  bus: EventBus,
  ctx: AuditContext,
  action: A,
  target: AuditTarget | null,
  details: AuditDetails[A],
): Promise<string> {
  const row = await trx
    .insertInto('audit_log')
    .values({
      actor_kind: ctx.actor.kind,
      actor_id: ctx.actor.id,
      actor_label: ctx.actor.label,
      action,
      target_kind: target?.kind ?? null,
      target_id: target?.id ?? null,
      details: JSON.stringify(details),
      request_id: ctx.requestId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await bus.publishIn(trx, 'audit.recorded', { id: row.id, action });
  return row.id;
}
