import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ClusterClient } from '../../cluster/client.ts';
import { INSTANCE_LABEL, POOL_LABEL, TENANT_LABEL } from '../../cluster/labels.ts';
import type { WorkloadInformers } from '../../cluster/workloads.ts';
import type { Db, Executor } from '../../db/database.ts';
import type {
  UpgradeDeployment,
  WorkerComponent,
  WorkerUpgradeRow,
  WorkerUpgradeState,
} from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { periodicJob } from '../../jobs/periodic.ts';
import type { Logger } from '../../log.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { APP_OF, imageTagSchema, selectorOf, tagOf, WORKER_COMPONENTS, withTag } from './versions.ts';

/**
 * Worker version upgrades (spec: "Worker version upgrades"). A request is recorded first (one
 * running per component, enforced by a unique index), then the leader carries it out in steps that
 * are safe to repeat: plan (which Deployments, from which image to which), write the new image to
 * each, follow each rollout until every replica is updated and ready. A restart resumes where the
 * record says; a rollout that makes no progress within the deadline is reported stuck, and a
 * rollback is a new upgrade back to each Deployment's previous image.
 */

export type UpgradeServices = {
  db: Db;
  bus: EventBus;
  cluster: ClusterClient;
  workloads: WorkloadInformers;
  now: () => Date;
  /** Asks the leader to look at upgrades now rather than at its next tick (a no-op elsewhere). */
  kick?: () => void;
};

const upgradeInput = z
  .object({
    component: z.enum(WORKER_COMPONENTS, { message: 'must be login-worker or agent' }),
    version: imageTagSchema,
  })
  .strict();

const target = (component: WorkerComponent) => ({ kind: 'workers' as const, id: component });

async function publish(
  trx: Executor,
  bus: EventBus,
  row: Pick<WorkerUpgradeRow, 'id' | 'component' | 'state'>,
) {
  await bus.publishIn(trx, 'worker-upgrade.changed', {
    id: row.id,
    component: row.component,
    state: row.state,
  });
}

