import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatRemaining,
  isRotatable,
  secretStatus,
} from '../../../client/src/tenants/detail/secret-status.ts';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const iso = (msFromNow: number) => new Date(NOW + msFromNow).toISOString();
const base = { pending: false, pendingError: null, graceActive: false, graceUntil: null };

describe('secretStatus', () => {
  it('calls a secret without a rotation under way or grace period current', () => {
    expect(secretStatus(base, NOW)).toEqual({ kind: 'current', label: 'Current', detail: null });
  });

  it('shows a running grace period with its end and the time left', () => {
    const status = secretStatus({ ...base, graceActive: true, graceUntil: iso(59 * 60_000) }, NOW, 'en-GB');
    expect(status.kind).toBe('grace');
    expect(status.detail).toMatch(/^The previous value is accepted until .+2026.+ \(59 min left\)\.$/);
  });

  it('treats a grace period whose end has passed on this clock as over', () => {
    expect(secretStatus({ ...base, graceActive: true, graceUntil: iso(-1000) }, NOW).kind).toBe('current');
  });

  it('puts a pending rotation first and says why it stopped, in the API words', () => {
    const status = secretStatus(
      {
        pending: true,
        pendingError: 'tenant backend unavailable',
        graceActive: true,
        graceUntil: iso(60_000),
      },
      NOW,
    );
    expect(status.kind).toBe('pending');
    expect(status.detail).toContain('Stopped half-way: tenant backend unavailable.');
  });
});

describe('formatRemaining', () => {
  it('uses the largest unit and drops a zero remainder', () => {
    expect(formatRemaining(45_000)).toBe('45 s');
    expect(formatRemaining(59 * 60_000)).toBe('59 min');
    expect(formatRemaining(2 * 3600_000)).toBe('2 h');
    expect(formatRemaining(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatRemaining(3 * 86_400_000 + 4 * 3600_000)).toBe('3 d 4 h');
    expect(formatRemaining(-5)).toBe('0 s');
  });
});

describe('formatBytes', () => {
  it('scales by 1000 and shows a dash when the size is unknown', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(7_654_321)).toBe('7.7 MB');
    expect(formatBytes(12_300_000_000)).toBe('12 GB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('isRotatable', () => {
  it('offers rotation on the Secrets tab only for the three secrets rotateTenantSecret takes', () => {
    expect(isRotatable('JWT')).toBe(true);
    expect(isRotatable('PROXY_TOKEN')).toBe(true);
    expect(isRotatable('LOGIN_WORKER_TOKEN')).toBe(true);
    expect(isRotatable('CP_TOKEN')).toBe(false);
    expect(isRotatable('ADMIN_PASSWORD')).toBe(false);
  });
});
