/** Where the API serves the built UI; `client/vite.config.ts` builds for the same base. */
export const UI_BASE = '/ui/';

export type RouteId =
  | 'dashboard'
  | 'tenants'
  | 'tenant'
  | 'license'
  | 'pools'
  | 'pool'
  | 'infrastructure'
  | 'settings'
  | 'mail'
  | 'audit'
  | 'api-tokens';

export type Route = {
  id: RouteId;
  /** Path inside the app, without the base: `/`, `/audit`, or a pattern such as `/tenants/:slug`. */
  path: string;
  label: string;
};

/** The app's sections, in navigation order. */
export const ROUTES: readonly Route[] = [
  { id: 'dashboard', path: '/', label: 'Dashboard' },
  { id: 'tenants', path: '/tenants', label: 'Tenants' },
  { id: 'license', path: '/license', label: 'License' },
  { id: 'pools', path: '/pools', label: 'Pools' },
  { id: 'infrastructure', path: '/infrastructure', label: 'Infrastructure' },
  { id: 'settings', path: '/settings', label: 'Settings' },
  { id: 'mail', path: '/mail', label: 'Mail' },
  { id: 'audit', path: '/audit', label: 'Audit' },
];

/** Pages reached from a section rather than from the navigation. */
export const TENANT_ROUTE: Route = { id: 'tenant', path: '/tenants/:slug', label: 'Tenant' };
export const POOL_ROUTE: Route = { id: 'pool', path: '/pools/:name', label: 'Pool' };

/** The signed-in operator's API tokens, reached from the operator menu. */
export const API_TOKENS_ROUTE: Route = { id: 'api-tokens', path: '/me/tokens', label: 'API tokens' };

const ALL_ROUTES: readonly Route[] = [...ROUTES, TENANT_ROUTE, POOL_ROUTE, API_TOKENS_ROUTE];

export type RouteMatch = { route: Route; params: Readonly<Record<string, string>> };

/**
 * The app path of a browser pathname (`/ui/audit/` → `/audit`, `/ui` → `/`), or null when the
 * pathname lies outside the base. Trailing slashes do not make a different page.
 */
export function toAppPath(pathname: string, base: string = UI_BASE): string | null {
  const prefix = base.replace(/\/+$/, '');
  if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return null;
  const rest = pathname.slice(prefix.length).replace(/\/+$/, '');
  return rest === '' ? '/' : rest;
}

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    const actual = got[i]!;
    if (part.startsWith(':')) {
      if (actual === '') return null;
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (part !== actual) return null;
  }
  return params;
}

/** The route a browser pathname shows, with its parameters, or null for the not-found view. */
export function matchRoute(pathname: string, base: string = UI_BASE): RouteMatch | null {
  const path = toAppPath(pathname, base);
  if (path === null) return null;
  for (const route of ALL_ROUTES) {
    const params = matchPattern(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** The browser pathname of an app path: `/audit` → `/ui/audit`, `/` → `/ui/`. */
export function hrefOf(path: string, base: string = UI_BASE): string {
  const prefix = base.replace(/\/+$/, '');
  return path === '/' ? `${prefix}/` : `${prefix}${path}`;
}

/** The app path of a tenant's page. */
export function tenantPath(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}`;
}

/** The app path of an agent pool's page. */
export function poolPath(name: string): string {
  return `/pools/${encodeURIComponent(name)}`;
}

/** An app path with a query string built from the non-empty values of `params`. */
export function withQuery(path: string, params: Readonly<Record<string, string | null | undefined>>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
