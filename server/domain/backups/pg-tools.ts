import { execFile } from 'node:child_process';
import { access, constants, readdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DependencyError } from '../errors.ts';

const run = promisify(execFile);

/** A pg_dump and the pg_restore beside it, of one major version. */
export type PgTools = { pgDump: string; pgRestore: string; version: string; major: number };

/** `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → `15.20`. */
export function versionOf(output: string): { version: string; major: number } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  return { version: match[2] ? `${match[1]}.${match[2]}` : match[1]!, major: Number(match[1]) };
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function probe(pgDump: string): Promise<PgTools | undefined> {
  if (!(await executable(pgDump))) return undefined;
  const out = await run(pgDump, ['--version'], { timeout: 10_000 }).catch(() => undefined);
  const v = out && versionOf(out.stdout);
  if (!v) return undefined;
  const pgRestore = join(dirname(pgDump), 'pg_restore');
  if (!(await executable(pgRestore))) return undefined;
  return { pgDump, pgRestore, ...v };
}

/** Every pg_dump this machine offers: versioned installs first, then those on the PATH. */
async function candidates(path: string | undefined): Promise<string[]> {
  const found: string[] = [];
  // Debian and Ubuntu: /usr/lib/postgresql/<major>/bin; RHEL and the PGDG RPMs: /usr/pgsql-<major>/bin.
  for (const entry of await readdir('/usr/lib/postgresql').catch(() => [] as string[])) {
    found.push(join('/usr/lib/postgresql', entry, 'bin', 'pg_dump'));
  }
  for (const entry of await readdir('/usr').catch(() => [] as string[])) {
    if (/^pgsql-\d+$/.test(entry)) found.push(join('/usr', entry, 'bin', 'pg_dump'));
  }
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) found.push(join(dir, 'pg_dump'));
  return [...new Set(found)];
}

/**
 * Picks the pg_dump for a server of major version `serverMajor`. pg_dump refuses a server newer
 * than itself, and its archives can be read only by a pg_restore at least as new as it, so the
 * choice is the oldest major that is not older than the server's. `configured` (PG_DUMP) is used
 * alone when set. Throws a {@link DependencyError} `PG_DUMP_UNAVAILABLE` naming what to install.
 */
export async function choosePgTools(
  serverMajor: number,
  configured: string | undefined,
  path: string | undefined,
): Promise<PgTools> {
  const paths = configured ? [configured] : await candidates(path);
  const usable: PgTools[] = [];
  const tooOld: PgTools[] = [];
  for (const p of paths) {
    const tools = await probe(p);
    if (!tools) continue;
    (tools.major >= serverMajor ? usable : tooOld).push(tools);
  }
  usable.sort((a, b) => a.major - b.major);
  if (usable[0]) return usable[0];
  const seen = tooOld.map((t) => `${t.pgDump} (${t.version})`).join(', ');
  const where = configured
    ? `PG_DUMP=${configured} is ${tooOld.length ? `version ${tooOld[0]!.version}` : 'not a pg_dump with a pg_restore beside it'}`
    : `no pg_dump of version ${serverMajor} or newer was found${seen ? ` (found ${seen})` : ''}`;
  throw new DependencyError(
    `backups need pg_dump and pg_restore of PostgreSQL ${serverMajor} or newer, the tenant databases' server version: ${where}. Install postgresql-client-${serverMajor} (on Debian and Ubuntu from apt.postgresql.org) or set PG_DUMP to such a pg_dump`,
    'PG_DUMP_UNAVAILABLE',
  );
}

/**
 * libpq environment for a connection URL: the password travels in PGPASSWORD, never on a command
 * line another local user could read.
 */
export function libpqEnv(url: string, database: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || 'localhost',
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username) || 'postgres',
    PGDATABASE: database,
    PGAPPNAME: 'justiam-cp-backup',
    PGCONNECT_TIMEOUT: '10',
  };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const host = u.searchParams.get('host');
  if (host) env.PGHOST = host;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** The same server as `url`, another database. */
export function urlForDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
