/** Bytes of a custom-format archive that hold its header (the three strings are short). */
export const ARCHIVE_HEAD_BYTES = 4096;

export type ArchiveHeader = {
  /** The archive format's version, e.g. `1.14.0` (pg_dump 15). */
  formatVersion: string;
  database: string | null;
  /** The dumped server's version string (`15.20 (Debian 15.20-0+deb12u1)`). */
  serverVersion: string | null;
  /** The version string of the pg_dump that wrote it. */
  pgDumpVersion: string | null;
};

/**
 * The header of a `pg_dump --format=custom` archive (pg_backup_archiver.c, WriteHead): the magic
 * `PGDMP`, the format version, integer and offset sizes, the format, the compression (an integer
 * before format 1.15, one byte since), the creation time (seven integers), then the database
 * name, the server's version and pg_dump's version as strings. Integers are a sign byte and
 * `intSize` bytes, least significant first; a string is its length and its bytes. Undefined when
 * `head` is not the start of such an archive.
 */
export function readArchiveHeader(head: Buffer): ArchiveHeader | undefined {
  if (head.length < 11 || head.subarray(0, 5).toString('latin1') !== 'PGDMP') return undefined;
  const [major, minor, revision, intSize] = [head[5]!, head[6]!, head[7]!, head[8]!];
  if (intSize < 1 || intSize > 8) return undefined;
  let at = 11;
  const int = (): number | undefined => {
    if (at + 1 + intSize > head.length) return undefined;
    const negative = head[at] !== 0;
    let value = 0;
    for (let i = 0; i < intSize; i++) value += head[at + 1 + i]! * 2 ** (8 * i);
    at += 1 + intSize;
    return negative ? -value : value;
  };
  const str = (): string | null | undefined => {
    const length = int();
    if (length === undefined) return undefined;
    if (length < 0) return null;
    if (at + length > head.length) return undefined;
    const text = head.subarray(at, at + length).toString('utf8');
    at += length;
    return text;
  };
  if (major > 1 || (major === 1 && minor >= 15)) at += 1;
  else if (int() === undefined) return undefined;
  for (let i = 0; i < 7; i++) if (int() === undefined) return undefined;
  const database = str();
  const serverVersion = str();
  const pgDumpVersion = str();
  if (database === undefined || serverVersion === undefined || pgDumpVersion === undefined) return undefined;
  return { formatVersion: `${major}.${minor}.${revision}`, database, serverVersion, pgDumpVersion };
}

/** `15.20 (Debian 15.20-0+deb12u1)` → `15.20`, as the local runner records `pg_dump --version`. */
export function shortVersion(version: string): string {
  return /^\d+(\.\d+)?/.exec(version)?.[0] ?? version;
}
