import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import pg from 'pg';
import type { ClusterClient } from '../../cluster/client.ts';
import {
  backupJob,
  backupJobName,
  backupVerifyJob,
  backupVerifyJobName,
  backupVerifySecret,
} from '../../cluster/resources.ts';
import type { Config } from '../../config.ts';
import type { TenantBackupRow } from '../../db/schema.ts';
import { scramVerifierAsync } from '../../db/scram.ts';
import type { Logger } from '../../log.ts';
import { DependencyError } from '../errors.ts';
import { ARCHIVE_HEAD_BYTES, readArchiveHeader, shortVersion } from './archive.ts';
import { urlForDatabase } from './pg-tools.ts';
import { scratchDatabaseOf } from './repository.ts';
import type { BackupRunner } from './runner.ts';
import type { BackupStorage } from './storage.ts';

/** How often a running backup Job (and its file's size) is looked at. */
const POLL_MS = 1000;
/** How long the pods of a deleted Job may take to go before the partial file is removed anyway. */
const PODS_GONE_MS = 30_000;
/** The same when the process is shutting down (within SHUTDOWN_TIMEOUT_MS). */
const PODS_GONE_AT_SHUTDOWN_MS = 4000;
/** Consecutive failed reads of the Job before the backup gives up on it. */
const READ_FAILURES = 30;
/** How long an image may fail to pull before the backup fails. */
const PULL_GRACE_MS = 120_000;
/** A container waiting for these cannot start without someone changing something. */
const CANNOT_START = [
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'ErrImageNeverPull',
];
const PULLING = ['ImagePullBackOff', 'ErrImagePull'];

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function ended(job: V1Job): { type: 'Complete' | 'Failed'; reason?: string; message?: string } | undefined {
  const c = job.status?.conditions?.find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c
    ? {
        type: c.type as 'Complete' | 'Failed',
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      }
    : undefined;
}

/** Why a failed backup Job failed, in words: the program's own error text when the pod has it. */
export function describeJobFailure(
  job: V1Job,
  pods: V1Pod[],
  deadlineSeconds: number | undefined,
  program: 'pg_dump' | 'pg_restore' = 'pg_dump',
  what = 'the backup Job',
): string {
  const end = ended(job);
  if (end?.reason === 'DeadlineExceeded') {
    return `${what} ran longer than its deadline (BACKUP_JOB_DEADLINE_SECONDS=${deadlineSeconds ?? job.spec?.activeDeadlineSeconds}) and was stopped`;
  }
  const terminated = pods
    .flatMap((p) => p.status?.containerStatuses ?? [])
    .map((c) => c.state?.terminated)
    .find((t) => t && t.exitCode !== 0);
  if (terminated) {
    const text = terminated.message?.trim();
    const why =
      terminated.reason === 'StartError'
        ? `${program} could not start`
        : terminated.exitCode > 128
          ? `${program} was killed (exit code ${terminated.exitCode}${terminated.reason && terminated.reason !== 'Error' ? `, ${terminated.reason}` : ''})`
          : `${program} exited with code ${terminated.exitCode}`;
    return `${what} failed: ${why}${text ? `: ${text}` : ''}`;
  }
  if (pods.length === 0) return `${what} failed: its pod was deleted before ${program} finished`;
  return `${what} failed${end?.message ? `: ${end.message}` : ''}`;
}

/**
 * The `job` runner: pg_dump runs in a Kubernetes Job (server/cluster/resources.ts, `backupJob`)
 * with the tenant's own credentials, writing the partial file onto the backup volume the control
 * plane shares; the control plane follows the Job (every second: the Job, its pod, the file's
 * size), then hashes the file and hands it to the common finish (run.ts). A failed Job fails the
 * backup with the pod's termination message; the Job is deleted once its result is known.
 * Verification runs pg_restore in a Job too (`backupVerifyJob`), into the scratch database as a
 * role made for it alone, whose URL it gets from a Secret made for it alone.
 */
