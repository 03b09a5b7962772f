import type { TenantLike } from './live-list.ts';

/** What the tenant list can be ordered by, as the API names it (`TenantOrderField`). */
export type TenantOrderField = 'SLUG' | 'NAME' | 'STATE' | 'CREATED_AT';
export type OrderDirection = 'ASC' | 'DESC';
/** The API's `orderBy` argument of `tenants`. */
export type TenantOrder = { field: TenantOrderField; direction: OrderDirection };

export const DEFAULT_ORDER: TenantOrder = { field: 'SLUG', direction: 'ASC' };

/** The `?sort=` names, the same as the REST route's. */
const SORT_NAMES: Record<TenantOrderField, string> = {
  SLUG: 'slug',
  NAME: 'name',
  STATE: 'state',
  CREATED_AT: 'created_at',
};

/** The direction a column starts in when first clicked: newest first for the creation time. */
export function firstDirection(field: TenantOrderField): OrderDirection {
  return field === 'CREATED_AT' ? 'DESC' : 'ASC';
}

/** The order after clicking `field`'s header: the other direction of the same column, or a new column. */
export function toggledOrder(current: TenantOrder, field: TenantOrderField): TenantOrder {
  if (current.field !== field) return { field, direction: firstDirection(field) };
  return { field, direction: current.direction === 'ASC' ? 'DESC' : 'ASC' };
}

/** The order in a tenants page URL: `?sort=created_at&direction=desc`; anything else is the default. */
export function orderFromQuery(search: string): TenantOrder {
  const params = new URLSearchParams(search);
  const field = (Object.keys(SORT_NAMES) as TenantOrderField[]).find(
    (f) => SORT_NAMES[f] === params.get('sort'),
  );
  if (!field) return DEFAULT_ORDER;
  return { field, direction: params.get('direction') === 'desc' ? 'DESC' : 'ASC' };
}

/** The query parameters of an order; the default order leaves the URL clean. */
export function queryOfOrder(order: TenantOrder): Record<string, string | null> {
  if (order.field === DEFAULT_ORDER.field && order.direction === DEFAULT_ORDER.direction)
    return { sort: null, direction: null };
  return { sort: SORT_NAMES[order.field], direction: order.direction.toLowerCase() };
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compares two tenants as the API orders them: the field, then the slug (for state), then the id.
 * Names compare lower-cased by code unit, as the API's `lower(name)` in the "C" collation does.
 * Used only to place tenants that arrived live among the fetched ones; the ids compared are the
 * global ones, so two tenants tied on every field may sit the other way round until a reload.
 */
export function compareTenants<T extends TenantLike & { createdAt?: string | null }>(
  order: TenantOrder,
): (a: T, b: T) => number {
  const keyOf = (t: T): string[] => {
    switch (order.field) {
      case 'SLUG':
        return [t.slug, t.id];
      case 'NAME':
        return [t.name.toLowerCase(), t.id];
      case 'STATE':
        return [t.state, t.slug, t.id];
      case 'CREATED_AT':
        // ISO instants of one length: text order is time order.
        return [t.createdAt ?? '', t.id];
    }
  };
  const sign = order.direction === 'DESC' ? -1 : 1;
  return (a, b) => {
    const [ka, kb] = [keyOf(a), keyOf(b)];
    for (let i = 0; i < ka.length; i++) {
      const c = text(ka[i]!, kb[i]!);
      if (c !== 0) return sign * c;
    }
    return 0;
  };
}
