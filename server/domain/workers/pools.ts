import { z } from 'zod';
import { POOL_LABEL } from '../../cluster/labels.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { AgentPoolRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { type AgentPod, type AgentSources, agentPods } from './agents.ts';
import { poolLabelsProblem, poolNameProblem } from './pool-rules.ts';

/** A pool's name: a DNS-1123 label, as it becomes a Kubernetes label value on its agents. */
export const poolNameSchema = z
  .string({ message: 'is required and must be a string' })
  .superRefine((name, ctx) => {
    const problem = poolNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** What a pool is for: up to 20 distinct labels of the same form. */
export const poolLabelsSchema = z
  .array(z.string({ message: 'must be strings' }), { message: 'must be a list of labels' })
  .superRefine((labels, ctx) => {
    const problem = poolLabelsProblem(labels);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export type PoolServices = { db: Db; bus: EventBus };

/** A pool by name, or NotFoundError POOL_NOT_FOUND. */
export async function requirePool(db: Executor, name: string): Promise<AgentPoolRow> {
  const pool = await db.selectFrom('agent_pools').selectAll().where('name', '=', name).executeTakeFirst();
  if (!pool) throw new NotFoundError(`no agent pool is named "${name.slice(0, 80)}"`, 'POOL_NOT_FOUND');
  return pool;
}

export function findPool(db: Executor, name: string): Promise<AgentPoolRow | undefined> {
  return db.selectFrom('agent_pools').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Pools by name, one keyset page. */
export function listPools(
  db: Executor,
  page: { after: string | undefined; before: string | undefined; limit: number; descending: boolean },
): Promise<AgentPoolRow[]> {
  let q = db.selectFrom('agent_pools').selectAll();
  if (page.after !== undefined) q = q.where('name', '>', page.after);
  if (page.before !== undefined) q = q.where('name', '<', page.before);
  return q
    .orderBy('name', page.descending ? 'desc' : 'asc')
    .limit(page.limit)
    .execute();
}

/** The slugs of the tenants (not deleted) assigned to a pool, by slug. */
export async function poolTenants(db: Executor, poolId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('tenant_worker_configs as c')
    .innerJoin('tenants as t', 't.id', 'c.tenant_id')
    .select('t.slug')
    .where('c.pool_id', '=', poolId)
    .where('t.state', '<>', 'deleted')
    .orderBy('t.slug')
    .execute();
  return rows.map((r) => r.slug);
}

/** The agent pods serving a pool (labelled `justiam.io/pool: <name>`). */
export function poolAgents(sources: AgentSources, name: string): Promise<AgentPod[]> {
  return agentPods(sources, { [POOL_LABEL]: name });
}

/** Creates a pool; a name taken already is ConflictError POOL_EXISTS. */
export async function createPool(
  services: PoolServices,
  call: Call,
  input: { name: string; labels?: string[] | null },
): Promise<AgentPoolRow> {
  const valid = parseInput(
    z.object({ name: poolNameSchema, labels: poolLabelsSchema.nullish() }).strict(),
    input,
    'agent pool',
  );
  const labels = valid.labels ?? [];
  try {
    return await services.db.transaction().execute(async (trx) => {
      const pool = await trx
        .insertInto('agent_pools')
        .values({ name: valid.name, labels: JSON.stringify(labels), created_by: call.actor.label })
        .returningAll()
        .executeTakeFirstOrThrow();
      await record(trx, services.bus, call, 'pool.created', { kind: 'pool', id: pool.name }, { labels });
      await services.bus.publishIn(trx, 'pool.changed', { name: pool.name, change: 'created' });
      return pool;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ConflictError(`an agent pool named "${valid.name}" already exists`, 'POOL_EXISTS');
    }
    throw error;
  }
}

/** Replaces a pool's labels. */
export async function updatePoolLabels(
  services: PoolServices,
  call: Call,
  name: string,
  labels: string[],
): Promise<AgentPoolRow> {
  const valid = parseInput(z.object({ labels: poolLabelsSchema }).strict(), { labels }, 'agent pool');
  return services.db.transaction().execute(async (trx) => {
    const pool = await trx
      .selectFrom('agent_pools')
      .selectAll()
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst();
    if (!pool) throw new NotFoundError(`no agent pool is named "${name.slice(0, 80)}"`, 'POOL_NOT_FOUND');
    if (JSON.stringify(pool.labels) === JSON.stringify(valid.labels)) return pool;
    const updated = await trx
      .updateTable('agent_pools')
      .set({ labels: JSON.stringify(valid.labels), updated_at: new Date() })
      .where('id', '=', pool.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(
      trx,
      services.bus,
      call,
      'pool.updated',
      { kind: 'pool', id: name },
      { labels: valid.labels, previous: pool.labels },
    );
    await services.bus.publishIn(trx, 'pool.changed', { name, change: 'updated' });
    return updated;
  });
}

/** Deletes a pool no tenant is assigned to; otherwise ConflictError POOL_IN_USE naming them. */
export async function deletePool(services: PoolServices, call: Call, name: string): Promise<AgentPoolRow> {
  return services.db.transaction().execute(async (trx) => {
    const pool = await trx
      .selectFrom('agent_pools')
      .selectAll()
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst();
    if (!pool) throw new NotFoundError(`no agent pool is named "${name.slice(0, 80)}"`, 'POOL_NOT_FOUND');
    const tenants = await poolTenants(trx, pool.id);
    if (tenants.length > 0) {
      const shown =
        tenants.slice(0, 5).join(', ') + (tenants.length > 5 ? `, and ${tenants.length - 5} more` : '');
      throw new ConflictError(
        `agent pool ${name} still has ${tenants.length} tenant${tenants.length === 1 ? '' : 's'} assigned (${shown}): assign them elsewhere first`,
        'POOL_IN_USE',
      );
    }
    // Deleted tenants may still name it: their assignment goes with the pool.
    await trx
      .updateTable('tenant_worker_configs')
      .set({ pool_id: null })
      .where('pool_id', '=', pool.id)
      .execute();
    await trx.deleteFrom('agent_pools').where('id', '=', pool.id).execute();
    await record(trx, services.bus, call, 'pool.deleted', { kind: 'pool', id: name }, {});
    await services.bus.publishIn(trx, 'pool.changed', { name, change: 'deleted' });
    return pool;
  });
}