export function createJobRunner(options: {
  cluster: ClusterClient;
  storage: BackupStorage;
  settings: Config['backups']['job'];
  logger: Logger;
  /** Admin connection to the tenants' server: the verification's temporary role. */
  admin: pg.Pool;
  adminUrl: string;
  /** host:port pods reach the tenants' server at (TENANT_DATABASE_HOST); unset: the admin URL's. */
  databaseHost: string | undefined;
  /** The user and group the Jobs run as; default this process's (10001, the image's user, when root). */
  user?: { uid: number; gid: number };
  pollMs?: number;
}): BackupRunner {
  const { cluster, storage, settings, logger, admin } = options;
  const pollMs = options.pollMs ?? POLL_MS;
  const uid = process.getuid?.() || 10001;
  const user = options.user ?? { uid, gid: uid === 10001 ? 10001 : process.getgid?.() || 10001 };

  const podsOf = (job: string) => cluster.list<V1Pod>('Pod', 'v1', `job-name=${job}`);

  /** Deletes a Job (its pods with it) and waits up to `waitMs` for the pods to be gone. */
  async function remove(job: string, waitMs: number): Promise<boolean> {
    await cluster.delete('Job', 'batch/v1', job, { propagationPolicy: 'Background' });
    const until = Date.now() + waitMs;
    for (;;) {
      if ((await podsOf(job)).length === 0) return true;
      if (Date.now() >= until) return false;
      await sleep(Math.min(pollMs, 250));
    }
  }

  /** `remove`, as a DependencyError when the Job or its pod cannot be made to go now. */
  async function removeOrThrow(job: string): Promise<void> {
    const gone = await remove(job, PODS_GONE_MS).catch((error: unknown) => {
      throw new DependencyError(
        `Job ${job} could not be deleted: ${messageOf(error)}`,
        'BACKUP_JOB_NOT_REMOVED',
      );
    });
    if (!gone) {
      throw new DependencyError(
        `the pod of Job ${job} is still there after the Job was deleted`,
        'BACKUP_JOB_NOT_REMOVED',
      );
    }
  }

  /**
   * Creates a Job and follows it to its end (`onTick` between looks): undefined when it
   * completed, else why not. The Job is left for the caller to delete.
   */
  async function run(
    spec: V1Job,
    what: string,
    program: 'pg_dump' | 'pg_restore',
    signal: AbortSignal,
    onTick: () => Promise<void>,
  ): Promise<string | undefined> {
    const name = spec.metadata!.name!;
    try {
      if (!(await cluster.createIfMissing(spec))) throw new Error(`a Job ${name} exists already`);
    } catch (error) {
      return `${what} could not be created: ${messageOf(error)}`;
    }
    logger.info({ job: name }, `${what} created`);
    let readFailures = 0;
    let pullingSince: number | undefined;
    for (;;) {
      if (signal.aborted) return `${what} was stopped: the control plane is shutting down`;
      let job: V1Job | undefined;
      let pods: V1Pod[];
      try {
        job = await cluster.read<V1Job>('Job', 'batch/v1', name);
        pods = job ? await podsOf(name) : [];
        readFailures = 0;
      } catch (error) {
        readFailures += 1;
        if (readFailures >= READ_FAILURES) return `${what} could not be followed: ${messageOf(error)}`;
        await sleep(pollMs, undefined, { signal }).catch(() => {});
        continue;
      }
      if (!job) return `${what} was deleted before it finished`;
      const end = ended(job);
      if (end?.type === 'Complete') return undefined;
      if (end?.type === 'Failed')
        return describeJobFailure(job, pods, settings.deadlineSeconds, program, what);
      const waiting = pods
        .flatMap((p) => p.status?.containerStatuses ?? [])
        .find((c) => c.state?.waiting?.reason)?.state?.waiting;
      if (waiting && CANNOT_START.includes(waiting.reason!)) {
        return `${what}'s container cannot start (${waiting.reason}): ${waiting.message ?? ''}`.trim();
      }
      if (waiting && PULLING.includes(waiting.reason!)) {
        pullingSince ??= Date.now();
        if (Date.now() - pullingSince > PULL_GRACE_MS) {
          return `${what}'s image ${settings.image} cannot be pulled (${waiting.reason}): ${waiting.message ?? ''}`.trim();
        }
      } else pullingSince = undefined;
      await onTick();
      await sleep(pollMs, undefined, { signal }).catch(() => {});
    }
  }

  /** Runs DDL built server-side with quoted identifiers and literals, as the tenant database admin does. */
  async function ddl(template: string, ...args: string[]): Promise<void> {
    const placeholders = args.map((_, i) => `$${i + 1}::text`).join(', ');
    const { rows } = await admin.query<{ stmt: string }>(
      `select format('${template}', ${placeholders}) as stmt`,
      args,
    );
    await admin.query(rows[0]!.stmt);
  }

  /** The temporary role of a verification: named as its scratch database. */
  const verifyRole = (scratch: string) => scratch;

  /** What a verification leaves: its Job (waited for), its Secret, its role (its database dropped first). */
  async function dropVerification(backup: TenantBackupRow, scratch: string): Promise<void> {
    await removeOrThrow(backupVerifyJobName(backup.id));
    await cluster.delete('Secret', 'v1', backupVerifyJobName(backup.id));
    await ddl('DROP ROLE IF EXISTS %I', verifyRole(scratch));
  }

  return {
    kind: 'job',
    // Nothing to find here: the image has pg_dump; a Job that cannot run fails its backup with why.
    async ready() {},
    async dump(request) {
      const { tenant, backup, key, snapshot, signal, onBytes } = request;
      const file = await storage.external(key);
      const name = backupJobName(backup.id);
      const spec = backupJob({
        namespace: cluster.namespace,
        slug: tenant.slug,
        backupId: backup.id,
        image: settings.image,
        snapshot,
        folder: file.folder,
        subPath: file.subPath,
        file: file.partialPath,
        volumeClaim: settings.volumeClaim,
        deadlineSeconds: settings.deadlineSeconds,
        runAsUser: user.uid,
        runAsGroup: user.gid,
      });
      try {
        const failed = await run(spec, 'the backup Job', 'pg_dump', signal, async () =>
          onBytes(await file.size()),
        );
        if (failed) throw new Error(failed);
        const sealed = await file.seal(ARCHIVE_HEAD_BYTES);
        const header = readArchiveHeader(sealed.head);
        if (!header?.pgDumpVersion) {
          throw new Error('the backup Job succeeded, but its file is not a pg_dump custom-format archive');
        }
        onBytes(sealed.bytes);
        // Its pod has ended: nothing writes the file any more.
        await cluster
          .delete('Job', 'batch/v1', name, { propagationPolicy: 'Background' })
          .catch((error: unknown) =>
            logger.warn({ err: error, job: name }, 'deleting a finished backup Job failed'),
          );
        return {
          file,
          sha256: sealed.sha256,
          bytes: sealed.bytes,
          pgDumpVersion: shortVersion(header.pgDumpVersion),
        };
      } catch (error) {
        // The pod must be gone before the partial file goes, or pg_dump could make it again.
        await remove(name, signal.aborted ? PODS_GONE_AT_SHUTDOWN_MS : PODS_GONE_MS).catch((e: unknown) =>
          logger.warn({ err: e, job: name }, 'deleting a failed backup Job failed'),
        );
        await file.discard();
        throw error;
      }
    },
    async abandon(backup) {
      await removeOrThrow(backupJobName(backup.id));
    },

    // pg_restore is in the Job's image.
    async readyToVerify() {},
    async restore({ tenant, backup, key, scratch, signal }) {
      const role = verifyRole(scratch);
      const password = randomBytes(24).toString('base64url');
      // A role for this scratch database only, which the Job connects as: no admin credentials leave.
      await ddl('DROP ROLE IF EXISTS %I', role);
      await ddl(
        'CREATE ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L',
        role,
        await scramVerifierAsync(password),
      );
      await ddl('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', scratch, role);
      const client = new pg.Client({ connectionString: urlForDatabase(options.adminUrl, scratch) });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.query(`grant create on schema public to ${pg.escapeIdentifier(role)}`);
      } finally {
        await client.end().catch(() => {});
      }
      const url = new URL(urlForDatabase(options.adminUrl, scratch));
      if (options.databaseHost) url.host = options.databaseHost;
      url.username = encodeURIComponent(role);
      url.password = encodeURIComponent(password);
      url.search = url.searchParams.get('sslmode') ? `?sslmode=${url.searchParams.get('sslmode')}` : '';
      const name = backupVerifyJobName(backup.id);
      const where = storage.locate(key);
      try {
        // Made anew (one an earlier attempt left holds another password); an error names no value.
        await cluster.delete('Secret', 'v1', name);
        if (
          !(await cluster.createIfMissing(
            backupVerifySecret(cluster.namespace, tenant.slug, backup.id, url.toString()),
          ))
        ) {
          throw new Error(`the Secret ${name} appeared while it was being made`);
        }
        const failed = await run(
          backupVerifyJob({
            namespace: cluster.namespace,
            slug: tenant.slug,
            backupId: backup.id,
            image: settings.image,
            folder: where.folder,
            subPath: where.subPath,
            file: where.path,
            volumeClaim: settings.volumeClaim,
            deadlineSeconds: settings.deadlineSeconds,
            runAsUser: user.uid,
            runAsGroup: user.gid,
          }),
          'the verification Job',
          'pg_restore',
          signal,
          async () => {},
        );
        if (failed) throw new Error(failed);
      } finally {
        await remove(name, signal.aborted ? PODS_GONE_AT_SHUTDOWN_MS : PODS_GONE_MS).catch((e: unknown) =>
          logger.warn({ err: e, job: name }, 'deleting a verification Job failed'),
        );
        await cluster
          .delete('Secret', 'v1', name)
          .catch((e: unknown) =>
            logger.warn({ err: e, secret: name }, 'deleting a verification Secret failed'),
          );
      }
    },
    // Its Job and Secret went when pg_restore ended; the role owned only the dropped database.
    async afterRestore(backup) {
      await ddl('DROP ROLE IF EXISTS %I', verifyRole(scratchDatabaseOf(backup.id)));
    },
    async abandonVerification(backup) {
      await dropVerification(backup, scratchDatabaseOf(backup.id));
    },
  };
}
