import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative, formatUntil } from '../../../client/src/components/time.ts';

const now = Date.parse('2026-11-28T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('formatRelative', () => {
  it('says how long ago, in the largest unit that fits', () => {
    expect(formatRelative(ago(2000), now)).toBe('just now');
    expect(formatRelative(ago(42_000), now)).toBe('42 s ago');
    expect(formatRelative(ago(5 * 60_000 + 10_000), now)).toBe('5 min ago');
    expect(formatRelative(ago(3 * 3_600_000), now)).toBe('3 h ago');
    expect(formatRelative(ago(12 * 86_400_000), now)).toBe('12 d ago');
  });

  it('gives a date for old times and leaves garbage as it came', () => {
    expect(formatRelative(ago(90 * 86_400_000), now, 'en-GB')).toBe('30 Aug 2026');
    expect(formatRelative('soon', now)).toBe('soon');
  });

  it('treats a clock a little ahead as now', () => {
    expect(formatRelative(new Date(now + 3000).toISOString(), now)).toBe('just now');
  });
});

describe('formatDuration', () => {
  it('reads milliseconds, seconds or minutes', () => {
    expect(formatDuration('2026-11-28T12:00:00.000Z', '2026-11-28T12:00:00.850Z')).toBe('850 ms');
    expect(formatDuration('2026-11-28T12:00:00Z', '2026-11-28T12:00:04.2Z')).toBe('4.2 s');
    expect(formatDuration('2026-11-28T12:00:00Z', '2026-11-28T12:03:05Z')).toBe('3 min 5 s');
    expect(formatDuration('2026-11-28T12:00:05Z', '2026-11-28T12:00:00Z')).toBe('');
  });
});

describe('formatUntil', () => {
  const later = (ms: number) => new Date(now + ms).toISOString();

  it('says how long until, in the largest unit that fits, rounded down', () => {
    expect(formatUntil(later(42_500), now)).toBe('in 42 s');
    expect(formatUntil(later(59 * 60_000 + 59_000), now)).toBe('in 59 min');
    expect(formatUntil(later(3 * 3_600_000 + 1), now)).toBe('in 3 h');
    expect(formatUntil(later(2 * 86_400_000), now)).toBe('in 2 d');
  });

  it('says now once the instant has come, and leaves garbage as it came', () => {
    expect(formatUntil(later(0), now)).toBe('now');
    expect(formatUntil(later(-60_000), now)).toBe('now');
    expect(formatUntil('soon', now)).toBe('soon');
  });
});
