import type { TenantRow } from '../../db/schema.ts';
import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import { mapConcurrent } from '../concurrency.ts';
import { createCpTokenCache } from './cp-tokens.ts';
import type { TenantServices } from './services.ts';

type Observed = Pick<
  TenantRow,
  'status' | 'status_error' | 'backend_version' | 'users' | 'groups' | 'apps' | 'active_users'
>;

/**
 * Polls every active tenant's `GET /cp/v1/status` with bounded concurrency and keeps the latest
 * answer in the tenant row, so lists and dashboards never call a backend. An unreachable backend
 * is recorded as `unreachable` with its error and never holds up the others (each call has the
 * client's timeout). Subscribers hear of a tenant only when what was observed changed.
 */
export function createStatusPoller(
  services: TenantServices,
  options: { intervalMs: number; concurrency: number },
): LeaderTask & { pollOnce(): Promise<{ polled: number; changed: number }> } {
  const { db, bus, cluster, backends, logger } = services;
  const tokens = createCpTokenCache(cluster);

  async function pollTenant(tenant: TenantRow): Promise<boolean> {
    let observed: Observed;
    const now = new Date();
    try {
      const answer = await backends.forTenant(tenant.slug, await tokens.of(tenant.slug)).status();
      observed = {
        status: answer.status,
        status_error: null,
        backend_version: answer.version,
        users: answer.stats.users,
        groups: answer.stats.groups,
        apps: answer.stats.apps,
        active_users: answer.stats.activeUsers,
      };
    } catch (error) {
      // The token may have been rotated: read it afresh next time.
      tokens.forget(tenant.slug);
      observed = {
        ...tenant,
        status: 'unreachable',
        status_error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      };
    }
    const changed = (Object.keys(observed) as (keyof Observed)[]).some((k) => observed[k] !== tenant[k]);
    const reachable = observed.status !== 'unreachable';
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('tenants')
        .set({
          ...pick(observed),
          status_checked_at: now,
          ...(reachable ? { last_seen_at: now } : {}),
        })
        .where('id', '=', tenant.id)
        .execute();
      if (changed)
        await bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'status' });
    });
    return changed;
  }

  async function pollOnce() {
    const tenants = await db.selectFrom('tenants').selectAll().where('state', '=', 'active').execute();
    let changed = 0;
    await mapConcurrent(tenants, options.concurrency, async (tenant) => {
      try {
        if (await pollTenant(tenant)) changed += 1;
      } catch (error) {
        logger.warn({ err: error, tenant: tenant.slug }, 'status poll failed');
      }
    });
    return { polled: tenants.length, changed };
  }

  const task = periodicJob('tenant-status', options.intervalMs, pollOnce, logger);
  return { ...task, pollOnce };
}

function pick(o: Observed): Observed {
  return {
    status: o.status,
    status_error: o.status_error,
    backend_version: o.backend_version,
    users: o.users,
    groups: o.groups,
    apps: o.apps,
    active_users: o.active_users,
  };
}
