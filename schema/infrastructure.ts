import type { Services } from '../server/context.ts';
import {
  createInfrastructureFeed,
  type InfrastructureMessage,
} from '../server/domain/infrastructure/feed.ts';
import {
  type ComponentStatus,
  componentPods,
  type InfrastructureStatus,
  infrastructureStatus,
  type PodStatus,
  storedDatabaseStatus,
} from '../server/domain/infrastructure/status.ts';
import { latestUpgrades } from '../server/domain/infrastructure/upgrades.ts';
import { requestedVersions } from '../server/domain/infrastructure/versions.ts';
import type { DatabaseServerStatus } from '../server/domain/tenants/database/admin.ts';
import { listPools } from '../server/domain/workers/pools.ts';
import { builder } from './builder.ts';
import { WorkerUpgrade } from './worker-upgrades.ts';
import { AgentPool } from './workers.ts';

export const Component = builder.enumType('InfrastructureComponent', {
  description: 'A kind of workload the control plane follows.',
  values: {
    BACKEND: {
      value: 'backend',
      description: 'JustIAM backend pods (app.kubernetes.io/name=justiam-backend).',
    },
    LOGIN_WORKER: { value: 'login-worker', description: 'Login workers, shared and dedicated.' },
    AGENT: { value: 'agent', description: 'Task agents: the shared agent pool and the agent pools.' },
    CONTROL_PLANE: { value: 'control-plane', description: "The control plane's own pods." },
  } as const,
});

export const Pod = builder.objectRef<PodStatus>('InfrastructurePod').implement({
  description: 'A pod as the cluster reports it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The pod name.' }),
    component: t.field({
      type: Component,
      description: 'Which component it belongs to.',
      resolve: (p) => p.component,
    }),
    phase: t.exposeString('phase', { description: 'Pending, Running, Succeeded, Failed or Unknown.' }),
    ready: t.exposeBoolean('ready', { description: 'Whether its Ready condition is True.' }),
    restarts: t.exposeInt('restarts', { description: 'Container restarts, summed.' }),
    node: t.exposeString('node', { nullable: true, description: 'The node it runs on.' }),
    version: t.exposeString('version', {
      nullable: true,
      description: 'The image tag of its first container.',
    }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it started (its age).',
      resolve: (p) => p.startedAt,
    }),
    lastTransitionAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Its latest condition change.',
      resolve: (p) => p.lastTransitionAt,
    }),
    tenant: t.exposeString('tenant', {
      nullable: true,
      description: 'The tenant a dedicated workload serves.',
    }),
    pool: t.exposeString('pool', { nullable: true, description: 'The agent pool an agent serves.' }),
  }),
});

const ComponentRef = builder.objectRef<ComponentStatus>('InfrastructureComponentStatus').implement({
  description: "A component's pods and versions.",
  fields: (t) => ({
    component: t.field({ type: Component, description: 'Which component.', resolve: (c) => c.component }),
    pods: t.field({ type: [Pod], description: 'Its pods, by name.', resolve: (c) => c.pods }),
    versions: t.exposeStringList('versions', { description: 'The distinct versions its pods run.' }),
    requestedVersion: t.exposeString('requestedVersion', {
      nullable: true,
      description:
        'The version an upgrade last asked it to run (login workers and agents; null before any upgrade).',
    }),
    versionDrift: t.exposeBoolean('versionDrift', {
      description: 'Whether its pods run more than one version, or one other than requestedVersion.',
    }),
  }),
});

const TenantDatabase = builder
  .objectRef<DatabaseServerStatus['tenants'][number]>('TenantDatabaseSize')
  .implement({
    description: "A tenant database's size.",
    fields: (t) => ({
      slug: t.exposeString('slug', { description: "The tenant's slug." }),
      sizeBytes: t.field({ type: 'Float', description: 'Its size in bytes.', resolve: (d) => d.sizeBytes }),
    }),
  });

export const DatabaseServer = builder.objectRef<DatabaseServerStatus>('DatabaseServerStatus').implement({
  description: "The tenants' PostgreSQL server.",
  fields: (t) => ({
    serverVersion: t.exposeString('serverVersion', { description: 'PostgreSQL version.' }),
    startedAt: t.field({
      type: 'DateTime',
      description: 'When the server started (its uptime).',
      resolve: (d) => d.startedAt,
    }),
    connections: t.exposeInt('connections', { description: 'Connections open now.' }),
    maxConnections: t.exposeInt('maxConnections', { description: 'Its max_connections.' }),
    sizeBytes: t.field({
      type: 'Float',
      description: 'The tenant databases together, in bytes.',
      resolve: (d) => d.tenants.reduce((n, x) => n + x.sizeBytes, 0),
    }),
    tenants: t.field({
      type: [TenantDatabase],
      description: 'Each tenant database, largest first.',
      resolve: (d) => d.tenants,
    }),
  }),
});

