import { describe, expect, it } from 'vitest';
import { tenantBadgeLook } from '../../../client/src/tenants/labels.ts';

describe('the tenant badge: state and health in one', () => {
  it('shows an active tenant’s health beside its state', () => {
    expect(tenantBadgeLook('ACTIVE', 'ok')).toEqual({ label: 'Active · OK', color: 'teal', health: true });
    expect(tenantBadgeLook('ACTIVE', 'unreachable')).toEqual({
      label: 'Active · Unreachable',
      color: 'red',
      health: true,
    });
    expect(tenantBadgeLook('ACTIVE', 'degraded').label).toBe('Active · Degraded');
  });

  it('says "not yet checked" before the first poll instead of looking healthy', () => {
    expect(tenantBadgeLook('ACTIVE', 'unknown')).toEqual({
      label: 'Active · Not yet checked',
      color: 'gray',
      health: true,
    });
  });

  it('shows no health for a tenant that has no backend to judge', () => {
    for (const state of ['PROVISIONING', 'DELETING', 'DELETED'] as const)
      expect(tenantBadgeLook(state, 'ok').health, state).toBe(false);
    expect(tenantBadgeLook('DELETED', 'unreachable').label).toBe('Deleted');
  });
});
