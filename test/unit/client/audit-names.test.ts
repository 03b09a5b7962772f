import { describe, expect, it } from 'vitest';
import { describeActor, describeTarget } from '../../../client/src/audit/names.ts';

describe('audit actors and targets in words', () => {
  it('names an operator by name with the e-mail beneath, or by e-mail alone when the issuer gave no name', () => {
    expect(
      describeActor({
        kind: 'operator',
        label: 'alice@example.com',
        name: 'Alice Doe',
        email: 'alice@example.com',
      }),
    ).toEqual({ primary: 'Alice Doe', secondary: 'alice@example.com' });
    expect(
      describeActor({ kind: 'operator', label: 'bob@example.org', name: null, email: 'bob@example.org' }),
    ).toEqual({ primary: 'bob@example.org', secondary: null });
    // An operator the API could not name (gone) keeps the label written with the entry.
    expect(describeActor({ kind: 'operator', label: 'carol@example.com' })).toEqual({
      primary: 'carol@example.com',
      secondary: null,
    });
  });

  it('names a token by its name and its operator, the control plane as System, a failed sign-in as Anonymous', () => {
    expect(
      describeActor({
        kind: 'token',
        label: 'alice@example.com (token ci)',
        name: 'Alice Doe',
        email: 'alice@example.com',
        tokenName: 'ci',
      }),
    ).toEqual({ primary: 'ci', secondary: 'API token of Alice Doe' });
    expect(describeActor({ kind: 'token', label: 'alice@example.com (token ci)', tokenName: 'ci' })).toEqual({
      primary: 'ci',
      secondary: 'API token of alice@example.com',
    });
    expect(describeActor({ kind: 'system', id: 'control-plane', label: 'control plane' })).toEqual({
      primary: 'System',
      secondary: 'control plane',
    });
    expect(describeActor({ kind: 'anonymous', id: null, label: 'anonymous' }).primary).toBe('Anonymous');
  });

  it('names targets: a tenant by name with its slug and page, settings and workers in words, ids where nothing better is known', () => {
    expect(describeTarget({ kind: 'tenant', id: 'acme', name: 'Acme Corporation' })).toEqual({
      primary: 'Acme Corporation',
      secondary: 'acme',
      to: '/tenants/acme',
    });
    expect(describeTarget({ kind: 'tenant', id: 'gone', name: null })).toMatchObject({ primary: 'gone' });
    expect(describeTarget({ kind: 'token', id: '5f0c…', name: 'ci' })).toEqual({
      primary: 'ci',
      secondary: 'API token',
    });
    expect(describeTarget({ kind: 'settings', id: 'smtp' }).primary).toBe('SMTP relay');
    expect(describeTarget({ kind: 'workers', id: 'login-worker' }).primary).toBe('Login worker');
    expect(describeTarget({ kind: 'pool', id: 'agent-shared' })).toMatchObject({
      primary: 'Shared agent pool',
      to: '/pools',
    });
    expect(describeTarget({ kind: 'pool', id: 'gpu' })).toMatchObject({ primary: 'gpu', to: '/pools/gpu' });
    expect(describeTarget({ kind: 'license', id: 'lic-42' })).toEqual({
      primary: 'License',
      secondary: 'lic-42',
    });
  });
});
