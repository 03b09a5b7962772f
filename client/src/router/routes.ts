/** Where the API serves the built UI; `client/vite.config.ts` builds for the same base. */
export const UI_BASE = '/ui/';

export type RouteId = 'dashboard' | 'tenants' | 'license' | 'pools' | 'infrastructure' | 'settings' | 'audit';

export type Route = {
  id: RouteId;
  /** Path inside the app, without the base: `/` or `/audit`. */
  path: string;
  label: string;
};

/** The app's pages, in navigation order. */
export const ROUTES: readonly Route[] = [
  { id: 'dashboard', path: '/', label: 'Dashboard' },
  { id: 'tenants', path: '/tenants', label: 'Tenants' },
  { id: 'license', path: '/license', label: 'License' },
  { id: 'pools', path: '/pools', label: 'Pools' },
  { id: 'infrastructure', path: '/infrastructure', label: 'Infrastructure' },
  { id: 'settings', path: '/settings', label: 'Settings' },
  { id: 'audit', path: '/audit', label: 'Audit' },
];

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

/** The route a browser pathname shows, or null for the not-found view. */
export function matchRoute(pathname: string, base: string = UI_BASE): Route | null {
  const path = toAppPath(pathname, base);
  if (path === null) return null;
  return ROUTES.find((route) => route.path === path) ?? null;
}

/** The browser pathname of an app path: `/audit` → `/ui/audit`, `/` → `/ui/`. */
export function hrefOf(path: string, base: string = UI_BASE): string {
  const prefix = base.replace(/\/+$/, '');
  return path === '/' ? `${prefix}/` : `${prefix}${path}`;
}
