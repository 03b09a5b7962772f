import { describe, expect, it } from 'vitest';
import { bootstrapExpiry } from '../../../client/src/tenants/detail/bootstrap-expiry.ts';

// Noon local time, so the end of "today" is hours ahead in any zone.
const NOW = new Date(2026, 10, 28, 12, 0, 0).getTime();

describe('bootstrapExpiry', () => {
  it('sends no expiry for an empty field', () => {
    expect(bootstrapExpiry('  ', NOW)).toEqual({ expiresAt: null, problem: null });
  });

  it('expires at the end of the chosen day in the local zone', () => {
    const { expiresAt, problem } = bootstrapExpiry('2026-12-31', NOW);
    expect(problem).toBeNull();
    expect(expiresAt).toBe(new Date(2026, 11, 31, 23, 59, 59).toISOString());
  });

  it('accepts today, whose end is still ahead', () => {
    expect(bootstrapExpiry('2026-11-28', NOW).problem).toBeNull();
  });

  it('refuses past days, days beyond 366 and text that is no date, as the API would', () => {
    expect(bootstrapExpiry('2026-11-27', NOW).problem).toBe('Must be in the future');
    expect(bootstrapExpiry('2027-11-30', NOW).problem).toBe('Must be at most 366 days away');
    expect(bootstrapExpiry('2026-02-30', NOW).problem).toBe('Must be a date');
    expect(bootstrapExpiry('tomorrow', NOW).problem).toBe('Must be a date');
  });
});
