import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { choosePgTools, type PgTools } from '../../server/domain/backups/pg-tools.ts';
import { serverUrl } from './db.ts';

export const run = promisify(execFile);

/** The test server's major version and the pg tools for it, or why there are none. */
export async function testPgTools(): Promise<{
  major: number;
  tools: PgTools | undefined;
  problem?: string;
}> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  const { rows } = await client.query<{ n: string }>(`select current_setting('server_version_num') as n`);
  await client.end();
  const major = Math.floor(Number(rows[0]!.n) / 10000);
  try {
    return { major, tools: await choosePgTools(major, undefined, process.env.PATH) };
  } catch (error) {
    return { major, tools: undefined, problem: (error as Error).message };
  }
}

/**
 * A pg_dump that runs the real one (named by `install`, once the test server's version is
 * known), with switches a test flips by making files beside it: `slow` (seconds to wait before
 * dumping) and `die` (pass 4 KiB of the dump on, then be killed with SIGKILL, as a runner killed
 * mid-way). `pg_restore` beside it runs the real one, after `slowRestore` seconds. Made synchronously: a test file's server
 * configuration (PG_DUMP) needs its path before anything async runs.
 */
export function controllablePgDump() {
  const dir = mkdtempSync(join(tmpdir(), 'cp-pgdump-'));
  const script = `#!/bin/sh
dir=$(dirname "$0")
real=$(cat "$dir/real")
if [ "$1" != "--version" ]; then
  if [ -e "$dir/slow" ]; then sleep "$(cat "$dir/slow")"; fi
  if [ -e "$dir/die" ]; then
    "$real" "$@" | head -c 4096
    kill -9 $$
  fi
fi
exec "$real" "$@"
`;
  const pgDump = join(dir, 'pg_dump');
  writeFileSync(pgDump, script, { mode: 0o755 });
  return {
    pgDump,
    async install(tools: PgTools) {
      await writeFile(join(dir, 'real'), tools.pgDump);
      // pg_restore waits `slow-restore` seconds first when that file exists.
      const restore = `#!/bin/sh\ndir=$(dirname "$0")\nif [ "$1" != "--version" ] && [ -e "$dir/slow-restore" ]; then sleep "$(cat "$dir/slow-restore")"; fi\nexec ${JSON.stringify(tools.pgRestore)} "$@"\n`;
      await writeFile(join(dir, 'pg_restore'), restore, { mode: 0o755 });
    },
    async slowRestore(seconds: number | null) {
      if (seconds === null) await rm(join(dir, 'slow-restore'), { force: true });
      else await writeFile(join(dir, 'slow-restore'), String(seconds));
    },
    async slow(seconds: number | null) {
      if (seconds === null) await rm(join(dir, 'slow'), { force: true });
      else await writeFile(join(dir, 'slow'), String(seconds));
    },
    async die(on: boolean) {
      if (on) await writeFile(join(dir, 'die'), '');
      else await rm(join(dir, 'die'), { force: true });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs SQL on one database of the test server. */
export async function onDatabase<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
