import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/db/embedded/postgres.ts';
import { createLogger } from '../../server/log.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * Integration tests need a real PostgreSQL server: the one in DATABASE_URL (CI exports the
 * machine's), else an embedded one started here for the whole run. Each test file then makes its
 * own database on that server (test/support/db.ts).
 */
export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'cp-test-pg-'));
  // mkdtemp makes the folder private; the embedded server may run as another user (root can't run it).
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: dir,
    port: undefined,
    logger: createLogger({ level: 'silent' }),
    // Throwaway test databases: durability buys nothing here and costs every CREATE DATABASE a sync.
    settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
  });
  project.provide('databaseUrl', pg.url);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
