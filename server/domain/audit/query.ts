import type { Executor } from '../../db/database.ts';
import type { AuditLogRow } from '../../db/schema.ts';
import { ValidationError } from '../errors.ts';

export type AuditFilter = {
  /** Exact action, or a prefix ending in `*` (`tenant.*` matches `tenant.created`). */
  action?: string | null;
  targetKind?: string | null;
  targetId?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
};

const MAX_PAGE = 500;

export type AuditWindow = {
  /** Only entries older than this id (a cursor). */
  olderThan?: string | null;
  /** Only entries newer than this id (a cursor). */
  newerThan?: string | null;
  limit: number;
  /** Read from the oldest end, for backwards pagination; the list itself is newest first. */
  oldestFirst?: boolean;
};

/**
 * Lists audit entries newest first with keyset pagination on the id: ids grow with time, so an id
 * is a stable cursor that no later insert can shift.
 */
export async function listAudit(
  db: Executor,
  filter: AuditFilter,
  window: AuditWindow,
): Promise<AuditLogRow[]> {
  if (window.limit < 1 || window.limit > MAX_PAGE + 1) {
    throw new ValidationError(`page size must be between 1 and ${MAX_PAGE}`);
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new ValidationError('time range is empty: "from" is after "to"');
  }
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.action) {
    const prefix = filter.action.endsWith('*') ? filter.action.slice(0, -1) : null;
    q =
      prefix !== null
        ? q.where('action', 'like', `${escapeLike(prefix)}%`)
        : q.where('action', '=', filter.action);
  }
  if (filter.targetKind) q = q.where('target_kind', '=', filter.targetKind);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.from) q = q.where('at', '>=', filter.from);
  if (filter.to) q = q.where('at', '<=', filter.to);
  if (window.olderThan) q = q.where('id', '<', window.olderThan);
  if (window.newerThan) q = q.where('id', '>', window.newerThan);
  return q
    .orderBy('id', window.oldestFirst ? 'asc' : 'desc')
    .limit(window.limit)
    .execute();
}

/** Loads entries by id, in the order asked, for subscriptions and dataloaders. */
export async function getAuditEntries(db: Executor, ids: readonly string[]): Promise<(AuditLogRow | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('audit_log').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
