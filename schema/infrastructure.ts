import {
  type ComponentStatus,
  type InfrastructureStatus,
  infrastructureStatus,
  type PodStatus,
} from '../server/domain/infrastructure/status.ts';
import type { DatabaseServerStatus } from '../server/domain/tenants/database/admin.ts';
import { builder } from './builder.ts';

const Component = builder.enumType('InfrastructureComponent', {
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

const Pod = builder.objectRef<PodStatus>('InfrastructurePod').implement({
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
    versionDrift: t.exposeBoolean('versionDrift', {
      description: 'Whether its pods run more than one version.',
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

const DatabaseServer = builder.objectRef<DatabaseServerStatus>('DatabaseServerStatus').implement({
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

const Infrastructure = builder.objectRef<InfrastructureStatus>('Infrastructure').implement({
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
      }),
  }),
);
