import { describe, expect, it } from 'vitest';
import {
  liveTenantsReducer,
  mergeTenantRows,
  type TenantLike,
} from '../../../client/src/tenants/live-list.ts';
import {
  compareTenants,
  DEFAULT_ORDER,
  orderFromQuery,
  queryOfOrder,
  type TenantOrder,
  toggledOrder,
} from '../../../client/src/tenants/order.ts';

type Row = TenantLike & { createdAt: string };
const tenant = (slug: string, patch: Partial<Row> = {}): Row => ({
  id: `id-${slug}`,
  slug,
  name: slug,
  state: 'ACTIVE',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});
const live = (...tenants: Row[]) =>
  tenants.reduce<ReadonlyMap<string, Row>>((map, t) => liveTenantsReducer(map, t), new Map());
const slugs = (rows: readonly Row[]) => rows.map((t) => t.slug);
const all = { search: '', states: [] };

describe('tenant list order', () => {
  it('clicking a column orders by it (newest first for the creation time), clicking again turns it round', () => {
    expect(toggledOrder(DEFAULT_ORDER, 'SLUG')).toEqual({ field: 'SLUG', direction: 'DESC' });
    expect(toggledOrder({ field: 'SLUG', direction: 'DESC' }, 'SLUG')).toEqual(DEFAULT_ORDER);
    expect(toggledOrder(DEFAULT_ORDER, 'NAME')).toEqual({ field: 'NAME', direction: 'ASC' });
    expect(toggledOrder(DEFAULT_ORDER, 'CREATED_AT')).toEqual({ field: 'CREATED_AT', direction: 'DESC' });
  });

  it('round-trips through the URL with the REST names, the default leaving it clean', () => {
    const newest: TenantOrder = { field: 'CREATED_AT', direction: 'DESC' };
    expect(queryOfOrder(newest)).toEqual({ sort: 'created_at', direction: 'desc' });
    expect(orderFromQuery('?q=x&sort=created_at&direction=desc')).toEqual(newest);
    expect(orderFromQuery('?sort=name')).toEqual({ field: 'NAME', direction: 'ASC' });
    expect(queryOfOrder(DEFAULT_ORDER)).toEqual({ sort: null, direction: null });
    expect(orderFromQuery('?sort=users&direction=desc')).toEqual(DEFAULT_ORDER);
    expect(orderFromQuery('')).toEqual(DEFAULT_ORDER);
  });

  it('compares as the API orders: names case-insensitively, states then slugs, instants, either way', () => {
    const sort = (order: TenantOrder, rows: Row[]) => slugs([...rows].sort(compareTenants<Row>(order)));
    const rows = [
      tenant('c', { name: 'beta', state: 'PROVISIONING', createdAt: '2026-03-01T00:00:00.000Z' }),
      tenant('a', { name: 'Gamma', state: 'ACTIVE', createdAt: '2026-01-01T00:00:00.000Z' }),
      tenant('b', { name: 'Alpha', state: 'DELETING', createdAt: '2026-02-01T00:00:00.000Z' }),
      tenant('d', { name: 'alpha', state: 'ACTIVE', createdAt: '2026-02-01T00:00:00.000Z' }),
    ];
    expect(sort({ field: 'SLUG', direction: 'ASC' }, rows)).toEqual(['a', 'b', 'c', 'd']);
    // Alpha and alpha tie on the name: the id decides, as on the server.
    expect(sort({ field: 'NAME', direction: 'ASC' }, rows)).toEqual(['b', 'd', 'c', 'a']);
    expect(sort({ field: 'NAME', direction: 'DESC' }, rows)).toEqual(['a', 'c', 'd', 'b']);
    expect(sort({ field: 'STATE', direction: 'ASC' }, rows)).toEqual(['a', 'd', 'b', 'c']);
    expect(sort({ field: 'CREATED_AT', direction: 'DESC' }, rows)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('places a tenant that arrived live where the order puts it, not by slug', () => {
    const order: TenantOrder = { field: 'CREATED_AT', direction: 'DESC' };
    const fetched = [
      tenant('m', { createdAt: '2026-03-01T00:00:00.000Z' }),
      tenant('a', { createdAt: '2026-01-01T00:00:00.000Z' }),
    ];
    const created = tenant('z', { createdAt: '2026-04-01T00:00:00.000Z', state: 'PROVISIONING' });
    expect(slugs(mergeTenantRows(fetched, live(created), all, false, order))).toEqual(['z', 'm', 'a']);
    // Older than every loaded row while more pages follow: the next page brings it in its place.
    const old = tenant('b', { createdAt: '2025-01-01T00:00:00.000Z' });
    expect(slugs(mergeTenantRows(fetched, live(old), all, true, order))).toEqual(['m', 'a']);
    expect(slugs(mergeTenantRows(fetched, live(old), all, false, order))).toEqual(['m', 'a', 'b']);
  });

  it('shows a tenant once when two pages both hold it (its state changed between them)', () => {
    const order: TenantOrder = { field: 'STATE', direction: 'ASC' };
    const moved = tenant('b', { state: 'DELETING' });
    const rows = mergeTenantRows(
      [tenant('a'), moved, moved, tenant('c', { state: 'PROVISIONING' })],
      new Map(),
      all,
      false,
      order,
    );
    expect(slugs(rows)).toEqual(['a', 'b', 'c']);
  });
});
