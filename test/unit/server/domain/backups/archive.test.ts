import { describe, expect, it } from 'vitest';
import { readArchiveHeader, shortVersion } from '../../../../../server/domain/backups/archive.ts';

/** A custom-format archive header as pg_dump writes it (pg_backup_archiver.c, WriteHead). */
function header(minor: number, strings: (string | null)[], intSize = 4): Buffer {
  const int = (n: number) => {
    const b = Buffer.alloc(1 + intSize);
    b[0] = n < 0 ? 1 : 0;
    let v = Math.abs(n);
    for (let i = 0; i < intSize; i++) {
      b[1 + i] = v & 0xff;
      v = Math.floor(v / 256);
    }
    return b;
  };
  const str = (s: string | null) =>
    s === null ? int(-1) : Buffer.concat([int(Buffer.byteLength(s)), Buffer.from(s)]);
  const compression = minor >= 15 ? Buffer.from([1]) : int(-1);
  return Buffer.concat([
    Buffer.from('PGDMP'),
    Buffer.from([1, minor, 0, intSize, 8, 1]),
    compression,
    ...[3, 46, 9, 2, 11, 126, 0].map(int),
    ...strings.map(str),
    Buffer.from('the table of contents follows'),
  ]);
}

describe('readArchiveHeader', () => {
  it('reads pg_dump 15’s header (format 1.14: compression as an integer)', () => {
    expect(
      readArchiveHeader(
        header(14, ['tenant_acme', '15.20 (Debian 15.20-0+deb12u1)', '15.20 (Debian 15.20-0+deb12u1)']),
      ),
    ).toEqual({
      formatVersion: '1.14.0',
      database: 'tenant_acme',
      serverVersion: '15.20 (Debian 15.20-0+deb12u1)',
      pgDumpVersion: '15.20 (Debian 15.20-0+deb12u1)',
    });
  });

  it('reads format 1.15 and later (pg_dump 16+: compression as one byte), and 8-byte integers', () => {
    expect(readArchiveHeader(header(16, ['db', '15.8', '17.2'], 8))).toMatchObject({
      formatVersion: '1.16.0',
      serverVersion: '15.8',
      pgDumpVersion: '17.2',
    });
  });

  it('is undefined for anything else: another file, a truncated header', () => {
    expect(readArchiveHeader(Buffer.from('-- PostgreSQL database dump\n'))).toBeUndefined();
    expect(readArchiveHeader(Buffer.alloc(0))).toBeUndefined();
    const whole = header(14, ['tenant_acme', '15.20', '15.20']);
    expect(readArchiveHeader(whole.subarray(0, 40))).toBeUndefined();
  });

  it('shortVersion keeps the number, as pg_dump --version gives it to the local runner', () => {
    expect(shortVersion('15.20 (Debian 15.20-0+deb12u1)')).toBe('15.20');
    expect(shortVersion('17.2')).toBe('17.2');
    expect(shortVersion('18beta1')).toBe('18');
  });
});
