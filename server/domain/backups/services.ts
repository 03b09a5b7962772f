import type pg from 'pg';
import type { ClusterClient } from '../../cluster/client.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createPool } from '../../db/pool.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Logger } from '../../log.ts';
import type { OperationLocks } from '../tenants/operations/locks.ts';
import { createJobRunner } from './job-runner.ts';
import { choosePgTools, type PgTools } from './pg-tools.ts';
import { type BackupRunner, createLocalRunner } from './runner.ts';
import type { BackupStorage } from './storage.ts';

/** Backups and verifications running in this process, so shutdown and tests can wait for them. */
export type BackupRuns = {
  /** Runs `work` in the background; its abort signal fires when the process stops. */
  start(work: (signal: AbortSignal) => Promise<void>): void;
  /** Resolves once nothing runs here. */
  idle(): Promise<void>;
  /** Aborts what runs (their pg_dump / pg_restore are killed, they end failed) and waits for it. */
  stop(): Promise<void>;
};

/** What the backup operations use; wired once at start-up. */
export type BackupServices = {
  db: Db;
  bus: EventBus;
  logger: Logger;
  locks: OperationLocks;
  now: () => Date;
  storage: BackupStorage;
  settings: Config['backups'];
  /** Admin connection to the tenants' PostgreSQL server (creates and drops scratch databases). */
  adminUrl: string;
  admin: pg.Pool;
  /** The pg_dump / pg_restore for the tenants' server; a DependencyError names what to install. */
  tools(): Promise<PgTools>;
  /** Runs pg_dump: here (`local`) or in a Kubernetes Job (`job`), as BACKUP_RUNNER says. */
  runner: BackupRunner;
  runs: BackupRuns;
};

export function createBackupRuns(logger: Logger): BackupRuns {
  const running = new Set<Promise<void>>();
  const controller = new AbortController();
  return {
    start(work) {
      const p: Promise<void> = work(controller.signal)
        .catch((error: unknown) => logger.error({ err: error }, 'backup work failed'))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.all(running);
    },
    async stop() {
      controller.abort();
      while (running.size) await Promise.all(running);
    },
  };
}

/** Wires the backup services: an admin pool, the pg tools (chosen once they are found) and the runs. */
export function createBackupServices(options: {
  db: Db;
  bus: EventBus;
  logger: Logger;
  locks: OperationLocks;
  now: () => Date;
  storage: BackupStorage;
  settings: Config['backups'];
  adminUrl: string;
  /** The cluster the `job` runner makes its Jobs in. */
  cluster?: ClusterClient | undefined;
  /** host:port pods reach the tenants' server at (TENANT_DATABASE_HOST); unset: the admin URL's. */
  databaseHost?: string | undefined;
}): BackupServices & { close(): Promise<void> } {
  const admin = createPool({
    connectionString: options.adminUrl,
    max: 2,
    application_name: 'justiam-cp-backups',
  });
  let chosen: PgTools | undefined;
  const runs = createBackupRuns(options.logger);
  async function tools(): Promise<PgTools> {
    if (chosen) return chosen;
    const { rows } = await admin.query<{ n: string }>(`select current_setting('server_version_num') as n`);
    const major = Math.floor(Number(rows[0]!.n) / 10000);
    chosen = await choosePgTools(major, options.settings.pgDump, options.settings.searchPath);
    options.logger.info(
      { pgDump: chosen.pgDump, version: chosen.version, serverMajor: major },
      'backups use this pg_dump',
    );
    return chosen;
  }
  let runner: BackupRunner;
  if (options.settings.runner === 'job') {
    if (!options.cluster) throw new Error('the job backup runner needs a cluster');
    runner = createJobRunner({
      cluster: options.cluster,
      storage: options.storage,
      settings: options.settings.job,
      logger: options.logger,
      admin,
      adminUrl: options.adminUrl,
      databaseHost: options.databaseHost,
    });
  } else {
    runner = createLocalRunner({
      storage: options.storage,
      adminUrl: options.adminUrl,
      searchPath: options.settings.searchPath,
      tools,
    });
  }
  return {
    ...options,
    admin,
    runs,
    tools,
    runner,
    async close() {
      await runs.stop();
      await admin.end();
    },
  };
}
