import { describe, expect, it } from 'vitest';
import {
  liveTenantsReducer,
  matchesView,
  mergeTenantRows,
  queryOfView,
  type TenantLike,
  type TenantView,
  viewFromQuery,
} from '../../../client/src/tenants/live-list.ts';

const tenant = (slug: string, patch: Partial<TenantLike> = {}): TenantLike => ({
  id: `id-${slug}`,
  slug,
  name: slug.toUpperCase(),
  state: 'ACTIVE',
  ...patch,
});
const all: TenantView = { search: '', states: [] };
const live = (...tenants: TenantLike[]) =>
  tenants.reduce<ReadonlyMap<string, TenantLike>>((map, t) => liveTenantsReducer(map, t), new Map());
const slugs = (rows: readonly TenantLike[]) => rows.map((t) => t.slug);

describe('matchesView', () => {
  it('lists every state but DELETED by default, as the API does', () => {
    expect(matchesView(tenant('a', { state: 'PROVISIONING' }), all)).toBe(true);
    expect(matchesView(tenant('a', { state: 'DELETING' }), all)).toBe(true);
    expect(matchesView(tenant('a', { state: 'DELETED' }), all)).toBe(false);
    expect(matchesView(tenant('a', { state: 'DELETED' }), { search: '', states: ['DELETED'] })).toBe(true);
  });

  it('searches slug and name, ignoring case', () => {
    const acme = tenant('acme', { name: 'Acme Corporation' });
    expect(matchesView(acme, { search: 'CORP', states: [] })).toBe(true);
    expect(matchesView(acme, { search: 'cme', states: [] })).toBe(true);
    expect(matchesView(acme, { search: 'globex', states: [] })).toBe(false);
  });
});

describe('liveTenantsReducer', () => {
  it('keeps the newest snapshot of each tenant without changing the previous map', () => {
    const first = live(tenant('acme', { state: 'PROVISIONING' }));
    const second = liveTenantsReducer(first, tenant('acme'));
    expect(first.get('id-acme')?.state).toBe('PROVISIONING');
    expect(second.get('id-acme')?.state).toBe('ACTIVE');
    expect(second.size).toBe(1);
  });
});

describe('mergeTenantRows', () => {
  const fetched = [tenant('alpha'), tenant('delta'), tenant('kilo')];

  it('shows the fetched rows when nothing arrived live', () => {
    expect(slugs(mergeTenantRows(fetched, new Map(), all, false))).toEqual(['alpha', 'delta', 'kilo']);
  });

  it('adds a tenant created elsewhere in slug order, without a reload', () => {
    const rows = mergeTenantRows(fetched, live(tenant('bravo', { state: 'PROVISIONING' })), all, false);
    expect(slugs(rows)).toEqual(['alpha', 'bravo', 'delta', 'kilo']);
    expect(rows[1]?.state).toBe('PROVISIONING');
  });

  it('adds live tenants at the end and the start of a complete list', () => {
    const rows = mergeTenantRows(fetched, live(tenant('zulu'), tenant('aaa')), all, false);
    expect(slugs(rows)).toEqual(['aaa', 'alpha', 'delta', 'kilo', 'zulu']);
  });

  it('does not add a tenant past the last loaded page: the next page brings it in order', () => {
    const rows = mergeTenantRows(fetched, live(tenant('bravo'), tenant('lima')), all, true);
    expect(slugs(rows)).toEqual(['alpha', 'bravo', 'delta', 'kilo']);
  });

  it('shows a tenant once when it arrives live and with a page', () => {
    const rows = mergeTenantRows(fetched, live(tenant('delta', { state: 'DELETING' })), all, false);
    expect(slugs(rows)).toEqual(['alpha', 'delta', 'kilo']);
  });

  it('keeps the fetched copy of a tenant, which the cache keeps newest', () => {
    const rows = mergeTenantRows(
      [tenant('alpha', { name: 'New' })],
      live(tenant('alpha', { name: 'Old' })),
      all,
      false,
    );
    expect(rows.map((t) => t.name)).toEqual(['New']);
  });

  it('drops a fetched tenant whose new state takes it out of the view', () => {
    const deleted = [tenant('alpha'), tenant('delta', { state: 'DELETED' }), tenant('kilo')];
    expect(slugs(mergeTenantRows(deleted, new Map(), all, false))).toEqual(['alpha', 'kilo']);
  });

  it('adds only live tenants that match the search and state filter', () => {
    const view: TenantView = { search: 'ac', states: ['ACTIVE'] };
    const rows = mergeTenantRows(
      [],
      live(tenant('acme'), tenant('tracy', { state: 'PROVISIONING' }), tenant('globex')),
      view,
      false,
    );
    expect(slugs(rows)).toEqual(['acme']);
  });

  it('lets a tenant join the view once it reaches the filtered state', () => {
    const view: TenantView = { search: '', states: ['ACTIVE'] };
    const provisioning = live(tenant('bravo', { state: 'PROVISIONING' }));
    expect(slugs(mergeTenantRows(fetched, provisioning, view, false))).toEqual(['alpha', 'delta', 'kilo']);
    const active = liveTenantsReducer(provisioning, tenant('bravo'));
    expect(slugs(mergeTenantRows(fetched, active, view, false))).toEqual(['alpha', 'bravo', 'delta', 'kilo']);
  });
});

describe('tenant list view in the URL', () => {
  it('round-trips search and states, ignoring unknown states', () => {
    const view = viewFromQuery('?q=acme&state=ACTIVE,BOGUS,DELETED');
    expect(view).toEqual({ search: 'acme', states: ['ACTIVE', 'DELETED'] });
    expect(queryOfView(view)).toEqual({ q: 'acme', state: 'ACTIVE,DELETED' });
    expect(viewFromQuery('')).toEqual({ search: '', states: [] });
  });
});
