import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serverTypes } from '../../../../server/db/timestamps.ts';
import { serverUrl } from '../../../support/db.ts';

/** Instants that exercise the fraction and the offset: a leap day, an epoch, historic zone offsets. */
const INSTANTS = `values ('2024-02-29 23:59:59.999999+00'::timestamptz), ('1970-01-01 00:00:00+00'),
  ('2026-12-03 07:33:12.1+00'), ('1850-06-01 12:00:00+00'), ('9999-12-31 23:59:59.5+00'),
  (now()), (clock_timestamp()), ('infinity'), ('-infinity'), ('0044-03-15 12:00:00+00'),
  ('0044-03-15 12:00:00+00 BC'), ('1900-06-01 12:00:00+00'), ('1960-06-01 12:00:00.25+00'), (null)`;

const pgDefault = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => unknown;

describe('the server pool’s timestamptz parser against PostgreSQL', () => {
  it('reads every instant as pg’s default parser reads the same text, in time zones with odd offsets', async () => {
    // One client: each value is compared with pg's parser on the very text PostgreSQL sent for it
    // (now() and clock_timestamp() differ between sessions, so two clients would compare two instants).
    const ours = new pg.Client({ connectionString: serverUrl(), types: serverTypes });
    await ours.connect();
    try {
      // Negative half hours, +05:45, +14, and in 1900 offsets with seconds (Monrovia -00:43:08).
      for (const zone of [
        'UTC',
        'Asia/Kathmandu',
        'America/St_Johns',
        'Pacific/Kiritimati',
        'Africa/Monrovia',
      ]) {
        await ours.query(`set timezone = '${zone}'`);
        const { rows } = await ours.query(`select t, t::text as raw from (${INSTANTS}) as v(t)`);
        expect(rows.length).toBe(14);
        for (const { t, raw } of rows) {
          const label = `${zone}: ${raw}`;
          const theirs = raw === null ? null : pgDefault(raw);
          if (t instanceof Date) expect(t.getTime(), label).toBe((theirs as Date).getTime());
          else expect(t, label).toEqual(theirs);
        }
      }
      // The instants above did reach the parser with such offsets.
      await ours.query(`set timezone = 'Africa/Monrovia'`);
      const { rows } = await ours.query(
        `select '1900-06-01 12:00:00+00'::timestamptz as t, '1900-06-01 12:00:00+00'::timestamptz::text as raw`,
      );
      expect(rows[0].raw).toBe('1900-06-01 11:16:52-00:43:08');
      expect(rows[0].t.toISOString()).toBe('1900-06-01T12:00:00.000Z');
    } finally {
      await ours.end();
    }
  });
});
