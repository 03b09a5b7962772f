import { compareTenants, DEFAULT_ORDER, type TenantOrder } from './order.ts';

/** The tenant states as the API names them. */
export type TenantStateName = 'PROVISIONING' | 'ACTIVE' | 'DELETING' | 'DELETED';

/** Which tenants a list shows: the API's `search` and `state` arguments. */
export type TenantView = {
  search: string;
  /** Empty means the API's default: every state but DELETED. */
  states: readonly TenantStateName[];
};

export type TenantLike = { id: string; slug: string; name: string; state: TenantStateName };

const DEFAULT_STATES: readonly TenantStateName[] = ['PROVISIONING', 'ACTIVE', 'DELETING'];

/** Whether the API would list `tenant` for `view`: the state filter, and search in slug or name. */
export function matchesView(tenant: TenantLike, view: TenantView): boolean {
  const states = view.states.length > 0 ? view.states : DEFAULT_STATES;
  if (!states.includes(tenant.state)) return false;
  const search = view.search.trim().toLowerCase();
  if (search === '') return true;
  return tenant.slug.toLowerCase().includes(search) || tenant.name.toLowerCase().includes(search);
}

/**
 * Keeps the newest snapshot of each tenant delivered live (`tenantUpdated`), by id. Used as the
 * subscription's reducer: the list page merges these into what it fetched.
 */
export function liveTenantsReducer<T extends TenantLike>(
  live: ReadonlyMap<string, T> | undefined,
  tenant: T,
): ReadonlyMap<string, T> {
  const next = new Map(live);
  next.set(tenant.id, tenant);
  return next;
}

/**
 * The rows a tenant list shows: the fetched pages plus tenants that arrived live, as the API would
 * list them now. Fetched rows come from the normalized cache, which live updates also write, so
 * they are never older than a live snapshot; they are kept in the order the API sent them (once
 * each) unless their new state or name takes them out of the view (a deleted tenant leaves the
 * default list). A live tenant that is not among them is added in the list's order when it matches
 * the view and falls inside the pages loaded so far; beyond the last loaded row it would be out of
 * order, and the next page brings it anyway.
 */
export function mergeTenantRows<T extends TenantLike & { createdAt?: string | null }>(
  fetched: readonly T[],
  live: ReadonlyMap<string, T>,
  view: TenantView,
  hasMore: boolean,
  order: TenantOrder = DEFAULT_ORDER,
): T[] {
  const compare = compareTenants<T>(order);
  const known = new Set<string>();
  const rows: T[] = [];
  for (const tenant of fetched) {
    // A tenant whose state changed between two pages (in the order by state) can come twice.
    if (known.has(tenant.id)) continue;
    known.add(tenant.id);
    if (matchesView(tenant, view)) rows.push(tenant);
  }
  const last = fetched.at(-1);
  const arrivals = [...live.values()]
    .filter((tenant) => !known.has(tenant.id) && matchesView(tenant, view))
    .filter((tenant) => !hasMore || (last !== undefined && compare(tenant, last) <= 0))
    .sort(compare);
  if (arrivals.length === 0) return rows;
  const merged: T[] = [];
  let next = 0;
  for (const row of rows) {
    while (next < arrivals.length && compare(arrivals[next]!, row) < 0) merged.push(arrivals[next++]!);
    merged.push(row);
  }
  while (next < arrivals.length) merged.push(arrivals[next++]!);
  return merged;
}

const STATE_NAMES: readonly TenantStateName[] = ['PROVISIONING', 'ACTIVE', 'DELETING', 'DELETED'];

/** The view in a tenants page URL: `?q=acme&state=ACTIVE,DELETING`; unknown states are ignored. */
export function viewFromQuery(search: string): TenantView {
  const params = new URLSearchParams(search);
  const states = (params.get('state') ?? '')
    .split(',')
    .filter((s): s is TenantStateName => (STATE_NAMES as readonly string[]).includes(s));
  return { search: params.get('q') ?? '', states };
}

/** The query parameters of a view, for `replaceQuery` or a link. */
export function queryOfView(view: TenantView): Record<string, string> {
  return { q: view.search, state: view.states.join(',') };
}
