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
  description: 'Tenants by state; deleted tenants are counted in deleted only.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Every tenant not deleted.' }),
    provisioning: t.exposeInt('provisioning', { description: 'Tenants being created.' }),
    active: t.exposeInt('active', { description: 'Tenants created and served.' }),
    deleting: t.exposeInt('deleting', { description: 'Tenants being deleted.' }),
    deleted: t.exposeInt('deleted', {
      description: 'Deleted tenants, whose records stay for the audit trail (not in total).',
    }),
  }),
});

const UserCounts = builder.objectRef<DashboardSummary['users']>('DashboardUserCounts').implement({
  description: 'Users summed over the tenants whose backends reported figures to the status poller.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Users of every reporting tenant.' }),
    active: t.exposeInt('active', { description: 'Users who signed in during the last 30 days.' }),
    reportingTenants: t.exposeInt('reportingTenants', { description: 'How many tenants the sums cover.' }),
  }),
});

const Health = builder.objectRef<DashboardSummary['health']>('DashboardHealth').implement({
  description: 'Active tenants by what the status poller last saw of their backends.',
  fields: (t) => ({
    ok: t.exposeInt('ok', { description: 'Backends that answered and report themselves ok.' }),
    degraded: t.exposeInt('degraded', {
      description: 'Backends that answered and report themselves degraded.',
    }),
    unreachable: t.exposeInt('unreachable', { description: 'Backends that did not answer the last poll.' }),
    notYetChecked: t.exposeInt('notYetChecked', { description: 'Active tenants never polled yet.' }),
  }),
});

const AlertKind = builder.enumType('DashboardAlertKind', {
  description: 'What a dashboard alert is about.',
  values: {
    OPERATION_FAILED: { value: 'operation_failed', description: "The tenant's latest operation failed." },
    OPERATION_RETRYING: {
      value: 'operation_retrying',
      description: "The tenant's latest operation failed at least once and is retrying.",
    },
    UNREACHABLE: { value: 'unreachable', description: 'The backend of an active tenant does not answer.' },
    DEGRADED: { value: 'degraded', description: 'The backend of an active tenant reports itself degraded.' },
    DRIFT: {
      value: 'drift',
      description:
        'An active tenant lacks something provisioning made (its Secret, registry entry, role or database); detail says the first thing. repairTenant restores it.',
    },
    BACKUP_VERIFICATION_FAILED: {
      value: 'backup_verification_failed',
      description:
        "The latest verification of an active tenant's backups failed (corrupt, not restorable, or row counts differ); detail says why. A later verification that passes clears it.",
    },
  } as const,
});

const AlertSeverity = builder.enumType('DashboardAlertSeverity', {
  description: 'How urgent a dashboard alert is.',
  values: {
    CRITICAL: { value: 'critical', description: 'Failed, or not answering: needs an operator now.' },
    WARNING: { value: 'warning', description: 'Retrying, or degraded: may recover by itself.' },
  } as const,
});

const DashboardAlert = builder.objectRef<DashboardAlertRow>('DashboardAlert').implement({
  description: 'Something about one tenant that needs an operator.',
  fields: (t) => ({
    kind: t.field({ type: AlertKind, description: 'What the alert is about.', resolve: (a) => a.kind }),
    severity: t.field({ type: AlertSeverity, description: 'How urgent it is.', resolve: (a) => a.severity }),
    tenantId: t.exposeString('tenantId', {
      description: "The tenant's internal id (not its global ID); look it up by slug.",
    }),
    slug: t.exposeString('slug', { description: "The tenant's slug." }),
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
    tenants: t.field({ type: TenantCounts, description: 'Tenants by state.', resolve: (d) => d.tenants }),
    users: t.field({ type: UserCounts, description: 'Users over all tenants.', resolve: (d) => d.users }),
    health: t.field({ type: Health, description: 'Backends by polled status.', resolve: (d) => d.health }),
    failedOperations: t.int({
      description: 'Tenants whose latest operation failed.',
      resolve: (d) => d.operations.failed,
    }),
    retryingOperations: t.int({
      description: 'Tenants whose latest operation is retrying after failed attempts.',
      resolve: (d) => d.operations.retrying,
    }),
    alertCount: t.exposeInt('alertCount', { description: 'Every alert, however many alerts returns.' }),
    alerts: t.field({
      type: [DashboardAlert],
      description: `The most severe alerts first (critical, then warning; by slug), at most ${MAX_ALERTS}.`,
      args: {
        first: t.arg.int({
          required: true,
          defaultValue: 20,
          description: `How many, 1–${MAX_ALERTS}; outside that range is a VALIDATION_FAILED error.`,
        }),
      },
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
    description:
      'Counts over every tenant, computed by the server in one pass, and the most severe alerts. Any signed-in operator.',
    resolve: async (_, __, ctx) => ({ ...(await dashboardSummary(ctx.services.db)), source: {} }),
  }),
);

const feeds = new WeakMap<EventBus, ReturnType<typeof coalescedFeed>>();

builder.subscriptionField('dashboardChanged', (t) =>
  t.field({
    type: Dashboard,
    description: `The dashboard again whenever tenants or their operations change, on any replica (changes within ${COALESCE_MS} ms come as one update). Any signed-in operator.`,
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
