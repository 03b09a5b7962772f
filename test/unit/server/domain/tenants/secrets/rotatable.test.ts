import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../../../server/config.ts';
import type { TenantSecretRow } from '../../../../../../server/db/schema.ts';
import { isRefusal, reasonOf } from '../../../../../../server/domain/tenants/detail-access.ts';
import {
  generateSecretValue,
  maskSecret,
  pendingKey,
  previousExpiresKey,
  previousKey,
  SECRET_SPECS,
  secretStatus,
} from '../../../../../../server/domain/tenants/secrets/rotatable.ts';
import { TenantApiError } from '../../../../../../server/tenant-api/errors.ts';

const apiError = (init: Partial<ConstructorParameters<typeof TenantApiError>[0]>) =>
  new TenantApiError({
    slug: 'acme',
    endpoint: 'PUT /cp/v1/secrets',
    kind: 'http',
    detail: 'x',
    attempts: 1,
    ...init,
  });

describe('tenant secret catalogue', () => {
  it('names the Secret keys around a value as the design says: <KEY>_PREVIOUS with its expiry, <KEY>_PENDING', () => {
    expect(previousKey('JWT_SECRET')).toBe('JWT_SECRET_PREVIOUS');
    expect(previousExpiresKey('CP_TOKEN')).toBe('CP_TOKEN_PREVIOUS_EXPIRES_AT');
    expect(pendingKey('PROXY_TOKEN')).toBe('PROXY_TOKEN_PENDING');
  });

  it('makes fresh values of the same form as at provisioning, different each time', () => {
    const a = generateSecretValue(SECRET_SPECS['cp-token']);
    const b = generateSecretValue(SECRET_SPECS['cp-token']);
    expect(a).toMatch(/^cpt_tenant_[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(generateSecretValue(SECRET_SPECS.jwt), 'base64url')).toHaveLength(32);
    expect(generateSecretValue(SECRET_SPECS['bootstrap-token'])).toMatch(/^bst_/);
  });

  it('masks a token down to its prefix and last four characters, and a short value to nothing', () => {
    const token = 'bst_abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    expect(maskSecret(token)).toBe('bst_••••••••ABCD');
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('••••••••wxyz');
    expect(maskSecret('short')).toBe('••••••••');
  });

  it('shows a secret without a row as provisioned (version 1), and a grace period only while it runs', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(secretStatus('jwt', undefined, now)).toMatchObject({
      version: 1,
      rotatedAt: null,
      graceUntil: null,
      pending: false,
    });
    const row = {
      name: 'jwt',
      version: 3,
      rotated_at: new Date('2026-12-01T11:30:00Z'),
      rotated_by: 'ops',
      previous_expires_at: new Date('2026-12-01T12:30:00Z'),
      pending_since: null,
      pending_error: 'tenant: old failure',
      expires_at: null,
      revoked_at: null,
    } as unknown as TenantSecretRow;
    expect(secretStatus('jwt', row, now)).toMatchObject({
      version: 3,
      graceUntil: row.previous_expires_at,
      pendingError: null,
    });
    expect(secretStatus('jwt', row, new Date('2026-12-01T12:30:00Z')).graceUntil).toBeNull();
    const pending = { ...row, pending_since: now } as TenantSecretRow;
    expect(secretStatus('jwt', pending, now)).toMatchObject({
      pending: true,
      pendingError: 'tenant: old failure',
    });
  });
});

describe('tenant backend failures', () => {
  it('counts a 4xx answer as a refusal (nothing changed there) and everything else as unknown', () => {
    expect(isRefusal(apiError({ status: 400 }))).toBe(true);
    expect(isRefusal(apiError({ status: 401 }))).toBe(true);
    expect(isRefusal(apiError({ status: 408 }))).toBe(false);
    expect(isRefusal(apiError({ status: 429 }))).toBe(false);
    expect(isRefusal(apiError({ status: 503 }))).toBe(false);
    expect(isRefusal(apiError({ kind: 'timeout' }))).toBe(false);
    expect(isRefusal(apiError({ kind: 'network' }))).toBe(false);
    expect(isRefusal(new Error('boom'))).toBe(false);
  });

  it('keeps the given values out of a failure reason', () => {
    const value = 'cpt_tenant_0123456789abcdef';
    expect(reasonOf(new Error(`backend echoed ${value} back`), [value, undefined])).toBe(
      'backend echoed [redacted] back',
    );
  });
});

describe('SECRET_GRACE_SECONDS', () => {
  it('defaults to one hour and takes 0 up to 30 days', () => {
    expect(loadConfig({}).tenants.secretGraceSeconds).toBe(3600);
    expect(loadConfig({ SECRET_GRACE_SECONDS: '0' }).tenants.secretGraceSeconds).toBe(0);
    expect(loadConfig({ SECRET_GRACE_SECONDS: '600' }).tenants.secretGraceSeconds).toBe(600);
  });

  it.each([['-1'], ['2592001'], ['1.5'], ['soon']])(
    'refuses %s with one line naming the variable',
    (value) => {
      expect(() => loadConfig({ SECRET_GRACE_SECONDS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ SECRET_GRACE_SECONDS: value })).toThrow(/^SECRET_GRACE_SECONDS /);
    },
  );
});