/** The version a component's Deployments mostly run now, for a first upgrade's "previous version". */
async function runningVersion(cluster: ClusterClient, component: WorkerComponent): Promise<string | null> {
  const deployments = await cluster.list<V1Deployment>('Deployment', 'apps/v1', selectorOf(component));
  const counts = new Map<string, number>();
  for (const d of deployments) {
    const tag = tagOf(d.spec?.template?.spec?.containers?.[0]?.image);
    if (tag) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

async function runningUpgrade(db: Executor, component: WorkerComponent) {
  return db
    .selectFrom('worker_upgrades')
    .selectAll()
    .where('component', '=', component)
    .where('state', '=', 'running')
    .executeTakeFirst();
}

function inProgress(row: WorkerUpgradeRow): ConflictError {
  return new ConflictError(
    `an upgrade of ${row.component} to ${row.version} is in progress (${row.id}); wait for it to finish or roll it back`,
    'UPGRADE_IN_PROGRESS',
  );
}

/**
 * Records an upgrade of every Deployment of `component` to image tag `version` and asks the leader
 * to carry it out. ConflictError UPGRADE_IN_PROGRESS while another one of the component runs.
 */
export async function requestWorkerUpgrade(
  services: UpgradeServices,
  call: Call,
  input: { component: string; version: string },
): Promise<WorkerUpgradeRow> {
  const { component, version } = parseInput(upgradeInput, input, 'upgrade');
  const { db, bus } = services;
  const running = await runningUpgrade(db, component);
  if (running) throw inProgress(running);
  const requested = await db
    .selectFrom('worker_versions')
    .select('version')
    .where('component', '=', component)
    .executeTakeFirst();
  const previous = requested?.version ?? (await runningVersion(services.cluster, component));
  const row = await db
    .transaction()
    .execute(async (trx) => {
      const created = await trx
        .insertInto('worker_upgrades')
        .values({
          component,
          version,
          previous_version: previous,
          rollback_of: null,
          error: null,
          requested_by: call.actor.label,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await setRequestedVersion(trx, component, version, created.id);
      await record(trx, bus, call, 'workers.upgrade.requested', target(component), {
        upgradeId: created.id,
        version,
        previousVersion: previous,
      });
      await publish(trx, bus, created);
      return created;
    })
    .catch(async (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      const other = await runningUpgrade(db, component);
      throw other ? inProgress(other) : error;
    });
  services.kick?.();
  return row;
}

async function setRequestedVersion(
  trx: Executor,
  component: WorkerComponent,
  version: string | null,
  upgradeId: string,
): Promise<void> {
  if (version === null) {
    await trx.deleteFrom('worker_versions').where('component', '=', component).execute();
    return;
  }
  await trx
    .insertInto('worker_versions')
    .values({ component, version, upgrade_id: upgradeId, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('component').doUpdateSet({ version, upgrade_id: upgradeId, updated_at: new Date() }),
    )
    .execute();
}

/**
 * Rolls an upgrade back: a new upgrade that returns each Deployment it moved to the image it had
 * before, and the component to the version requested before. Only the latest upgrade of a
 * component can be rolled back (a later one would be undone half-way); a running one is ended.
 */
export async function rollbackWorkerUpgrade(
  services: UpgradeServices,
  call: Call,
  id: string,
): Promise<WorkerUpgradeRow> {
  const { db, bus } = services;
  const row = z.string().uuid().safeParse(id).success
    ? await db.selectFrom('worker_upgrades').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row)
    throw new NotFoundError(`no worker upgrade has the id "${String(id).slice(0, 80)}"`, 'UPGRADE_NOT_FOUND');
  const created = await db.transaction().execute(async (trx) => {
    // Serializes against other rollbacks and requests of the component.
    await sql`select pg_advisory_xact_lock(hashtext(${`worker-upgrade:${row.component}`}))`.execute(trx);
    const latest = await trx
      .selectFrom('worker_upgrades')
      .selectAll()
      .where('component', '=', row.component)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    if (latest.id !== row.id)
      throw new ConflictError(
        `a later upgrade of ${row.component} (${latest.id}, to ${latest.version}) came after this one; roll that one back instead`,
        'NOT_LATEST_UPGRADE',
      );
    if (latest.state === 'rolled_back')
      throw new ConflictError(`upgrade ${row.id} was already rolled back`, 'ALREADY_ROLLED_BACK');
    const known = latest.deployments.filter((d) => d.applied || d.fromImage !== d.toImage);
    if (!latest.previous_version && known.length === 0)
      throw new ConflictError(
        `upgrade ${row.id} has no previous version to return to: nothing ran before it`,
        'NO_PREVIOUS_VERSION',
      );
    const now = services.now();
    const ended = await trx
      .updateTable('worker_upgrades')
      .set({ state: 'rolled_back', updated_at: now, finished_at: latest.finished_at ?? now })
      .where('id', '=', latest.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, bus, ended);
    // Back to each Deployment's own previous image; the plan is known now, so none is re-read.
    const back: UpgradeDeployment[] = latest.deployments
      .filter((d) => !d.gone)
      .map((d) => ({ ...d, fromImage: d.toImage, toImage: d.fromImage, applied: false, done: false }));
    const version = latest.previous_version ?? tagOf(back[0]?.toImage) ?? latest.version;
    const inserted = await trx
      .insertInto('worker_upgrades')
      .values({
        component: row.component,
        version,
        previous_version: latest.version,
        rollback_of: latest.id,
        deployments: JSON.stringify(back),
        planned: latest.planned,
        error: null,
        requested_by: call.actor.label,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await setRequestedVersion(trx, row.component, latest.previous_version, inserted.id);
    await record(trx, bus, call, 'workers.upgrade.rolled_back', target(row.component), {
      upgradeId: latest.id,
      rollbackId: inserted.id,
      version,
      fromVersion: latest.version,
    });
    await publish(trx, bus, inserted);
    return inserted;
  });
  services.kick?.();
  return created;
}

export function findUpgrade(db: Executor, id: string): Promise<WorkerUpgradeRow | undefined> {
  if (!z.string().uuid().safeParse(id).success) return Promise.resolve(undefined);
  return db.selectFrom('worker_upgrades').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Upgrades newest first, one keyset page (key: created_at and id), of one component or all. */
export function listUpgrades(
  db: Executor,
  filter: { component: WorkerComponent | null },
  page: {
    after: [string, string] | undefined;
    before: [string, string] | undefined;
    limit: number;
    inverted: boolean;
  },
): Promise<WorkerUpgradeRow[]> {
  let q = db.selectFrom('worker_upgrades').selectAll();
  if (filter.component) q = q.where('component', '=', filter.component);
  const key = sql`(created_at, id)`;
  if (page.after) q = q.where(sql<boolean>`${key} < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`);
  if (page.before)
    q = q.where(sql<boolean>`${key} > (${page.before[0]}::timestamptz, ${page.before[1]}::uuid)`);
  const order = page.inverted ? 'asc' : 'desc';
  return q.orderBy('created_at', order).orderBy('id', order).limit(page.limit).execute();
}

/** The latest upgrade of each worker component that has had one. */
export async function latestUpgrades(db: Executor): Promise<WorkerUpgradeRow[]> {
  const rows = await db
    .selectFrom('worker_upgrades')
    .selectAll()
    .distinctOn('component')
    .orderBy('component')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows;
}

// --- carrying upgrades out (the leader) ------------------------------------------------------

export type UpgradeDriverOptions = {
  /** How often the leader looks at running upgrades. */
  intervalMs: number;
  /** A rollout with no progress for this long is reported stuck. */
  progressDeadlineMs: number;
};

function progressOf(deployment: V1Deployment | undefined, planned: UpgradeDeployment): UpgradeDeployment {
  if (!deployment) return { ...planned, gone: true, done: true };
  const replicas = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const image = deployment.spec?.template?.spec?.containers?.[0]?.image;
  const generation = deployment.metadata?.generation ?? 0;
  const observedGeneration = status.observedGeneration ?? 0;
  const next = {
    ...planned,
    replicas,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    totalReplicas: status.replicas ?? 0,
    generation,
    observedGeneration,
  };
  next.done =
    planned.applied &&
    image === planned.toImage &&
    observedGeneration >= generation &&
    next.updatedReplicas >= replicas &&
    next.readyReplicas >= replicas &&
    next.totalReplicas <= replicas;
  return next;
}

const PROGRESS_FIELDS = ['updatedReplicas', 'readyReplicas', 'totalReplicas', 'observedGeneration'] as const;
const moved = (a: UpgradeDeployment, b: UpgradeDeployment) =>
  PROGRESS_FIELDS.some((f) => a[f] !== b[f]) ||
  a.done !== b.done ||
  a.gone !== b.gone ||
  a.applied !== b.applied;

/**
 * Where a Deployment's new pods stand, from the pods the informer holds: how many run the new image
 * and are ready, and why the others are not ("ImagePullBackOff").
 */
function newPods(pods: V1Pod[], d: UpgradeDeployment): { ready: number; problems: string[] } {
  const reasons = new Set<string>();
  let ready = 0;
  for (const pod of pods) {
    if (pod.metadata?.labels?.[INSTANCE_LABEL] !== d.name) continue;
    if (pod.spec?.containers?.[0]?.image !== d.toImage) continue;
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
    for (const c of pod.status?.containerStatuses ?? []) {
      const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
      if (reason && !c.ready) reasons.add(reason);
    }
  }
  return { ready, problems: [...reasons].sort() };
}

/**
 * The leader's part: every tick, each running upgrade is planned (once), its images written (each
 * Deployment once), and its rollouts read; it ends succeeded when every Deployment is rolled out,
 * stuck when none progressed for the deadline. Returns the task and `kick` to tick now.
 */
export function createUpgradeDriver(
  services: UpgradeServices & { logger: Logger },
  options: UpgradeDriverOptions,
) {
  const { db, bus, cluster, workloads, logger } = services;

  async function plan(row: WorkerUpgradeRow): Promise<UpgradeDeployment[]> {
    const deployments = await cluster.list<V1Deployment>('Deployment', 'apps/v1', selectorOf(row.component));
    return deployments
      .map((d): UpgradeDeployment => {
        const fromImage = d.spec?.template?.spec?.containers?.[0]?.image ?? '';
        const labels = d.metadata?.labels ?? {};
        return {
          name: d.metadata?.name ?? '',
          tenant: labels[TENANT_LABEL] ?? null,
          pool: labels[POOL_LABEL] ?? null,
          fromImage,
          toImage: withTag(fromImage || APP_OF[row.component], row.version),
          applied: false,
          replicas: d.spec?.replicas ?? 1,
          updatedReplicas: 0,
          readyReplicas: 0,
          totalReplicas: 0,
          generation: d.metadata?.generation ?? 0,
          observedGeneration: d.status?.observedGeneration ?? 0,
          done: false,
          gone: false,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Writes the planned image to a Deployment; false when it no longer exists. */
  async function apply(d: UpgradeDeployment): Promise<boolean> {
    const written = await cluster.modify<V1Deployment>('Deployment', 'apps/v1', d.name, (object) => {
      const container = object.spec?.template?.spec?.containers?.[0];
      if (!container || container.image === d.toImage) return false;
      container.image = d.toImage;
      return true;
    });
    return Boolean(written);
  }

  async function readDeployment(name: string): Promise<V1Deployment | undefined> {
    if (workloads.deployments.status().state === 'watching')
      return workloads.deployments.list().find((d) => d.metadata?.name === name);
    return cluster.read<V1Deployment>('Deployment', 'apps/v1', name);
  }

  async function save(
    row: WorkerUpgradeRow,
    patch: Partial<Omit<WorkerUpgradeRow, 'deployments'>> & {
      deployments?: UpgradeDeployment[];
    },
  ): Promise<WorkerUpgradeRow | undefined> {
    return db.transaction().execute(async (trx) => {
      const { deployments, ...rest } = patch;
      const updated = await trx
        .updateTable('worker_upgrades')
        .set({
          ...rest,
          ...(deployments ? { deployments: JSON.stringify(deployments) } : {}),
          updated_at: services.now(),
        })
        // A rollback may have ended it meanwhile: never overwrite that.
        .where('id', '=', row.id)
        .where('state', '=', 'running')
        .returningAll()
        .executeTakeFirst();
      if (!updated) return undefined;
      if (updated.state !== 'running') {
        const durationMs = services.now().getTime() - new Date(updated.created_at).getTime();
        await record(trx, bus, { actor: SYSTEM_ACTOR }, 'workers.upgrade.completed', target(row.component), {
          upgradeId: row.id,
          state: updated.state as 'succeeded' | 'stuck' | 'failed',
          durationMs,
          error: updated.error,
        });
      }
      await publish(trx, bus, updated);
      return updated;
    });
  }

  async function advance(initial: WorkerUpgradeRow): Promise<void> {
    let row = initial;
    if (!row.planned) {
      const saved = await save(row, { deployments: await plan(row), planned: true });
      if (!saved) return;
      row = saved;
    }
    const deployments = [...row.deployments];
    let wrote = false;
    for (const [i, d] of deployments.entries()) {
      if (d.applied || d.gone) continue;
      const exists = await apply(d);
      deployments[i] = exists ? { ...d, applied: true } : { ...d, gone: true, done: true };
      wrote = true;
    }
    const watched = workloads.pods.status().state === 'watching';
    const pods = watched ? workloads.pods.list() : [];
    const next: UpgradeDeployment[] = [];
    for (const d of deployments) next.push(d.gone ? d : progressOf(await readDeployment(d.name), d));
    const now = services.now();
    const progressed = wrote || next.some((d, i) => moved(d, row.deployments[i] ?? d));
    const finished = next.every((d) => d.done);
    const lastProgress = progressed ? now : new Date(row.last_progress_at);
    let state: WorkerUpgradeState = 'running';
    let error: string | null = null;
    if (finished) state = 'succeeded';
    else if (now.getTime() - lastProgress.getTime() > options.progressDeadlineMs) {
      state = 'stuck';
      error = next
        .filter((d) => !d.done)
        .map((d) => {
          const version = tagOf(d.toImage);
          if (!watched) return `${d.name}: ${d.updatedReplicas} of ${d.replicas} replicas on ${version}`;
          const { ready, problems } = newPods(pods, d);
          return `${d.name}: ${ready} of ${d.replicas} replicas ready on ${version}${problems.length ? ` (${problems.join(', ')})` : ''}`;
        })
        .join('; ');
      error = `no progress for ${Math.round(options.progressDeadlineMs / 1000)} s: ${error}`.slice(0, 2000);
    }
    if (!progressed && state === 'running') return;
    await save(row, {
      deployments: next,
      last_progress_at: lastProgress,
      state,
      error,
      ...(state !== 'running' ? { finished_at: now } : {}),
    });
  }

  async function tick(): Promise<void> {
    const running = await db
      .selectFrom('worker_upgrades')
      .selectAll()
      .where('state', '=', 'running')
      .orderBy('created_at')
      .execute();
    for (const row of running) {
      try {
        await advance(row);
      } catch (error) {
        // Left running: the next tick tries again, until the deadline makes it failed.
        logger.warn({ err: error, upgrade: row.id }, 'worker upgrade step failed');
        const quiet = services.now().getTime() - new Date(row.last_progress_at).getTime();
        if (quiet > options.progressDeadlineMs)
          await save(row, {
            state: 'failed',
            error: `failed for ${Math.round(quiet / 1000)} s: ${(error as Error).message}`.slice(0, 2000),
            finished_at: services.now(),
          }).catch((err: unknown) =>
            logger.error({ err, upgrade: row.id }, 'worker upgrade could not be ended'),
          );
      }
    }
  }

  let task = periodicJob('worker-upgrades', options.intervalMs, tick, logger);
  let started = false;
  return {
    start() {
      started = true;
      task.start();
    },
    async stop() {
      started = false;
      await task.stop();
    },
    /** Ticks now (on the leader): restarts the job so its next tick is immediate. */
    kick() {
      if (!started) return;
      void task.stop().then(() => {
        if (!started) return;
        task = periodicJob('worker-upgrades', options.intervalMs, tick, logger);
        task.start();
      });
    },
  };
}
