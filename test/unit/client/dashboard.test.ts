import { describe, expect, it } from 'vitest';
import { countEntries, dayBefore } from '../../../client/src/dashboard/recent.ts';

describe('dashboard activity', () => {
  it('counts entries in words, marking a count that hit the page limit as a lower bound', () => {
    expect(countEntries(0, false)).toBe('No audit entries');
    expect(countEntries(1, false)).toBe('1 audit entry');
    expect(countEntries(37, false)).toBe('37 audit entries');
    expect(countEntries(100, true)).toBe('100+ audit entries');
  });

  it('looks back exactly one day, as an ISO instant the API accepts', () => {
    expect(dayBefore(new Date('2026-11-28T12:00:00Z'))).toBe('2026-11-27T12:00:00.000Z');
  });
});
