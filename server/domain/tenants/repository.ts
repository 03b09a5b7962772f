import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  OperationKind,
  OperationStep,
  TenantOperationRow,
  TenantRow,
  TenantState,
} from '../../db/schema.ts';
import { NotFoundError } from '../errors.ts';

/** Loads the tenant that exists under `slug` (not a deleted one). */
export function findLiveTenant(db: Executor, slug: string): Promise<TenantRow | undefined> {
  return db
    .selectFrom('tenants')
    .selectAll()
    .where('slug', '=', slug)
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
}

/**
 * Locks the row of the tenant that exists under `slug` for the rest of `trx` (every change of its
 * operations takes it first); NotFoundError TENANT_NOT_FOUND when there is none.
 */
export async function lockLiveTenant(trx: Executor, slug: string): Promise<TenantRow> {
  const tenant = await trx
    .selectFrom('tenants')
    .selectAll()
    .where('slug', '=', slug)
    .where('state', '<>', 'deleted')
    .forUpdate()
    .executeTakeFirst();
  // The slug is the caller's input, unchecked: at most 80 characters of it go back.
  if (!tenant) throw new NotFoundError(`no tenant with slug "${slug.slice(0, 80)}"`, 'TENANT_NOT_FOUND');
  return tenant;
}

/** Loads tenants by id, in the order asked (for dataloaders). */
export async function getTenantsById(db: Executor, ids: readonly string[]): Promise<(TenantRow | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('tenants').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export type TenantListFilter = { search?: string | null; states?: TenantState[] | null };

/** What the tenant list can be ordered by; each order ends with the id, so no two rows tie. */
export type TenantOrderField = 'slug' | 'name' | 'state' | 'created';
export type TenantOrder = { field: TenantOrderField; descending: boolean };
export const DEFAULT_TENANT_ORDER: TenantOrder = { field: 'slug', descending: false };

/**
 * Where a row sits in one order: the values of that order's columns. `name` is compared as
 * `lower(name)` in the "C" collation (case-insensitive, the same on every database server);
 * `createdAt` is the instant to the microsecond, as PostgreSQL keeps it (a JavaScript Date would
 * round it, and a page would then repeat or skip rows created within one millisecond).
 */
export type TenantKey =
  | { by: 'slug'; slug: string; id: string }
  | { by: 'name'; name: string; id: string }
  | { by: 'state'; state: TenantState; slug: string; id: string }
  | { by: 'created'; createdAt: string; id: string };

export type TenantWindow = {
  afterKey?: TenantKey;
  beforeKey?: TenantKey;
  limit: number;
  /** Read the order backwards (paging with `last`/`before`); the page is turned round afterwards. */
  descending?: boolean;
};

/**
 * A row of the list; in a list by creation, with the exact creation instant its cursor needs (a
 * Date keeps only milliseconds). Other orders do not pay for formatting it.
 */
export type TenantListRow = TenantRow & { created_key?: string };

const CREATED_KEY = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns an order sorts by, as SQL, and the same values of a key, in that order. */
function orderColumns(field: TenantOrderField) {
  switch (field) {
    case 'slug':
      return [sql`slug`, sql`id`];
    case 'name':
      return [sql`(lower(name) collate "C")`, sql`id`];
    case 'state':
      return [sql`state`, sql`slug`, sql`id`];
    case 'created':
      return [sql`created_at`, sql`id`];
  }
}
function keyValues(key: TenantKey) {
  switch (key.by) {
    case 'slug':
      return [sql`${key.slug}`, sql`${key.id}::uuid`];
    case 'name':
      return [sql`(lower(${key.name}) collate "C")`, sql`${key.id}::uuid`];
    case 'state':
      return [sql`${key.state}`, sql`${key.slug}`, sql`${key.id}::uuid`];
    case 'created':
      return [sql`${key.createdAt}::timestamptz`, sql`${key.id}::uuid`];
  }
}

/** The key of `row` in `order`, for its cursor. */
export function tenantKey(row: TenantListRow, field: TenantOrderField): TenantKey {
  switch (field) {
    case 'slug':
      return { by: 'slug', slug: row.slug, id: row.id };
    case 'name':
      return { by: 'name', name: row.name, id: row.id };
    case 'state':
      return { by: 'state', state: row.state, slug: row.slug, id: row.id };
    case 'created':
      if (row.created_key === undefined) throw new Error('a list by creation selects created_key');
      return { by: 'created', createdAt: row.created_key, id: row.id };
  }
}

/**
 * Lists tenants in `order` (slug by default; the id last, so the order is total) with keyset
 * pagination: a page starts where the key of the last row seen sits, so its cost does not grow
 * with how far into the list it is, and rows added or removed meanwhile never shift a page. Each
 * order has an index (slug, name, state, creation). Stats are columns of the row (kept by the
 * status poller), so no page ever calls a tenant backend.
 */
export function listTenants(
  db: Executor,
  filter: TenantListFilter,
  window: TenantWindow,
  order: TenantOrder = DEFAULT_TENANT_ORDER,
): Promise<TenantListRow[]> {
  let q = db
    .selectFrom('tenants')
    .selectAll()
    .$if(order.field === 'created', (qb) => qb.select(CREATED_KEY.as('created_key')));
  const states = filter.states?.length
    ? filter.states
    : (['provisioning', 'active', 'deleting'] as TenantState[]);
  q = q.where('state', 'in', states);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('slug', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  const columns = sql.join(orderColumns(order.field));
  // "After" in a descending order is a smaller key.
  const forwards = order.descending ? sql`<` : sql`>`;
  const backwards = order.descending ? sql`>` : sql`<`;
  for (const [key, comparison] of [
    [window.afterKey, forwards],
    [window.beforeKey, backwards],
  ] as const) {
    if (!key) continue;
    if (key.by !== order.field) throw new Error(`a ${key.by} key cannot page a list by ${order.field}`);
    q = q.where(sql<boolean>`(${columns}) ${comparison} (${sql.join(keyValues(key))})`);
  }
  const direction = order.descending !== Boolean(window.descending) ? sql`desc` : sql`asc`;
  const orderBy = sql.join(
    orderColumns(order.field).map((column) => sql`${column} ${direction}`),
    sql`, `,
  );
  return q.orderBy(orderBy).limit(window.limit).execute() as Promise<TenantListRow[]>;
}

/** Counts tenants by state, for the dashboard. */
export async function countTenantsByState(db: Executor): Promise<Record<TenantState, number>> {
  const rows = await db
    .selectFrom('tenants')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state')
    .execute();
  const counts: Record<TenantState, number> = { provisioning: 0, active: 0, deleting: 0, deleted: 0 };
  for (const r of rows) counts[r.state] = Number(r.n);
  return counts;
}

export function newSteps(names: readonly string[]): OperationStep[] {
  return names.map((name) => ({ name, state: 'pending', startedAt: null, finishedAt: null, error: null }));
}

/** The row of a new running operation (`id` made by the caller, so it can be named before the insert). */
export function operationValues(
  id: string,
  tenantId: string,
  kind: OperationKind,
  steps: OperationStep[],
  actorLabel: string,
) {
  return {
    id,
    tenant_id: tenantId,
    kind,
    state: 'running' as const,
    steps: JSON.stringify(steps),
    actor_label: actorLabel,
    // When it was made, not when its transaction began: a tenant's current operation is its
    // newest, and a change that waited longer for the tenant's lock is the newer one.
    created_at: sql<Date>`clock_timestamp()`,
  };
}

export function getOperation(db: Executor, id: string): Promise<TenantOperationRow | undefined> {
  return db.selectFrom('tenant_operations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest operation of each tenant asked for, in the order asked (for dataloaders). */
export async function latestOperations(
  db: Executor,
  tenantIds: readonly string[],
): Promise<(TenantOperationRow | null)[]> {
  if (tenantIds.length === 0) return [];
  const rows = await db
    .selectFrom('tenant_operations')
    .selectAll()
    .distinctOn('tenant_id')
    .where('tenant_id', 'in', tenantIds)
    .orderBy('tenant_id')
    .orderBy('created_at', 'desc')
    .execute();
  const byTenant = new Map(rows.map((r) => [r.tenant_id, r]));
  return tenantIds.map((id) => byTenant.get(id) ?? null);
}

/** Operations that still have work to do and are due, oldest first. */
export function dueOperations(db: Executor, limit: number): Promise<TenantOperationRow[]> {
  return db
    .selectFrom('tenant_operations')
    .selectAll()
    .where('state', '=', 'running')
    .where('next_attempt_at', '<=', new Date())
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}
