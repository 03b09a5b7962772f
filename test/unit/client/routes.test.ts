import { describe, expect, it } from 'vitest';
import {
  hrefOf,
  matchRoute,
  poolPath,
  ROUTES,
  tenantPath,
  toAppPath,
  withQuery,
} from '../../../client/src/router/routes.ts';

describe('matchRoute', () => {
  it('shows the dashboard at the base, with or without its trailing slash', () => {
    expect(matchRoute('/ui/')?.route.id).toBe('dashboard');
    expect(matchRoute('/ui')?.route.id).toBe('dashboard');
  });

  it('finds every section under the base, ignoring trailing slashes', () => {
    expect(matchRoute('/ui/audit')?.route.id).toBe('audit');
    expect(matchRoute('/ui/audit/')?.route.id).toBe('audit');
    expect(matchRoute('/ui/settings')?.route.id).toBe('settings');
    expect(matchRoute('/ui/infrastructure')?.route.id).toBe('infrastructure');
  });

  it("finds the operator's API tokens page, which is not in the navigation", () => {
    expect(matchRoute('/ui/me/tokens')?.route.id).toBe('api-tokens');
    expect(ROUTES.some((route) => route.id === 'api-tokens')).toBe(false);
  });

  it('gives the not-found view for unknown paths, sub-paths and paths outside the base', () => {
    expect(matchRoute('/ui/nope')).toBeNull();
    expect(matchRoute('/ui/audit/extra')).toBeNull();
    expect(matchRoute('/uix/audit')).toBeNull();
    expect(matchRoute('/audit')).toBeNull();
    expect(matchRoute('/ui/Audit')).toBeNull();
  });

  it('round-trips every navigation entry through its href', () => {
    for (const route of ROUTES) expect(matchRoute(hrefOf(route.path))?.route).toBe(route);
  });
});

describe('toAppPath and hrefOf', () => {
  it('strip and add the base, keeping the dashboard at the base with a trailing slash', () => {
    expect(toAppPath('/ui/pools')).toBe('/pools');
    expect(toAppPath('/elsewhere')).toBeNull();
    expect(hrefOf('/')).toBe('/ui/');
    expect(hrefOf('/pools')).toBe('/ui/pools');
  });

  it('work under another base, so the base lives in one place', () => {
    expect(toAppPath('/admin/ui/license', '/admin/ui/')).toBe('/license');
    expect(hrefOf('/license', '/admin/ui/')).toBe('/admin/ui/license');
  });

  it('lists the sections in the order the navigation shows them', () => {
    expect(ROUTES.map((r) => r.label)).toEqual([
      'Dashboard',
      'Tenants',
      'License',
      'Pools',
      'Infrastructure',
      'Settings',
      'Mail',
      'Audit',
    ]);
  });
});

describe('the tenant page route', () => {
  it('matches a tenant slug under /tenants and decodes it', () => {
    const match = matchRoute('/ui/tenants/acme-corp');
    expect(match?.route.id).toBe('tenant');
    expect(match?.params).toEqual({ slug: 'acme-corp' });
    expect(matchRoute('/ui/tenants/a%20b')?.params.slug).toBe('a b');
  });

  it('keeps /tenants for the list and refuses deeper or malformed paths', () => {
    expect(matchRoute('/ui/tenants')?.route.id).toBe('tenants');
    expect(matchRoute('/ui/tenants/acme/extra')).toBeNull();
    expect(matchRoute('/ui/tenants/%E0%A4%A')).toBeNull();
  });

  it('round-trips through tenantPath and hrefOf', () => {
    expect(matchRoute(hrefOf(tenantPath('acme')))?.params.slug).toBe('acme');
  });
});

describe('the pool page route', () => {
  it('matches a pool name under /pools, keeps /pools for the list, and round-trips poolPath', () => {
    expect(matchRoute('/ui/pools/gpu-eu')).toMatchObject({
      route: { id: 'pool' },
      params: { name: 'gpu-eu' },
    });
    expect(matchRoute('/ui/pools')?.route.id).toBe('pools');
    expect(matchRoute('/ui/pools/gpu/extra')).toBeNull();
    expect(matchRoute(hrefOf(poolPath('gpu')))?.params.name).toBe('gpu');
    expect(ROUTES.some((route) => route.id === 'pool')).toBe(false);
  });
});

describe('withQuery', () => {
  it('adds only the parameters that have a value', () => {
    expect(withQuery('/audit', { tenant: 'acme', actor: '', action: null })).toBe('/audit?tenant=acme');
    expect(withQuery('/tenants', {})).toBe('/tenants');
  });
});
