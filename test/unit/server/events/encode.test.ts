import { describe, expect, it } from 'vitest';
import { encodeEvent } from '../../../../server/events/pg-event-target.ts';

describe('encodeEvent', () => {
  it('encodes topic and payload for NOTIFY', () => {
    expect(JSON.parse(encodeEvent('audit.recorded', { id: '7' }))).toEqual({
      t: 'audit.recorded',
      d: { id: '7' },
    });
  });

  it('refuses payloads PostgreSQL would reject, naming the topic', () => {
    expect(() => encodeEvent('settings.changed', { blob: 'x'.repeat(9000) })).toThrow(
      /settings.changed is \d+ bytes/,
    );
  });
});