export const Infrastructure = builder.objectRef<InfrastructureStatus>('Infrastructure').implement({
  description:
    'Every component of the deployment and the tenants’ database server, as the cluster and PostgreSQL report them now.',
  fields: (t) => ({
    components: t.field({
      type: [ComponentRef],
      description: 'Backend, login workers, agents, control plane.',
      resolve: (i) => i.components,
    }),
    database: t.field({
      type: DatabaseServer,
      nullable: true,
      description: 'The tenants’ database server; null when it cannot be read (databaseError says why).',
      resolve: (i) => i.database,
    }),
    databaseError: t.exposeString('databaseError', { nullable: true, description: 'Why database is null.' }),
    agentPools: t.field({
      type: [AgentPool],
      description: 'Agent pools by name (the first 500) with their tenants and connected agents.',
      resolve: (_, __, ctx) =>
        listPools(ctx.services.db, { after: undefined, before: undefined, limit: 500, descending: false }),
    }),
    upgrades: t.field({
      type: [WorkerUpgrade],
      description: 'The latest upgrade of each worker component that has had one.',
      resolve: (_, __, ctx) => latestUpgrades(ctx.services.db),
    }),
  }),
});

builder.queryField('infrastructure', (t) =>
  t.field({
    type: Infrastructure,
    description: 'The status of every deployed component and of the database. Any signed-in operator.',
    resolve: (_, __, ctx) =>
      infrastructureStatus({
        workloads: ctx.services.workloads,
        cluster: ctx.services.cluster,
        databases: ctx.services.tenants.databases,
        db: ctx.services.db,
      }),
  }),
);

const ChangeKind = builder.enumType('InfrastructureChangeKind', {
  description: 'What an infrastructureChanged message carries.',
  values: {
    SNAPSHOT: {
      value: 'snapshot',
      description: 'The whole state (snapshot): the first message, or after a cursor too old.',
    },
    PODS: {
      value: 'pods',
      description: "One component's pods changed (pods, removedPods) and its versions now.",
    },
    DATABASE: {
      value: 'database',
      description: 'The database figures were read again and differ (database).',
    },
  } as const,
});

const Change = builder.objectRef<InfrastructureMessage>('InfrastructureChange').implement({
  description:
    'One message of infrastructureChanged. Apply PODS deltas by pod name (pods replace, removedPods delete) onto the snapshot; keep the cursor to resume.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      description: 'Pass it as `after` when subscribing again to receive only what changed since.',
    }),
    kind: t.field({ type: ChangeKind, description: 'What it carries.', resolve: (m) => m.kind }),
    snapshot: t.field({
      type: Infrastructure,
      nullable: true,
      description: 'SNAPSHOT: every component and the database.',
      resolve: (m) => (m.kind === 'snapshot' ? m.snapshot : null),
    }),
    component: t.field({
      type: Component,
      nullable: true,
      description: 'PODS: which component.',
      resolve: (m) => (m.kind === 'pods' ? m.component : null),
    }),
    pods: t.field({
      type: [Pod],
      description: 'PODS: pods added or changed, as they are now.',
      resolve: (m) => (m.kind === 'pods' ? m.changed : []),
    }),
    removedPods: t.stringList({
      description: 'PODS: names of pods that are gone.',
      resolve: (m) => (m.kind === 'pods' ? m.removed : []),
    }),
    versions: t.stringList({
      description: "PODS: the component's versions now.",
      resolve: (m) => (m.kind === 'pods' ? m.status.versions : []),
    }),
    requestedVersion: t.string({
      nullable: true,
      description: 'PODS: the version last requested for it.',
      resolve: (m) => (m.kind === 'pods' ? m.status.requestedVersion : null),
    }),
    versionDrift: t.boolean({
      nullable: true,
      description: 'PODS: whether it drifts now.',
      resolve: (m) => (m.kind === 'pods' ? m.status.versionDrift : null),
    }),
    database: t.field({
      type: DatabaseServer,
      nullable: true,
      description: 'DATABASE: the figures now (null when they cannot be read: databaseError).',
      resolve: (m) => (m.kind === 'database' ? m.database : null),
    }),
    databaseError: t.string({
      nullable: true,
      description: 'DATABASE: why database is null.',
      resolve: (m) => (m.kind === 'database' ? m.databaseError : null),
    }),
  }),
});

const feeds = new WeakMap<Services, ReturnType<typeof createInfrastructureFeed>>();
function feedOf(services: Services) {
  let feed = feeds.get(services);
  if (!feed) {
    feed = createInfrastructureFeed(
      {
        bus: services.bus,
        readPods: (component) => componentPods(services, component),
        readDatabase: () => storedDatabaseStatus(services.db),
        requestedVersions: () => requestedVersions(services.db),
        logger: services.logger,
      },
      {
        windowMs: services.config.infrastructure.coalesceMs,
        history: 1024,
        idleMs: services.config.infrastructure.feedIdleMs,
      },
    );
    feeds.set(services, feed);
  }
  return feed;
}

builder.subscriptionField('infrastructureChanged', (t) =>
  t.field({
    type: Change,
    description:
      'The infrastructure live: first a SNAPSHOT (or, with `after`, only what changed since that cursor), then per-component deltas as the cluster changes, at most one per component per INFRASTRUCTURE_COALESCE_MS (100 ms; the last state wins), and the database figures as the leader reads them. Any signed-in operator.',
    args: {
      after: t.arg.string({
        description:
          'The cursor of the last message received; a cursor too old or from another replica gets a SNAPSHOT.',
      }),
    },
    subscribe: (_, { after }, ctx) => feedOf(ctx.services).subscribe(after),
    resolve: (message) => message,
  }),
);
