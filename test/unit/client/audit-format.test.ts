import { describe, expect, it } from 'vitest';
import { formatActor, formatTarget, prependUnique, withoutIds } from '../../../client/src/audit/format.ts';
import { formatTime } from '../../../client/src/components/time.ts';

describe('audit cell formatting', () => {
  it('names the actor with its kind, once when label and kind are the same', () => {
    expect(formatActor({ kind: 'operator', label: 'alice@example.com' })).toBe(
      'alice@example.com (operator)',
    );
    expect(formatActor({ kind: 'system', label: 'system' })).toBe('system');
  });

  it('shows the target as kind and id, or a dash when there is none', () => {
    expect(formatTarget({ kind: 'tenant', id: 'acme' })).toBe('tenant acme');
    expect(formatTarget(null)).toBe('—');
  });

  it('formats the time in the given zone, and leaves an unparsable value as it came', () => {
    expect(formatTime('2026-11-28T12:00:05Z', 'en-GB', 'UTC')).toBe('28 Nov 2026, 12:00:05');
    expect(formatTime('not a date')).toBe('not a date');
  });
});

describe('live entries', () => {
  const a = { id: 'a' };
  const b = { id: 'b' };
  const c = { id: 'c' };

  it('puts the newest entry first', () => {
    expect(prependUnique([b, a], c)).toEqual([c, b, a]);
  });

  it('keeps an entry delivered twice only once', () => {
    const entries = [b, a];
    expect(prependUnique(entries, { id: 'a' })).toBe(entries);
  });

  it('drops the oldest entries past the limit', () => {
    expect(prependUnique([b, a], c, 2)).toEqual([c, b]);
  });

  it('hides page rows already shown live', () => {
    expect(withoutIds([c, b, a], new Set(['c']))).toEqual([b, a]);
  });
});
