import { describe, expect, it } from 'vitest';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { collect, subscribed, wsClient } from '../../../../support/ws.ts';

const DASHBOARD = `{ dashboard {
  tenants { total provisioning active deleting deleted }
  users { total active reportingTenants }
  health { ok degraded unreachable notYetChecked }
  failedOperations retryingOperations alertCount
  alerts(first: 10) { kind severity slug operationKind attempts detail }
} }`;

/**
 * The dashboard's figures come from the server, counted over every tenant, whatever their number:
 * seeded rows of each kind, and the answer checked field by field on both doors.
 */
describe('dashboard', () => {
  const server = useTestServer({ STATUS_POLL_INTERVAL_MS: '3600000' });

  type Seed = {
    slug: string;
    state: 'provisioning' | 'active' | 'deleting' | 'deleted';
    status?: string;
    checked?: boolean;
    users?: number;
    activeUsers?: number;
    error?: string;
    operation?: { state: 'running' | 'succeeded' | 'failed'; attempts: number; lastError?: string };
  };

  async function seed(rows: Seed[]) {
    const { db } = server.services;
    for (const r of rows) {
      const tenant = await db
        .insertInto('tenants')
        .values({
          slug: r.slug,
          name: r.slug,
          state: r.state,
          created_by: 'test',
          status: r.status ?? 'unknown',
          status_error: r.error ?? null,
          users: r.users ?? null,
          active_users: r.activeUsers ?? null,
          status_checked_at: r.checked ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (r.operation) {
        await db
          .insertInto('tenant_operations')
          .values({
            tenant_id: tenant.id,
            kind: 'create',
            state: r.operation.state,
            steps: JSON.stringify([]),
            attempts: r.operation.attempts,
            last_error: r.operation.lastError ?? null,
            actor_label: 'test',
            // The reconciler must leave these alone.
            next_attempt_at: new Date(Date.now() + 3_600_000),
          })
          .execute();
      }
    }
  }

  it('counts tenants, users, health and failing operations over every tenant, on GraphQL and REST', async () => {
    await seed([
      { slug: 'ok-a', state: 'active', status: 'ok', checked: true, users: 10, activeUsers: 4 },
      { slug: 'ok-b', state: 'active', status: 'ok', checked: true, users: 5, activeUsers: 5 },
      { slug: 'slow', state: 'active', status: 'degraded', checked: true, users: 1, error: 'database slow' },
      { slug: 'gone', state: 'active', status: 'unreachable', checked: true, error: 'ECONNREFUSED' },
      { slug: 'fresh', state: 'active' },
      {
        slug: 'stuck',
        state: 'provisioning',
        operation: { state: 'running', attempts: 3, lastError: 'backend said no' },
      },
      {
        slug: 'broken',
        state: 'provisioning',
        operation: { state: 'failed', attempts: 5, lastError: 'boom' },
      },
      { slug: 'leaving', state: 'deleting' },
      { slug: 'old', state: 'deleted', status: 'unreachable', users: 1000 },
    ]);
    const expected = {
      tenants: { total: 8, provisioning: 2, active: 5, deleting: 1, deleted: 1 },
      users: { total: 16, active: 9, reportingTenants: 3 },
      health: { ok: 2, degraded: 1, unreachable: 1, notYetChecked: 1 },
      failedOperations: 1,
      retryingOperations: 1,
      alertCount: 4,
      alerts: [
        {
          kind: 'OPERATION_FAILED',
          severity: 'CRITICAL',
          slug: 'broken',
          operationKind: 'create',
          attempts: 5,
          detail: 'boom',
        },
        {
          kind: 'UNREACHABLE',
          severity: 'CRITICAL',
          slug: 'gone',
          operationKind: null,
          attempts: null,
          detail: 'ECONNREFUSED',
        },
        {
          kind: 'DEGRADED',
          severity: 'WARNING',
          slug: 'slow',
          operationKind: null,
          attempts: null,
          detail: 'database slow',
        },
        {
          kind: 'OPERATION_RETRYING',
          severity: 'WARNING',
          slug: 'stuck',
          operationKind: 'create',
          attempts: 3,
          detail: 'backend said no',
        },
      ],
    };
    const viewer = await gql(server, DASHBOARD, undefined, server.viewerHeaders);
    expect(viewer.body).toEqual({ data: { dashboard: expected } });

    const res = await rest(server, 'GET', '/dashboard?alerts=2', undefined, server.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tenants: expected.tenants,
      users: { total: 16, active: 9, reporting_tenants: 3 },
      health: { ok: 2, degraded: 1, unreachable: 1, not_yet_checked: 1 },
      failed_operations: 1,
      retrying_operations: 1,
      alert_count: 4,
    });
    expect(res.body.alerts.map((a: { kind: string; slug: string }) => `${a.kind}:${a.slug}`)).toEqual([
      'operation_failed:broken',
      'unreachable:gone',
    ]);
    expect((await rest(server, 'GET', '/dashboard?alerts=101', undefined, server.headers)).status).toBe(400);
  });

  it('sends the dashboard again when tenants change, one update for a burst', async () => {
    const updates = collect<{ dashboardChanged: { tenants: { total: number } } }>(
      wsClient(server.url, server.connectionParams),
      'subscription { dashboardChanged { tenants { total } alertCount } }',
    );
    await subscribed(server.services.bus, 'tenant.updated');
    const before = (await gql<{ dashboard: { tenants: { total: number } } }>(server, DASHBOARD)).body.data!
      .dashboard.tenants.total;
    await seed([{ slug: 'burst', state: 'active', status: 'ok', checked: true }]);
    const row = await server.services.db
      .selectFrom('tenants')
      .select(['id', 'slug'])
      .where('slug', '=', 'burst')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 20; i++) server.services.bus.publish('tenant.updated', { ...row, change: 'status' });
    const [first] = await updates.waitFor(1);
    expect(first!.dashboardChanged.tenants.total).toBe(before + 1);
    // Twenty events inside the window come as one update: no second one follows.
    const more = await updates.waitFor(2, 600).then(
      () => true,
      () => false,
    );
    expect(more).toBe(false);
    updates.stop();
  });
});
