import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz, serverTypes } from '../../../../server/db/timestamps.ts';

const pgDefault = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => unknown;

/** What both parsers make of `text`, as comparable values (a Date's time, or the value itself). */
function both(text: string): { ours: unknown; pg: unknown } {
  const asValue = (v: unknown) => (v instanceof Date ? { time: v.getTime() } : v);
  return { ours: asValue(parseTimestamptz(text)), pg: asValue(pgDefault(text)) };
}

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL writes as pg’s own parser does, to the millisecond', () => {
    const cases = [
      '2026-12-03 07:33:12.123456+00',
      '2026-12-03 07:33:12+00',
      '2026-12-03 07:33:12.1+00',
      '2026-12-03 07:33:12.12+00',
      '2026-12-03 07:33:12.999999+00',
      '2024-02-29 23:59:59.5-03:30',
      '1999-12-31 23:59:59.000001+05:45',
      '2000-01-01 00:00:00+14',
      '1883-11-18 12:03:58-04:56:02',
      '1000-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999-12',
    ];
    for (const text of cases) {
      const { ours, pg } = both(text);
      expect(ours, text).toEqual(pg);
      expect(parseTimestamptz(text), text).toBeInstanceOf(Date);
    }
  });

  it('agrees with pg’s parser on 20,000 random timestamps, fractions and offsets', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    for (let i = 0; i < 20_000; i++) {
      const fractionDigits = random(7);
      const fraction = fractionDigits ? `.${pad(random(10 ** fractionDigits), fractionDigits)}` : '';
      const offsetParts = [pad(random(15), 2), pad(random(60), 2), pad(random(60), 2)].slice(
        0,
        1 + random(3),
      );
      const text =
        `${pad(1000 + random(9000), 4)}-${pad(1 + random(12), 2)}-${pad(1 + random(28), 2)} ` +
        `${pad(random(24), 2)}:${pad(random(60), 2)}:${pad(random(60), 2)}${fraction}` +
        `${random(2) ? '+' : '-'}${offsetParts.join(':')}`;
      const { ours, pg } = both(text);
      if ((ours as { time: number }).time !== (pg as { time: number }).time) expect(ours, text).toEqual(pg);
    }
  });

  it('leaves to pg’s parser what is not a plain ISO timestamp: infinity, BC, short and long years', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '2024-01-01 00:00:00+00 BC',
      '0099-06-01 12:00:00+00',
      '0999-06-01 12:00:00+00',
      '12345-01-01 00:00:00+00',
      '2024-01-01 00:00:00',
      '2024-01-01 00:00:00.+00',
      '2024-01-01 0a:00:00+00',
      '2a24-01-01 00:00:00+00',
      '2024-13-01 00:00:00+00',
      '2024-01-01 00:00:00+0',
      '2024-01-01 00:00:00Z',
      '01/02/2024 00:00:00 UTC',
    ]) {
      expect(both(text).ours, text).toEqual(both(text).pg);
    }
  });

  it('is what the server’s pool uses for timestamptz, and pg’s own parsers for everything else', () => {
    expect(serverTypes.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text')).toBe(parseTimestamptz);
    expect(serverTypes.getTypeParser(pg.types.builtins.TIMESTAMP, 'text')).toBe(
      pg.types.getTypeParser(pg.types.builtins.TIMESTAMP, 'text'),
    );
    expect(serverTypes.getTypeParser(pg.types.builtins.INT4, 'text')).toBe(
      pg.types.getTypeParser(pg.types.builtins.INT4, 'text'),
    );
  });
});
