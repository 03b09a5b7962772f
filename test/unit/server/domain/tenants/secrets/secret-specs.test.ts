import { describe, expect, it } from 'vitest';
import { TENANT_SECRET_KEYS } from '../../../../../../server/cluster/resources.ts';
import type { TenantSecretRow } from '../../../../../../server/db/schema.ts';
import {
  BOOTSTRAP_EXPIRES_KEY,
  clockOf,
  graceSecondsOf,
  maskSecret,
  SECRET_SPECS,
  secretStatus,
  TENANT_SECRET_NAMES,
} from '../../../../../../server/domain/tenants/secrets/rotatable.ts';

describe('tenant secret specs', () => {
  it.each([
    // Values callers present to the backend keep working for the grace period after a rotation.
    ['jwt', 'JWT_SECRET', 'JWT secret', true],
    ['login-worker-token', 'LOGIN_WORKER_TOKEN', 'login-worker token', true],
    ['proxy-token', 'PROXY_TOKEN', 'proxy token', true],
    ['cp-token', 'CP_TOKEN', 'CP token', true],
    // These are replaced outright: the old bootstrap token and admin password stop at once.
    ['bootstrap-token', 'BOOTSTRAP_TOKEN', 'bootstrap token', false],
    ['admin-password', 'ADMIN_INITIAL_PASSWORD', 'admin password', false],
  ] as const)('%s lives in Secret key %s, is called "%s", grace period: %s', (name, key, label, grace) => {
    expect(SECRET_SPECS[name]).toEqual({ name, key, label, grace });
    expect(TENANT_SECRET_KEYS).toContain(key);
  });

  it('lists every secret once, in the order a tenant page shows them', () => {
    expect(TENANT_SECRET_NAMES).toEqual([
      'jwt',
      'login-worker-token',
      'proxy-token',
      'cp-token',
      'bootstrap-token',
      'admin-password',
    ]);
    expect([...TENANT_SECRET_NAMES].sort()).toEqual(Object.keys(SECRET_SPECS).sort());
  });

  it('keeps the bootstrap token expiry under its own Secret key', () => {
    expect(BOOTSTRAP_EXPIRES_KEY).toBe('BOOTSTRAP_TOKEN_EXPIRES_AT');
  });
});

describe('rotation settings from the services', () => {
  it('reads the clock from the services, or the real one when they have none', () => {
    const fixed = new Date('2031-01-01T00:00:00Z');
    expect(clockOf({ now: () => fixed })).toBe(fixed);
    const before = Date.now();
    const real = clockOf({} as never);
    expect(real.getTime()).toBeGreaterThanOrEqual(before);
    expect(real.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('takes the configured grace period, zero included, else one hour', () => {
    expect(graceSecondsOf({ secretGraceSeconds: 120 })).toBe(120);
    expect(graceSecondsOf({ secretGraceSeconds: 0 })).toBe(0);
    expect(graceSecondsOf({} as never)).toBe(3600);
  });
});

describe('masking and status', () => {
  it('masks from 16 characters up, and takes a prefix only from the start of the value', () => {
    expect(maskSecret('a'.repeat(15))).toBe('••••••••');
    expect(maskSecret('abcdefghijklmnop')).toBe('••••••••mnop');
    expect(maskSecret('bst_efghijklmnop')).toBe('bst_••••••••mnop');
    expect(maskSecret('X9bst_abcdefghijklmnop')).toBe('••••••••mnop');
  });

  it('shows who rotated a secret, and when a bootstrap token expires or was revoked', () => {
    const row = {
      name: 'bootstrap-token',
      version: 2,
      rotated_at: new Date('2031-01-01T00:00:00Z'),
      rotated_by: 'alice@example.com',
      previous_expires_at: null,
      pending_since: null,
      pending_error: null,
      expires_at: new Date('2031-02-01T00:00:00Z'),
      revoked_at: new Date('2031-01-15T00:00:00Z'),
    } as unknown as TenantSecretRow;
    expect(secretStatus('bootstrap-token', row, new Date('2031-01-20T00:00:00Z'))).toEqual({
      name: 'bootstrap-token',
      version: 2,
      rotatedAt: row.rotated_at,
      rotatedBy: 'alice@example.com',
      graceUntil: null,
      pending: false,
      pendingError: null,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    });
  });
});
