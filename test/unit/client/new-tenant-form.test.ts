import { describe, expect, it } from 'vitest';
import {
  createTenantInput,
  type NewTenantField,
  validateNewTenant,
  visibleErrors,
} from '../../../client/src/tenants/new-tenant-form.ts';

const valid = { name: 'Acme Corp', slug: 'acme', adminEmail: '' };

describe('validateNewTenant', () => {
  it('finds nothing wrong with a name, a good slug and no admin email', () => {
    expect(validateNewTenant(valid)).toEqual({});
    expect(validateNewTenant({ ...valid, adminEmail: 'admin@acme.example' })).toEqual({});
  });

  it('puts each problem on its field', () => {
    expect(validateNewTenant({ name: '  ', slug: 'Admin', adminEmail: 'nobody' })).toEqual({
      name: 'must not be empty',
      slug: expect.stringMatching(/^must be lowercase letters/),
      adminEmail: 'must be an email address',
    });
    expect(validateNewTenant({ ...valid, name: 'x'.repeat(101) }).name).toBe(
      'must be at most 100 characters',
    );
    expect(validateNewTenant({ ...valid, slug: 'default' }).slug).toBe('"default" is reserved');
  });
});

describe('visibleErrors', () => {
  const errors = validateNewTenant({ name: '', slug: 'a', adminEmail: '' });

  it('shows nothing on a form nobody has typed in', () => {
    expect(visibleErrors(errors, new Set(), false)).toEqual({});
  });

  it('shows a field problem as soon as that field was typed in or left', () => {
    expect(visibleErrors(errors, new Set<NewTenantField>(['slug']), false)).toEqual({
      slug: 'must be at least 3 characters',
    });
  });

  it('shows every problem once the operator tried to submit', () => {
    expect(visibleErrors(errors, new Set(), true)).toEqual(errors);
  });
});

describe('createTenantInput', () => {
  it('trims the name and sends an empty admin email as null', () => {
    expect(createTenantInput({ name: ' Acme ', slug: 'acme', adminEmail: '  ' })).toEqual({
      name: 'Acme',
      slug: 'acme',
      adminEmail: null,
    });
    expect(createTenantInput({ ...valid, adminEmail: ' a@b.co ' }).adminEmail).toBe('a@b.co');
  });
});
