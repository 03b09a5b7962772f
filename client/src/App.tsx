import { AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ComponentType, lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { OperatorMenu } from './auth/OperatorMenu.tsx';
import {
  IconAudit,
  IconDashboard,
  IconInfrastructure,
  IconLicense,
  IconMail,
  IconPools,
  IconSettings,
  IconTenants,
} from './components/icons.tsx';
import { PageSkeleton } from './components/PageSkeleton.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { Link } from './router/Link.tsx';
import { usePathname } from './router/navigation.ts';
import { matchRoute, ROUTES, type RouteId, type RouteMatch } from './router/routes.ts';
import { ColorSchemeToggle, LiveIndicator } from './shell/HeaderTools.tsx';

const PRODUCT = 'JustIAM Control Plane';

// Pages load on first visit, so the first screen only waits for the shell and the page it shows.
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}
const DashboardPage = lazyPage(() => import('./pages/DashboardPage.tsx').then((m) => m.DashboardPage));
const TenantsPage = lazyPage(() => import('./pages/TenantsPage.tsx').then((m) => m.TenantsPage));
const TenantPage = lazyPage(() => import('./pages/TenantPage.tsx').then((m) => m.TenantPage));
const PoolsPage = lazyPage(() => import('./pages/PoolsPage.tsx').then((m) => m.PoolsPage));
const PoolPage = lazyPage(() => import('./pages/PoolPage.tsx').then((m) => m.PoolPage));
const LicensePage = lazyPage(() => import('./pages/LicensePage.tsx').then((m) => m.LicensePage));
const AuditPage = lazyPage(() => import('./pages/AuditPage.tsx').then((m) => m.AuditPage));
const SettingsPage = lazyPage(() => import('./pages/SettingsPage.tsx').then((m) => m.SettingsPage));
const InfrastructurePage = lazyPage(() =>
  import('./pages/InfrastructurePage.tsx').then((m) => m.InfrastructurePage),
);
const MailPage = lazyPage(() => import('./pages/MailPage.tsx').then((m) => m.MailPage));
const ApiTokensPage = lazyPage(() => import('./pages/ApiTokensPage.tsx').then((m) => m.ApiTokensPage));
const PlaceholderPage = lazyPage(() => import('./pages/PlaceholderPage.tsx').then((m) => m.PlaceholderPage));

/** The sections in the navigation; the other routes are pages inside one of them. */
type NavId = Exclude<RouteId, 'tenant' | 'pool' | 'api-tokens'>;

/** The navigation entry a page belongs to: a tenant's page to Tenants, a pool's to Pools. */
const SECTION_OF: Partial<Record<RouteId, NavId>> = { tenant: 'tenants', pool: 'pools' };

const NAV_ICONS: Record<NavId, ComponentType<{ size?: number }>> = {
  dashboard: IconDashboard,
  tenants: IconTenants,
  license: IconLicense,
  pools: IconPools,
  infrastructure: IconInfrastructure,
  settings: IconSettings,
  mail: IconMail,
  audit: IconAudit,
};

const NAV_GROUPS: readonly { label: string; ids: readonly NavId[] }[] = [
  { label: 'Overview', ids: ['dashboard'] },
  { label: 'Manage', ids: ['tenants', 'license', 'pools', 'infrastructure'] },
  { label: 'Operate', ids: ['audit', 'settings', 'mail'] },
];

function pageFor(match: RouteMatch | null, pathname: string): ReactNode {
  if (!match) return <NotFoundPage pathname={pathname} />;
  switch (match.route.id) {
    case 'dashboard':
      return <DashboardPage />;
    case 'tenants':
      return <TenantsPage />;
    case 'tenant':
      return <TenantPage key={match.params.slug} slug={match.params.slug ?? ''} />;
    case 'license':
      return <LicensePage />;
    case 'pools':
      return <PoolsPage />;
    case 'pool':
      return <PoolPage key={match.params.name} name={match.params.name ?? ''} />;
    case 'infrastructure':
      return <InfrastructurePage />;
    case 'settings':
      return <SettingsPage />;
    case 'audit':
      return <AuditPage />;
    case 'mail':
      return <MailPage />;
    case 'api-tokens':
      return <ApiTokensPage />;
    default:
      return <PlaceholderPage id={match.route.id} title={match.route.label} />;
  }
}

function Brand() {
  return (
    <Link to="/" style={{ color: 'inherit', textDecoration: 'none' }} title={`${PRODUCT}: dashboard`}>
      <Group gap={10} wrap="nowrap">
        <span className="cp-logo" aria-hidden="true">
          J
        </span>
        <Text fw={700} fz="md">
          JustIAM
        </Text>
        <Text fz="sm" c="dimmed" visibleFrom="xs">
          Control Plane
        </Text>
      </Group>
    </Link>
  );
}

/** The shell: header with the operator's tools, navigation on the left, the current page. */
export function App() {
  const pathname = usePathname();
  const match = matchRoute(pathname);
  const current = match ? (SECTION_OF[match.route.id] ?? match.route.id) : undefined;
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef(pathname);
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);

  useEffect(() => {
    const title =
      match?.route.id === 'tenant'
        ? match.params.slug
        : match?.route.id === 'pool'
          ? match.params.name
          : match?.route.label;
    document.title = `${title ?? 'Not found'} · ${PRODUCT}`;
    // After an in-app navigation, move focus to the new page so screen readers start there,
    // as they would after a full page load. The first render leaves focus alone.
    if (shownPath.current !== pathname) {
      shownPath.current = pathname;
      main.current?.focus();
      closeNav();
    }
  }, [match, pathname, closeNav]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            <Brand />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LiveIndicator />
            <ColorSchemeToggle />
            <OperatorMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar className="cp-navbar" aria-label="Sections" data-open={navOpen || undefined}>
        <AppShell.Section grow component={ScrollArea} p="sm">
          <Stack gap="md">
            {NAV_GROUPS.map((group) => (
              <Stack key={group.label} gap={2}>
                <Text
                  fz={11}
                  fw={600}
                  c="dimmed"
                  tt="uppercase"
                  px="sm"
                  pb={2}
                  style={{ letterSpacing: '0.06em' }}
                >
                  {group.label}
                </Text>
                {group.ids.map((id) => {
                  const route = ROUTES.find((r) => r.id === id)!;
                  const Icon = NAV_ICONS[id];
                  return (
                    <NavLink
                      key={id}
                      component={Link}
                      to={route.path}
                      label={route.label}
                      leftSection={<Icon size={18} />}
                      active={current === id}
                      aria-current={current === id ? 'page' : undefined}
                      // On a phone the menu closes on a choice, the page it is on included.
                      onClick={closeNav}
                      variant="light"
                      style={{ borderRadius: 'var(--mantine-radius-md)' }}
                      fw={500}
                    />
                  );
                })}
              </Stack>
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section p="md">
          <Text fz="xs" c="dimmed">
            API:{' '}
            <a href="/graphql" style={{ color: 'inherit' }}>
              GraphQL
            </a>{' '}
            ·{' '}
            <a href="/openapi.json" style={{ color: 'inherit' }}>
              OpenAPI
            </a>
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<PageSkeleton />}>{pageFor(match, pathname)}</Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
