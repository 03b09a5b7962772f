import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Call } from '../call.ts';
import type { AuditAction, AuditDetails, AuditTarget } from './actions.ts';

/**
 * Records one audited action. Call it with the transaction that makes the change, so the entry
 * exists if and only if the change does; the `audit.recorded` event is sent on commit.
 */
export async function record<A extends AuditAction>(
  trx: Executor,
  bus: EventBus,
  call: Call,
  action: A,
  target: AuditTarget | null,
  details: AuditDetails[A],
): Promise<string> {
  // One statement: the entry, and its event with the id the entry got.
  const row = await trx
    .with('entry', (q) =>
      q
        .insertInto('audit_log')
        .values({
          actor_kind: call.actor.kind,
          actor_id: call.actor.id,
          actor_label: call.actor.label,
          actor_token_id: call.actor.kind === 'token' ? (call.actor.tokenId ?? null) : null,
          action,
          target_kind: target?.kind ?? null,
          target_id: target?.id ?? null,
          details: JSON.stringify(details),
          request_id: call.requestId ?? null,
        })
        .returning('id'),
    )
    .selectFrom('entry')
    .select([
      'entry.id',
      bus
        .notificationOf(
          'audit.recorded',
          sql`json_build_object('id', entry.id::text, 'action', ${action}::text)`,
        )
        .as('sent'),
    ])
    .executeTakeFirstOrThrow();
  return row.id;
}
