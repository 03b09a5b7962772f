import { type ReactNode, useEffect, useRef } from 'react';
import { AuditPage } from './pages/AuditPage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { PlaceholderPage } from './pages/PlaceholderPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { Link } from './router/Link.tsx';
import { usePathname } from './router/navigation.ts';
import { matchRoute, ROUTES, type Route } from './router/routes.ts';

const PRODUCT = 'JustIAM Control Plane';

function pageFor(route: Route | null, pathname: string): ReactNode {
  if (!route) return <NotFoundPage pathname={pathname} />;
  switch (route.id) {
    case 'dashboard':
      return <DashboardPage />;
    case 'settings':
      return <SettingsPage />;
    case 'audit':
      return <AuditPage />;
    default:
      return <PlaceholderPage id={route.id} title={route.label} />;
  }
}

/** The shell: navigation on the left, the current page on the right. */
export function App() {
  const pathname = usePathname();
  const route = matchRoute(pathname);
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef(pathname);

  useEffect(() => {
    document.title = `${route?.label ?? 'Not found'} · ${PRODUCT}`;
    // After an in-app navigation, move focus to the new page so screen readers start there,
    // as they would after a full page load. The first render leaves focus alone.
    if (shownPath.current !== pathname) {
      shownPath.current = pathname;
      main.current?.focus();
    }
  }, [route, pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="brand">
        <Link to="/">{PRODUCT}</Link>
      </header>
      <nav className="sidebar" aria-label="Sections">
        <ul>
          {ROUTES.map((item) => (
            <li key={item.id}>
              <Link to={item.path} aria-current={item.id === route?.id ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {pageFor(route, pathname)}
      </main>
    </div>
  );
}
