import { describe, expect, it } from 'vitest';
import { tokenInput, tokenStatus, validateTokenForm } from '../../../client/src/tokens/token-form.ts';

describe('validateTokenForm', () => {
  it('accepts a name and a whole number of days from 1 to 365', () => {
    expect(validateTokenForm({ name: 'terraform', days: '1' })).toEqual({});
    expect(validateTokenForm({ name: 'terraform', days: '365' })).toEqual({});
  });

  it('refuses what the API refuses, with its messages', () => {
    expect(validateTokenForm({ name: '   ', days: '90' })).toEqual({ name: 'must not be empty' });
    expect(validateTokenForm({ name: 'x'.repeat(101), days: '90' }).name).toBe(
      'must be at most 100 characters',
    );
    expect(validateTokenForm({ name: 'ci', days: '0' }).expiresInDays).toBe('must be between 1 and 365');
    expect(validateTokenForm({ name: 'ci', days: '366' }).expiresInDays).toBe('must be between 1 and 365');
    expect(validateTokenForm({ name: 'ci', days: 'abc' }).expiresInDays).toBe(
      'must be a whole number of days',
    );
    expect(validateTokenForm({ name: 'ci', days: '1.5' }).expiresInDays).toBe(
      'must be a whole number of days',
    );
    expect(validateTokenForm({ name: 'ci', days: '' }).expiresInDays).toBe('must be a whole number of days');
  });
});

describe('tokenInput', () => {
  it('trims the name and sends the days as a number', () => {
    expect(tokenInput({ name: '  ci ', days: ' 30 ' })).toEqual({ name: 'ci', expiresInDays: 30 });
  });
});

describe('tokenStatus', () => {
  const now = Date.UTC(2026, 10, 28);
  it('says revoked before expired, and active until the expiry', () => {
    const past = new Date(now - 1).toISOString();
    const future = new Date(now + 1).toISOString();
    expect(tokenStatus({ expiresAt: future, revokedAt: null }, now)).toBe('active');
    expect(tokenStatus({ expiresAt: past, revokedAt: null }, now)).toBe('expired');
    expect(tokenStatus({ expiresAt: past, revokedAt: past }, now)).toBe('revoked');
    expect(tokenStatus({ expiresAt: new Date(now).toISOString() }, now)).toBe('expired');
  });
});
