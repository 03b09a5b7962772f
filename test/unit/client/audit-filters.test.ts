import { describe, expect, it } from 'vitest';
import {
  actionSuggested,
  auditFilterFromQuery,
  auditFilterInput,
  auditFilterProblems,
  EMPTY_AUDIT_FILTER,
  isFiltered,
  KNOWN_ACTIONS,
  matchesAuditFilter,
} from '../../../client/src/audit/filters.ts';

const entry = {
  at: '2026-11-28T12:00:00.000Z',
  action: 'tenant.create.requested',
  actor: { id: 'alice' },
  target: { kind: 'tenant', id: 'acme' },
};

describe('auditFilterInput', () => {
  it('sends only the filters that are set, a tenant as a tenant target', () => {
    expect(auditFilterInput(EMPTY_AUDIT_FILTER)).toEqual({});
    expect(
      auditFilterInput({ ...EMPTY_AUDIT_FILTER, action: ' tenant.* ', tenant: 'acme', actor: 'alice' }),
    ).toEqual({
      action: 'tenant.*',
      targetKind: 'tenant',
      targetId: 'acme',
      actorId: 'alice',
    });
  });

  it('reads times in the viewer zone and sends them as instants', () => {
    const input = auditFilterInput({
      ...EMPTY_AUDIT_FILTER,
      from: '2026-11-28T10:00',
      to: '2026-11-28T11:30',
    });
    expect(input.from).toBe(new Date('2026-11-28T10:00').toISOString());
    expect(input.to).toBe(new Date('2026-11-28T11:30').toISOString());
  });
});

describe('auditFilterProblems', () => {
  it('accepts an empty filter, exact actions and prefixes', () => {
    expect(auditFilterProblems(EMPTY_AUDIT_FILTER)).toEqual({});
    expect(auditFilterProblems({ ...EMPTY_AUDIT_FILTER, action: 'tenant.*' })).toEqual({});
  });

  it('refuses a * that is not a trailing prefix, and an empty time range', () => {
    expect(auditFilterProblems({ ...EMPTY_AUDIT_FILTER, action: '*.created' }).action).toMatch(
      /only at the end/,
    );
    expect(
      auditFilterProblems({ ...EMPTY_AUDIT_FILTER, from: '2026-11-28T12:00', to: '2026-11-28T11:00' }).to,
    ).toBe('must be after "from"');
  });
});

describe('matchesAuditFilter', () => {
  it('lets a live entry through only when the API would list it under the filter', () => {
    expect(matchesAuditFilter(entry, {})).toBe(true);
    expect(matchesAuditFilter(entry, { action: 'tenant.*' })).toBe(true);
    expect(matchesAuditFilter(entry, { action: 'tenant.create.requested' })).toBe(true);
    expect(matchesAuditFilter(entry, { action: 'tenant.create' })).toBe(false);
    expect(matchesAuditFilter(entry, { action: 'settings.*' })).toBe(false);
    expect(matchesAuditFilter(entry, { targetKind: 'tenant', targetId: 'acme' })).toBe(true);
    expect(matchesAuditFilter(entry, { targetKind: 'tenant', targetId: 'globex' })).toBe(false);
    expect(matchesAuditFilter(entry, { actorId: 'bob' })).toBe(false);
    expect(matchesAuditFilter({ ...entry, target: null }, { targetId: 'acme' })).toBe(false);
  });

  it('applies the time range inclusively', () => {
    expect(matchesAuditFilter(entry, { from: entry.at, to: entry.at })).toBe(true);
    expect(matchesAuditFilter(entry, { to: '2026-11-28T11:59:59.000Z' })).toBe(false);
    expect(matchesAuditFilter(entry, { from: '2026-11-28T12:00:01.000Z' })).toBe(false);
  });
});

describe('the filter in the URL', () => {
  it('reads every filter from the query string', () => {
    expect(auditFilterFromQuery('?action=tenant.*&tenant=acme')).toEqual({
      ...EMPTY_AUDIT_FILTER,
      action: 'tenant.*',
      tenant: 'acme',
    });
    expect(isFiltered(auditFilterFromQuery(''))).toBe(false);
    expect(isFiltered(auditFilterFromQuery('?actor=alice'))).toBe(true);
  });
});

describe('action suggestions', () => {
  it('offer a prefix for each group of several actions, then every action', () => {
    expect(KNOWN_ACTIONS).toEqual(expect.arrayContaining(['tenant.*', 'tenant.secret.*', 'settings.smtp.*']));
    expect(KNOWN_ACTIONS).toContain('tenant.secret.rotated');
    // license.allocation.set is the only license.allocation action: no prefix for it alone.
    expect(KNOWN_ACTIONS).not.toContain('license.allocation.*');
    expect(KNOWN_ACTIONS.indexOf('tenant.*')).toBeLessThan(KNOWN_ACTIONS.indexOf('auth.login'));
  });

  it('match what is typed by the action or its label in words', () => {
    expect(actionSuggested('tenant.secret.rotated', 'rotated')).toBe(true);
    expect(actionSuggested('tenant.create.completed', 'provisioned')).toBe(true);
    expect(actionSuggested('tenant.create.completed', 'license')).toBe(false);
    expect(actionSuggested('tenant.*', 'tenant')).toBe(true);
    expect(actionSuggested('auth.login', '')).toBe(true);
  });
});
