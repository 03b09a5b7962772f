import {
  type DashboardAlert as DashboardAlertRow,
  type DashboardSummary,
  dashboardAlerts,
  dashboardSummary,
} from '../server/domain/dashboard/summary.ts';
import { ValidationError } from '../server/domain/errors.ts';
import type { EventBus } from '../server/events/bus.ts';
import { coalescedFeed } from '../server/events/coalesce.ts';
import { builder } from './builder.ts';
import { loadOncePerEvent } from './event-load.ts';

const MAX_ALERTS = 100;
/** Changes within this window reach dashboard subscribers as one update. */
const COALESCE_MS = 250;

const TenantCounts = builder.objectRef<DashboardSummary['tenants']>('DashboardTenantCounts').implement({
  description: 'Tenants by state; deleted tenants are not counted.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    provisioning: t.exposeInt('provisioning'),
    active: t.exposeInt('active'),
    deleting: t.exposeInt('deleting'),
  }),
});

const UserCounts = builder.objectRef<DashboardSummary['users']>('DashboardUserCounts').implement({
  description: 'Users summed over the tenants whose backends reported figures to the status poller.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    active: t.exposeInt('active', { description: 'Users who signed in during the last 30 days.' }),
    reportingTenants: t.exposeInt('reportingTenants', { description: 'How many tenants the sums cover.' }),
  }),
});

const Health = builder.objectRef<DashboardSummary['health']>('DashboardHealth').implement({
  description: 'Active tenants by what the status poller last saw of their backends.',
  fields: (t) => ({
    ok: t.exposeInt('ok'),
    degraded: t.exposeInt('degraded'),
    unreachable: t.exposeInt('unreachable'),
    notYetChecked: t.exposeInt('notYetChecked', { description: 'Active tenants never polled yet.' }),
  }),
});

const AlertKind = builder.enumType('DashboardAlertKind', {
  values: {
    OPERATION_FAILED: { value: 'operation_failed', description: "The tenant's latest operation failed." },
    OPERATION_RETRYING: {
      value: 'operation_retrying',
      description: "The tenant's latest operation failed at least once and is retrying.",
    },
    UNREACHABLE: { value: 'unreachable', description: 'The backend of an active tenant does not answer.' },
    DEGRADED: { value: 'degraded', description: 'The backend of an active tenant reports itself degraded.' },
  } as const,
});

const AlertSeverity = builder.enumType('DashboardAlertSeverity', {
  values: { CRITICAL: { value: 'critical' }, WARNING: { value: 'warning' } } as const,
});

const DashboardAlert = builder.objectRef<DashboardAlertRow>('DashboardAlert').implement({
  description: 'Something about one tenant that needs an operator.',
  fields: (t) => ({
    kind: t.field({ type: AlertKind, resolve: (a) => a.kind }),
    severity: t.field({ type: AlertSeverity, resolve: (a) => a.severity }),
    tenantId: t.exposeString('tenantId'),
    slug: t.exposeString('slug'),
    operationKind: t.exposeString('operationKind', {
      nullable: true,
      description: 'create or delete, for operation alerts.',
    }),
    attempts: t.exposeInt('attempts', {
      nullable: true,
      description: 'Failed attempts, for operation alerts.',
    }),
    detail: t.exposeString('detail', { nullable: true, description: 'The last error recorded.' }),
  }),
});

type DashboardView = DashboardSummary & { source: object };

const Dashboard = builder.objectRef<DashboardView>('Dashboard').implement({
  description:
    'The deployment at a glance, counted by the server over every tenant. Follow dashboardChanged for updates.',
  fields: (t) => ({
    tenants: t.field({ type: TenantCounts, resolve: (d) => d.tenants }),
    users: t.field({ type: UserCounts, resolve: (d) => d.users }),
    health: t.field({ type: Health, resolve: (d) => d.health }),
    failedOperations: t.int({ resolve: (d) => d.operations.failed }),
    retryingOperations: t.int({ resolve: (d) => d.operations.retrying }),
    alertCount: t.exposeInt('alertCount'),
    alerts: t.field({
      type: [DashboardAlert],
      description: `The most severe alerts first (critical, then warning; by slug), at most ${MAX_ALERTS}.`,
      args: { first: t.arg.int({ required: true, defaultValue: 20, description: `1–${MAX_ALERTS}` }) },
      resolve: (d, { first }, ctx) => {
        if (first < 1 || first > MAX_ALERTS) {
          throw new ValidationError(`first must be between 1 and ${MAX_ALERTS} (got ${first})`);
        }
        return loadOncePerEvent(d.source, () => dashboardAlerts(ctx.services.db, MAX_ALERTS)).then((all) =>
          all.slice(0, first),
        );
      },
    }),
  }),
});

builder.queryField('dashboard', (t) =>
  t.field({
    type: Dashboard,
    resolve: async (_, __, ctx) => ({ ...(await dashboardSummary(ctx.services.db)), source: {} }),
  }),
);

const feeds = new WeakMap<EventBus, ReturnType<typeof coalescedFeed>>();

builder.subscriptionField('dashboardChanged', (t) =>
  t.field({
    type: Dashboard,
    description: `The dashboard again whenever tenants or their operations change (changes within ${COALESCE_MS} ms come as one update).`,
    subscribe: (_, __, ctx) => {
      const { bus } = ctx.services;
      let feed = feeds.get(bus);
      if (!feed) {
        feed = coalescedFeed(bus, ['tenant.updated', 'tenant.operation'], COALESCE_MS);
        feeds.set(bus, feed);
      }
      return feed.subscribe();
    },
    resolve: async (tick, _, ctx) => ({
      ...(await loadOncePerEvent(tick, () => dashboardSummary(ctx.services.db))),
      source: tick,
    }),
  }),
);
