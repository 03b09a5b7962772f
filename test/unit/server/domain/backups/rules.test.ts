import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePgTools, libpqEnv, versionOf } from '../../../../../server/domain/backups/pg-tools.ts';
import { compareCounts } from '../../../../../server/domain/backups/run.ts';
import { lastScheduledAt } from '../../../../../server/domain/backups/settings.ts';
import { parseRange } from '../../../../../server/http/backup-download.ts';

describe('HTTP byte ranges of a download', () => {
  it.each([
    [undefined, 1000, undefined],
    ['bytes=0-99', 1000, { start: 0, end: 99 }],
    ['bytes=900-', 1000, { start: 900, end: 999 }],
    ['bytes=900-5000', 1000, { start: 900, end: 999 }],
    ['bytes=-10', 1000, { start: 990, end: 999 }],
    ['bytes=-5000', 1000, { start: 0, end: 999 }],
    ['bytes=1000-', 1000, 'unsatisfiable'],
    ['bytes=50-10', 1000, 'unsatisfiable'],
    ['bytes=-0', 1000, 'unsatisfiable'],
    ['bytes=-', 1000, 'unsatisfiable'],
    ['bytes=0-1,5-9', 1000, 'unsatisfiable'],
    ['items=0-5', 1000, undefined],
  ] as const)('%s of %i bytes → %o', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('row-count comparison of a verification', () => {
  it('names every table that differs, is missing or was not in the backup', () => {
    expect(compareCounts({ 'public.a': 3, 'public.b': 1 }, { 'public.a': 3, 'public.b': 1 })).toEqual([]);
    expect(compareCounts({ 'public.a': 3, 'public.b': 1 }, { 'public.a': 2, 'public.c': 0 })).toEqual([
      'public.a: 2 rows after restore, 3 recorded',
      'public.b: missing after restore, 1 recorded',
      'public.c: 0 rows after restore, not in the backup',
    ]);
  });
});

describe('daily schedule', () => {
  it('is the latest HH:MM UTC at or before now', () => {
    const now = new Date('2026-12-02T05:30:00Z');
    expect(lastScheduledAt('02:00', now).toISOString()).toBe('2026-12-02T02:00:00.000Z');
    expect(lastScheduledAt('05:30', now).toISOString()).toBe('2026-12-02T05:30:00.000Z');
    expect(lastScheduledAt('05:31', now).toISOString()).toBe('2026-12-01T05:31:00.000Z');
    expect(lastScheduledAt('23:59', new Date('2026-01-01T00:00:00Z')).toISOString()).toBe(
      '2025-12-31T23:59:00.000Z',
    );
  });
});

describe('choosing pg_dump', () => {
  let dir: string;
  /** A fake pg_dump of `version` (and a pg_restore beside it) in `dir/<name>`. */
  async function fake(name: string, version: string, withRestore = true) {
    const bin = join(dir, name);
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'pg_dump'), `#!/bin/sh\necho "pg_dump (PostgreSQL) ${version}"\n`);
    await chmod(join(bin, 'pg_dump'), 0o755);
    if (withRestore) {
      await writeFile(join(bin, 'pg_restore'), '#!/bin/sh\n');
      await chmod(join(bin, 'pg_restore'), 0o755);
    }
    return bin;
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cp-pgtools-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the version pg_dump prints', () => {
    expect(versionOf('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)')).toEqual({
      version: '15.20',
      major: 15,
    });
    expect(versionOf('pg_dump (PostgreSQL) 18beta1')).toEqual({ version: '18', major: 18 });
    expect(versionOf('something else')).toBeUndefined();
  });

  it('takes the oldest major that is not older than the server, from the PATH', async () => {
    const v14 = await fake('a14', '14.9');
    const v16 = await fake('b16', '16.4');
    const v17 = await fake('c17', '17.2');
    const path = [v17, v14, v16].join(':');
    const chosen = await choosePgTools(15, undefined, path);
    // Whatever the machine has installed in /usr/lib/postgresql may be older or newer: only ≥ 15 qualify.
    expect(chosen.major).toBeGreaterThanOrEqual(15);
    expect(chosen.major).toBeLessThanOrEqual(16);
    await expect(choosePgTools(17, undefined, path)).resolves.toMatchObject({ major: 17 });
  });

  it('refuses a pg_dump without pg_restore beside it, and PG_DUMP older than the server, naming what to install', async () => {
    const lonely = await fake('d90', '90.1', false);
    await expect(choosePgTools(90, undefined, lonely)).rejects.toThrow(/Install postgresql-client-90/);
    const old = await fake('e15', '15.3');
    await expect(choosePgTools(18, join(old, 'pg_dump'), '')).rejects.toThrow(
      `PG_DUMP=${join(old, 'pg_dump')} is version 15.3. Install postgresql-client-18`,
    );
  });

  it('passes the password in the environment, never on a command line', () => {
    expect(libpqEnv('postgres://cp:s%40cret@db.internal:5433/cp?sslmode=require', 'tenant_acme')).toEqual({
      PGHOST: 'db.internal',
      PGPORT: '5433',
      PGUSER: 'cp',
      PGPASSWORD: 's@cret',
      PGDATABASE: 'tenant_acme',
      PGAPPNAME: 'justiam-cp-backup',
      PGCONNECT_TIMEOUT: '10',
      PGSSLMODE: 'require',
    });
  });
});
