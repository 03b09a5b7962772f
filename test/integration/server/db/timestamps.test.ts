import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serverTypes } from '../../../../server/db/timestamps.ts';
import { serverUrl } from '../../../support/db.ts';

/** Instants that exercise the fraction and the offset: a leap day, an epoch, historic zone offsets. */
const INSTANTS = `values ('2024-02-29 23:59:59.999999+00'::timestamptz), ('1970-01-01 00:00:00+00'),
  ('2026-12-03 07:33:12.1+00'), ('1850-06-01 12:00:00+00'), ('9999-12-31 23:59:59.5+00'),
  (now()), (clock_timestamp()), ('infinity'), ('-infinity'), ('0044-03-15 12:00:00+00'),
  ('0044-03-15 12:00:00+00 BC'), ('1900-06-01 12:00:00+00'), ('1960-06-01 12:00:00.25+00'), (null)`;

describe('the server pool’s timestamptz parser against PostgreSQL', () => {
  it('reads every instant as pg’s default parser does, in time zones with odd offsets', async () => {
    const ours = new pg.Client({ connectionString: serverUrl(), types: serverTypes });
    const theirs = new pg.Client({ connectionString: serverUrl() });
    await Promise.all([ours.connect(), theirs.connect()]);
    try {
      // Negative half hours, +05:45, +14, and in 1900 offsets with seconds (Monrovia -00:43:08).
      for (const zone of [
        'UTC',
        'Asia/Kathmandu',
        'America/St_Johns',
        'Pacific/Kiritimati',
        'Africa/Monrovia',
      ]) {
        const text = `select t, t::text as raw from (${INSTANTS}) as v(t)`;
        await ours.query(`set timezone = '${zone}'`);
        await theirs.query(`set timezone = '${zone}'`);
        await ours.query('begin');
        await theirs.query('begin');
        const [a, b] = await Promise.all([ours.query(text), theirs.query(text)]);
        await Promise.all([ours.query('rollback'), theirs.query('rollback')]);
        expect(a.rows.length).toBe(14);
        for (let i = 0; i < a.rows.length; i++) {
          const mine = a.rows[i].t;
          const pgs = b.rows[i].t;
          const label = `${zone}: ${a.rows[i].raw}`;
          if (mine instanceof Date) expect(mine.getTime(), label).toBe(pgs.getTime());
          else expect(mine, label).toEqual(pgs);
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
      await Promise.all([ours.end(), theirs.end()]);
    }
  });
});
