import { describe, expect, it } from 'vitest';
import { alertsFor, type DashboardTenant, summarizeTenants } from '../../../client/src/dashboard/summary.ts';

const tenant = (slug: string, patch: Partial<DashboardTenant> = {}): DashboardTenant => ({
  id: slug,
  slug,
  name: slug,
  state: 'ACTIVE',
  overview: { status: 'ok', activeUsers: null, users: null },
  operation: null,
  ...patch,
});

describe('summarizeTenants', () => {
  it('counts tenants by state, leaving deleted ones out', () => {
    const summary = summarizeTenants([
      tenant('a'),
      tenant('b'),
      tenant('c', { state: 'PROVISIONING' }),
      tenant('d', { state: 'DELETING' }),
      tenant('e', { state: 'DELETED' }),
    ]);
    expect(summary.total).toBe(4);
    expect(summary.byState).toEqual({ ACTIVE: 2, PROVISIONING: 1, DELETING: 1 });
  });

  it('sums active users over the tenants that reported, and says how many did', () => {
    const summary = summarizeTenants([
      tenant('a', { overview: { status: 'ok', activeUsers: 12, users: 40 } }),
      tenant('b', { overview: { status: 'ok', activeUsers: 3, users: 5 } }),
      tenant('c'),
    ]);
    expect(summary).toMatchObject({ activeUsers: 15, users: 45, reporting: 2 });
  });

  it('is all zeros with no tenants', () => {
    expect(summarizeTenants([])).toMatchObject({ total: 0, activeUsers: 0, reporting: 0, alerts: [] });
  });

  it('lists critical alerts before warnings', () => {
    const summary = summarizeTenants([
      tenant('slow', { overview: { status: 'degraded', statusError: 'p99 4 s' } }),
      tenant('gone', { overview: { status: 'unreachable', statusError: 'connect ECONNREFUSED' } }),
    ]);
    expect(summary.alerts.map((a) => [a.severity, a.slug])).toEqual([
      ['critical', 'gone'],
      ['warning', 'slow'],
    ]);
  });
});

describe('alertsFor', () => {
  it('raises an unreachable active tenant with the poller error', () => {
    expect(
      alertsFor(tenant('acme', { overview: { status: 'unreachable', statusError: 'timeout' } })),
    ).toEqual([{ severity: 'critical', slug: 'acme', title: 'acme is unreachable', detail: 'timeout' }]);
  });

  it('does not alert on a backend that is not up yet while provisioning', () => {
    expect(alertsFor(tenant('acme', { state: 'PROVISIONING', overview: { status: 'unreachable' } }))).toEqual(
      [],
    );
  });

  it('raises failed operations, and running ones that had to retry', () => {
    const failed = alertsFor(
      tenant('acme', {
        operation: {
          id: 'op',
          createdAt: '2026-11-28T12:00:00Z',
          kind: 'DELETE',
          state: 'FAILED',
          attempts: 5,
          lastError: 'drop failed',
        },
      }),
    );
    expect(failed).toEqual([
      { severity: 'critical', slug: 'acme', title: 'Deletion of acme failed', detail: 'drop failed' },
    ]);
    const retrying = alertsFor(
      tenant('acme', {
        state: 'PROVISIONING',
        operation: {
          id: 'op',
          createdAt: '2026-11-28T12:00:00Z',
          kind: 'CREATE',
          state: 'RUNNING',
          attempts: 1,
          lastError: 'backend not answering',
        },
      }),
    );
    expect(retrying[0]).toMatchObject({
      severity: 'warning',
      title: 'Provisioning of acme is retrying (1 failed attempt)',
    });
    expect(
      alertsFor(
        tenant('acme', {
          operation: {
            id: 'op',
            createdAt: '2026-11-28T12:00:00Z',
            kind: 'CREATE',
            state: 'RUNNING',
            attempts: 0,
          },
        }),
      ),
    ).toEqual([]);
  });
});
