import { filter, pipe, Repeater } from 'graphql-yoga';
import type { Services } from '../server/context.ts';
import type {
  UpgradeDeployment,
  WorkerComponent as WorkerComponentValue,
  WorkerUpgradeRow,
} from '../server/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import {
  findUpgrade,
  listUpgrades,
  requestWorkerUpgrade,
  rollbackWorkerUpgrade,
} from '../server/domain/infrastructure/upgrades.ts';
import { tagOf } from '../server/domain/infrastructure/versions.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { mutationErrors } from './errors.ts';
import { loadOncePerEvent } from './event-load.ts';

export const WorkerComponent = builder.enumType('WorkerComponent', {
  description: 'A worker component whose version an upgrade sets.',
  values: {
    LOGIN_WORKER: {
      value: 'login-worker',
      description: 'Login workers: the shared one and every dedicated one.',
    },
    AGENT: {
      value: 'agent',
      description: 'Task agents: the shared agent pool and every agent pool Deployment.',
    },
  } as const,
});

const WorkerUpgradeState = builder.enumType('WorkerUpgradeState', {
  description: "Where an upgrade's rollouts stand.",
  values: {
    RUNNING: { value: 'running', description: 'Images written or being written; rollouts followed.' },
    SUCCEEDED: {
      value: 'succeeded',
      description: 'Every Deployment rolled out: all replicas updated and ready.',
    },
    STUCK: {
      value: 'stuck',
      description: 'A rollout made no progress within UPGRADE_PROGRESS_DEADLINE_SECONDS (error says where).',
    },
    FAILED: {
      value: 'failed',
      description: 'The cluster refused the change until the deadline (error says why).',
    },
    ROLLED_BACK: { value: 'rolled_back', description: 'A rollback replaced it.' },
  } as const,
});

const DeploymentProgress = builder.objectRef<UpgradeDeployment>('UpgradeDeploymentProgress').implement({
  description: 'One Deployment an upgrade rolls, and how far its rollout has come.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The Deployment.' }),
    tenant: t.exposeString('tenant', {
      nullable: true,
      description: 'The tenant a dedicated worker serves.',
    }),
    pool: t.exposeString('pool', { nullable: true, description: 'The agent pool it serves.' }),
    fromVersion: t.string({
      nullable: true,
      description: 'The image tag it ran before (a rollback returns it there).',
      resolve: (d) => tagOf(d.fromImage),
    }),
    toVersion: t.string({
      nullable: true,
      description: 'The image tag it moves to.',
      resolve: (d) => tagOf(d.toImage),
    }),
    replicas: t.exposeInt('replicas', { description: 'Replicas wanted.' }),
    updatedReplicas: t.exposeInt('updatedReplicas', { description: 'Replicas on the new version.' }),
    readyReplicas: t.exposeInt('readyReplicas', { description: 'Replicas ready (any version).' }),
    totalReplicas: t.exposeInt('totalReplicas', { description: 'Pods of any version, old ones included.' }),
    done: t.exposeBoolean('done', {
      description: 'Rolled out: every replica updated and ready, no old pod left.',
    }),
    gone: t.exposeBoolean('gone', { description: 'It was deleted during the upgrade.' }),
  }),
});

export const WorkerUpgrade = builder.objectRef<WorkerUpgradeRow>('WorkerUpgrade').implement({
  description: 'A request to move a worker component to an image tag, and its rollouts.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The upgrade id.' }),
    component: t.field({
      type: WorkerComponent,
      description: 'What it upgrades.',
      resolve: (u) => u.component,
    }),
    version: t.exposeString('version', { description: 'The image tag it moves to.' }),
    previousVersion: t.exposeString('previous_version', {
      nullable: true,
      description: 'The version requested (or mostly running) before; what a rollback returns to.',
    }),
    rollbackOf: t.exposeID('rollback_of', {
      nullable: true,
      description: 'The upgrade this one rolls back, when it is a rollback.',
    }),
    state: t.field({ type: WorkerUpgradeState, description: 'Where it stands.', resolve: (u) => u.state }),
    error: t.exposeString('error', { nullable: true, description: 'Why it is stuck or failed.' }),
    requestedBy: t.exposeString('requested_by', { description: 'Who asked for it.' }),
    deployments: t.field({
      type: [DeploymentProgress],
      description: 'Each Deployment it rolls, by name (empty until the leader has planned it).',
      resolve: (u) => u.deployments,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was requested.',
      resolve: (u) => u.created_at,
    }),
    updatedAt: t.field({ type: 'DateTime', description: 'Its latest change.', resolve: (u) => u.updated_at }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it ended.',
      resolve: (u) => u.finished_at,
    }),
  }),
});

