import type { TenantBackupRow, TenantRow } from '../../db/schema.ts';
import { DependencyError } from '../errors.ts';
import { tenantDatabaseName } from '../tenants/database/admin.ts';
import { runProgram } from './pg-process.ts';
import type { PgTools } from './pg-tools.ts';
import { libpqEnv } from './pg-tools.ts';
import type { BackupStorage } from './storage.ts';

/** What a runner is asked to dump: the tenant database as of an exported snapshot, into `key`. */
export type DumpRequest = {
  tenant: TenantRow;
  backup: TenantBackupRow;
  /** The storage key the file is to have once complete. */
  key: string;
  /** The snapshot exported by the transaction that counted the rows (pg_dump --snapshot). */
  snapshot: string;
  /** Aborted when the process stops: the dump is stopped and fails. */
  signal: AbortSignal;
  /** Told how many bytes the dump has written so far. */
  onBytes(total: number): void;
};

/** A dump that has completed: its file, still under its temporary name, and what it holds. */
export type Dumped = {
  file: { commit(): Promise<void>; discard(): Promise<void> };
  sha256: string;
  bytes: number;
  pgDumpVersion: string;
};

/**
 * Who runs pg_dump: `local` (a process of the control plane, streaming into storage) or `job` (a
 * Kubernetes Job writing into the storage volume). Either way the control plane holds the snapshot
 * transaction while it runs, and its result is committed by the same code (run.ts).
 */
export type BackupRunner = {
  kind: 'local' | 'job';
  /** Throws a DependencyError naming what is missing when backups cannot run (no usable pg_dump). */
  ready(): Promise<void>;
  /**
   * Dumps the snapshot into a file that becomes visible only on `commit`. Rejects with the reason
   * (pg_dump's own error text) when the dump fails, leaving no file.
   */
  dump(request: DumpRequest): Promise<Dumped>;
  /**
   * Stops whatever still runs for a backup whose control plane is gone (a Job), before its
   * partial file is removed; throws when that cannot be done now (the next round tries again).
   */
  abandon(backup: TenantBackupRow): Promise<void>;
  /** Throws a DependencyError naming what is missing when verifications cannot run (no usable pg_restore). */
  readyToVerify(): Promise<void>;
  /**
   * Restores a stored backup into the scratch database (made, empty, by the caller, who counts its
   * rows and drops it); rejects with pg_restore's own error text when it does not restore.
   */
  restore(request: RestoreRequest): Promise<void>;
  /** Called once the scratch database is dropped (the job runner drops its temporary role). */
  afterRestore(backup: TenantBackupRow): Promise<void>;
  /** Cleans up what a verification whose control plane is gone left (its Job, Secret and role). */
  abandonVerification(backup: TenantBackupRow): Promise<void>;
};

/** What a runner is asked to restore: the file of `key` into the empty database `scratch`. */
export type RestoreRequest = {
  tenant: TenantRow;
  backup: TenantBackupRow;
  key: string;
  scratch: string;
  signal: AbortSignal;
};

/** The `local` runner: pg_dump as a child process, its output hashed on its way into storage. */
export function createLocalRunner(options: {
  storage: BackupStorage;
  adminUrl: string;
  searchPath: string | undefined;
  tools(): Promise<PgTools>;
}): BackupRunner {
  return {
    kind: 'local',
    async ready() {
      await options.tools();
    },
    async dump({ tenant, key, snapshot, signal, onBytes }) {
      const tools = await options.tools();
      const pending = await options.storage.create(key);
      try {
        const env = libpqEnv(options.adminUrl, tenantDatabaseName(tenant.slug));
        if (options.searchPath) env.PATH = options.searchPath;
        const result = await runProgram({
          program: tools.pgDump,
          args: ['--format=custom', `--snapshot=${snapshot}`, '--no-password'],
          env,
          signal,
          sink: pending.stream,
          onBytes,
        });
        return { file: pending, ...result, pgDumpVersion: tools.version };
      } catch (error) {
        await pending.discard().catch(() => {});
        throw error;
      }
    },
    // Its pg_dump was a child of the process that is gone.
    async abandon() {},
    async readyToVerify() {
      try {
        await options.tools();
      } catch (error) {
        if (!(error instanceof DependencyError)) throw error;
        throw new DependencyError(
          `verifying a backup restores it with pg_restore next to the control plane, and there is none usable: ${error.message}`,
          error.code,
        );
      }
    },
    async restore({ key, scratch, signal }) {
      const tools = await options.tools();
      const env = libpqEnv(options.adminUrl, scratch);
      if (options.searchPath) env.PATH = options.searchPath;
      await runProgram({
        program: tools.pgRestore,
        args: [
          '--no-owner',
          '--no-privileges',
          '--exit-on-error',
          '--single-transaction',
          '--no-password',
          '--dbname',
          scratch,
        ],
        env,
        signal,
        source: options.storage.read(key),
      });
    },
    async afterRestore() {},
    async abandonVerification() {},
  };
}
