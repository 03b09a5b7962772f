import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  OperationKind,
  OperationStep,
  TenantOperationRow,
  TenantRow,
  TenantState,
} from '../../db/schema.ts';

/** Loads the tenant that exists under `slug` (not a deleted one). */
export function findLiveTenant(db: Executor, slug: string): Promise<TenantRow | undefined> {
  return db
    .selectFrom('tenants')
    .selectAll()
    .where('slug', '=', slug)
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
}

/** Loads tenants by id, in the order asked (for dataloaders). */
export async function getTenantsById(db: Executor, ids: readonly string[]): Promise<(TenantRow | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('tenants').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export type TenantListFilter = { search?: string | null; states?: TenantState[] | null };
export type TenantWindow = {
  afterKey?: TenantKey;
  beforeKey?: TenantKey;
  limit: number;
  descending?: boolean;
};
/** The keyset of the tenant list: slug, then id for deleted tenants sharing a slug. */
export type TenantKey = { slug: string; id: string };

/**
 * Lists tenants ordered by slug (then id), with keyset pagination: the cost of a page does not grow
 * with how far into the list it is. Stats are columns of the row (kept by the status poller), so
 * no page ever calls a tenant backend.
 */
export function listTenants(
  db: Executor,
  filter: TenantListFilter,
  window: TenantWindow,
): Promise<TenantRow[]> {
  let q = db.selectFrom('tenants').selectAll();
  const states = filter.states?.length
    ? filter.states
    : (['provisioning', 'active', 'deleting'] as TenantState[]);
  q = q.where('state', 'in', states);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('slug', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (window.afterKey) {
    const { slug, id } = window.afterKey;
    q = q.where(sql<boolean>`(slug, id) > (${slug}, ${id}::uuid)`);
  }
  if (window.beforeKey) {
    const { slug, id } = window.beforeKey;
    q = q.where(sql<boolean>`(slug, id) < (${slug}, ${id}::uuid)`);
  }
  const direction = window.descending ? 'desc' : 'asc';
  return q.orderBy('slug', direction).orderBy('id', direction).limit(window.limit).execute();
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

export async function insertOperation(
  db: Executor,
  tenantId: string,
  kind: OperationKind,
  steps: OperationStep[],
  actorLabel: string,
): Promise<TenantOperationRow> {
  return db
    .insertInto('tenant_operations')
    .values({
      tenant_id: tenantId,
      kind,
      state: 'running',
      steps: JSON.stringify(steps),
      actor_label: actorLabel,
      // When it was made, not when its transaction began: a tenant's current operation is its
      // newest, and a change that waited longer for the tenant's lock is the newer one.
      created_at: sql<Date>`clock_timestamp()`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
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