const upgradeCursor = keysetCursor<WorkerUpgradeRow, [string, string]>(
  'worker upgrade list',
  (row) => [new Date(row.created_at).toISOString(), row.id],
  (value) =>
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(Date.parse(value[0])) &&
    typeof value[1] === 'string' &&
    /^[0-9a-f-]{36}$/.test(value[1])
      ? [value[0], value[1]]
      : undefined,
);

builder.queryField('workerUpgrades', (t) =>
  t.connection(
    {
      type: WorkerUpgrade,
      description: 'Worker upgrades, newest first (first: at most 500). Any signed-in operator.',
      args: { component: t.arg({ type: WorkerComponent, description: 'Only this component’s upgrades.' }) },
      resolve: (_, args, ctx) =>
        keysetConnection(args, upgradeCursor, ({ after, before, limit, inverted }) =>
          listUpgrades(
            ctx.services.db,
            { component: (args.component as WorkerComponentValue | null | undefined) ?? null },
            { after, before, limit, inverted },
          ),
        ),
    },
    { description: 'A page of worker upgrades.' },
    { description: 'A worker upgrade and its cursor.' },
  ),
);

builder.queryField('workerUpgrade', (t) =>
  t.field({
    type: WorkerUpgrade,
    nullable: true,
    description: 'One worker upgrade by id; null when there is none. Any signed-in operator.',
    args: { id: t.arg.id({ required: true, description: 'The upgrade id.' }) },
    resolve: async (_, { id }, ctx) => (await findUpgrade(ctx.services.db, String(id))) ?? null,
  }),
);

builder.mutationField('upgradeWorkers', (t) =>
  t.field({
    type: WorkerUpgrade,
    description:
      'Moves every Deployment of a worker component (shared and dedicated) to an image tag; the leader writes the images and follows each rollout (workerUpgradeChanged). ConflictError UPGRADE_IN_PROGRESS while one of the component runs. Admin role. Audited (workers.upgrade.requested).',
    args: {
      component: t.arg({ type: WorkerComponent, required: true, description: 'Login workers or agents.' }),
      version: t.arg.string({ required: true, description: 'The image tag, such as 1.4.2.' }),
    },
    errors: mutationErrors([ValidationError, ConflictError], 'The upgrade, running.'),
    resolve: (_, { component, version }, ctx) =>
      requestWorkerUpgrade(upgradeServices(ctx.services), ctx, { component, version }),
  }),
);

builder.mutationField('rollbackWorkerUpgrade', (t) =>
  t.field({
    type: WorkerUpgrade,
    description:
      "Returns every Deployment an upgrade moved to its previous image, as a new upgrade (rollbackOf); ends the upgrade if it runs. Only a component's latest upgrade (ConflictError NOT_LATEST_UPGRADE, ALREADY_ROLLED_BACK, NO_PREVIOUS_VERSION). Admin role. Audited (workers.upgrade.rolled_back).",
    args: { id: t.arg.id({ required: true, description: 'The upgrade to roll back.' }) },
    errors: mutationErrors([NotFoundError, ConflictError], 'The rollback, running.'),
    resolve: (_, { id }, ctx) => rollbackWorkerUpgrade(upgradeServices(ctx.services), ctx, String(id)),
  }),
);

builder.subscriptionField('workerUpgradeChanged', (t) =>
  t.field({
    type: WorkerUpgrade,
    description:
      'The worker upgrade as it is now, then again whenever it progresses or ends: its Deployments’ updated and ready replicas, then SUCCEEDED, STUCK, FAILED or ROLLED_BACK. Any signed-in operator.',
    args: { id: t.arg.id({ required: true, description: 'The upgrade id.' }) },
    // First the upgrade as it is now (an upgrade can end before a client is subscribed), then each change.
    subscribe: (_, { id }, ctx) => {
      const changes = pipe(
        ctx.services.bus.subscribe('worker-upgrade.changed'),
        filter((event) => event.id === String(id)),
      );
      return new Repeater<{ id: string }>(async (push, stop) => {
        void stop.then(() => changes.return?.());
        // Listening before the first read: a change in between is not lost (each message re-reads).
        const following = (async () => {
          for await (const event of changes) await push(event);
        })();
        await push({ id: String(id) });
        await following;
        stop();
      });
    },
    resolve: async (event, _, ctx) => {
      const row = await loadOncePerEvent(event, () => findUpgrade(ctx.services.db, event.id));
      if (!row)
        throw new NotFoundError(
          `no worker upgrade has the id "${event.id.slice(0, 80)}"`,
          'UPGRADE_NOT_FOUND',
        );
      return row;
    },
  }),
);

function upgradeServices(services: Services) {
  return {
    db: services.db,
    bus: services.bus,
    cluster: services.cluster,
    workloads: services.workloads,
    now: services.now,
    kick: () => services.upgrades.kick(),
  };
}
