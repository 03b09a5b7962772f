import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { isUnauthenticated, loginUrl } from '../../../client/src/auth/login.ts';
import { can } from '../../../client/src/auth/operator.ts';

describe('isUnauthenticated', () => {
  it('recognises an UNAUTHENTICATED GraphQL error', () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'sign in first', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(isUnauthenticated(error)).toBe(true);
  });

  it('recognises an HTTP 401 answer', () => {
    const error = new CombinedError({ networkError: new Error('Unauthorized'), response: { status: 401 } });
    expect(isUnauthenticated(error)).toBe(true);
  });

  it('leaves other failures alone: forbidden is not a reason to sign in again', () => {
    expect(
      isUnauthenticated(
        new CombinedError({ graphQLErrors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] }),
      ),
    ).toBe(false);
    expect(isUnauthenticated(new CombinedError({ networkError: new Error('Failed to fetch') }))).toBe(false);
    expect(
      isUnauthenticated(new CombinedError({ networkError: new Error('x'), response: { status: 403 } })),
    ).toBe(false);
  });
});

describe('loginUrl', () => {
  it('sends the operator to the login with the page they were on', () => {
    expect(loginUrl({ pathname: '/ui/tenants/acme', search: '?tab=database' })).toBe(
      '/auth/login?return_to=%2Fui%2Ftenants%2Facme%3Ftab%3Ddatabase',
    );
  });

  it('never passes on a return address that leaves this origin', () => {
    expect(loginUrl({ pathname: '//evil.example/ui', search: '' })).toBe('/auth/login?return_to=%2Fui%2F');
  });
});

describe('can', () => {
  it('offers every action while the deployment has no operator sign-in', () => {
    expect(can({ kind: 'anonymous' }, 'tenant.delete')).toBe(true);
  });

  it('offers nothing until the API has said who is signed in, so no button flashes up for a viewer', () => {
    expect(can({ kind: 'loading' }, 'tenant.create')).toBe(false);
    expect(can({ kind: 'loading' }, 'audit.export')).toBe(false);
  });

  it('hides actions a viewer cannot take, and keeps read-only ones', () => {
    const viewer = { kind: 'signed-in', name: 'V', email: null, role: 'viewer' } as const;
    expect(can(viewer, 'tenant.create')).toBe(false);
    expect(can(viewer, 'tenant.delete')).toBe(false);
    expect(can(viewer, 'settings.update')).toBe(false);
    expect(can(viewer, 'tenant.secrets')).toBe(false);
    expect(can(viewer, 'token.manage')).toBe(false);
    expect(can(viewer, 'license.manage')).toBe(false);
    expect(can(viewer, 'tenant.workers')).toBe(false);
    expect(can(viewer, 'pool.manage')).toBe(false);
    expect(can(viewer, 'audit.export')).toBe(true);
    expect(can({ ...viewer, role: 'admin' }, 'tenant.secrets')).toBe(true);
    expect(can({ ...viewer, role: 'admin' }, 'license.manage')).toBe(true);
    expect(can({ ...viewer, role: 'admin' }, 'tenant.workers')).toBe(true);
    expect(can({ ...viewer, role: 'admin' }, 'pool.manage')).toBe(true);
    expect(can({ ...viewer, role: 'admin' }, 'tenant.delete')).toBe(true);
  });
});
