import { type QueryCreator, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Call } from '../call.ts';
import type { AuditAction, AuditDetails, AuditTarget } from './actions.ts';

/** The columns of one audit entry, each with its SQL type (for an INSERT … SELECT). */
function entryColumns<A extends AuditAction>(
  call: Call,
  action: A,
  target: AuditTarget | null,
  details: AuditDetails[A],
) {
  return [
    ['actor_kind', call.actor.kind, 'text'],
    ['actor_id', call.actor.id, 'text'],
    ['actor_label', call.actor.label, 'text'],
    ['actor_token_id', call.actor.kind === 'token' ? (call.actor.tokenId ?? null) : null, 'uuid'],
    ['action', action, 'text'],
    ['target_kind', target?.kind ?? null, 'text'],
    ['target_id', target?.id ?? null, 'text'],
    ['details', JSON.stringify(details), 'jsonb'],
    ['request_id', call.requestId ?? null, 'text'],
  ] as const;
}

/**
 * One audit entry as part of a statement of one's own, under a CTE name:
 * `db.with('entry', (q) => auditEntry(q, …))`, with `auditNotification(bus, 'entry', action)` in
 * the final select to send its event. `onlyIf` names an earlier CTE of the statement: the entry is
 * made only when that one returned a row (the change it records did happen).
 */
export function auditEntry<DB extends Database, A extends AuditAction>(
  q: QueryCreator<DB>,
  call: Call,
  action: A,
  target: AuditTarget | null,
  details: AuditDetails[A],
  onlyIf?: string,
) {
  const columns = entryColumns(call, action, target, details);
  const values = sql.join(columns.map(([, value, type]) => sql`${value}::${sql.raw(type)}`));
  // The statement's own CTEs widen its table set; the entry goes to audit_log all the same.
  return (q as unknown as QueryCreator<Database>)
    .insertInto('audit_log')
    .columns(columns.map(([name]) => name))
    .expression(onlyIf ? sql`select ${values} from ${sql.table(onlyIf)} limit 1` : sql`select ${values}`)
    .returning('id');
}

/** The `audit.recorded` event of the entry made under the CTE name `cte`, to select in the same statement. */
export function auditNotification(bus: EventBus, cte: string, action: AuditAction) {
  return bus.notificationOf(
    'audit.recorded',
    sql`json_build_object('id', ${sql.ref(`${cte}.id`)}::text, 'action', ${action}::text)`,
  );
}

/**
 * Records one audited action. Call it with the transaction that makes the change, so the entry
 * exists if and only if the change does; the `audit.recorded` event is sent on commit. One
 * statement: the entry, and its event with the id the entry got.
 */
export async function record<A extends AuditAction>(
  trx: Executor,
  bus: EventBus,
  call: Call,
  action: A,
  target: AuditTarget | null,
  details: AuditDetails[A],
): Promise<string> {
  const row = await trx
    .with('entry', (q) => auditEntry(q, call, action, target, details))
    .selectFrom('entry')
    .select(['entry.id', auditNotification(bus, 'entry', action).as('sent')])
    .executeTakeFirstOrThrow();
  return row.id;
}
