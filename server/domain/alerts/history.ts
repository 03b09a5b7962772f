import type { Executor } from '../../db/database.ts';
import type { AlertRow, AlertState } from '../../db/schema.ts';

export type AlertHistoryRow = AlertRow & { slug: string | null };
export type AlertKey = { at: string; id: string };

/**
 * Alerts that opened (open or resolved; conditions still held short of their threshold are left
 * out), newest opened first, one keyset page on (opened_at, id).
 */
export async function listAlerts(
  db: Executor,
  page: {
    after: AlertKey | undefined;
    before: AlertKey | undefined;
    limit: number;
    inverted: boolean;
    state?: AlertState;
  },
): Promise<AlertHistoryRow[]> {
  let q = db
    .selectFrom('alerts as a')
    .leftJoin('tenants as t', 't.id', 'a.tenant_id')
    .selectAll('a')
    .select('t.slug')
    .where('a.opened_at', 'is not', null);
  if (page.state) q = q.where('a.state', '=', page.state);
  if (page.after) {
    const { at, id } = page.after;
    q = q.where((eb) =>
      eb.or([
        eb('a.opened_at', '<', new Date(at)),
        eb.and([eb('a.opened_at', '=', new Date(at)), eb('a.id', '<', id)]),
      ]),
    );
  }
  if (page.before) {
    const { at, id } = page.before;
    q = q.where((eb) =>
      eb.or([
        eb('a.opened_at', '>', new Date(at)),
        eb.and([eb('a.opened_at', '=', new Date(at)), eb('a.id', '>', id)]),
      ]),
    );
  }
  const dir = page.inverted ? 'asc' : 'desc';
  return q.orderBy('a.opened_at', dir).orderBy('a.id', dir).limit(page.limit).execute();
}
