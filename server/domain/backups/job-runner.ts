import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from '../../cluster/client.ts';
import { BACKUP_LABEL, backupJob, backupJobName } from '../../cluster/resources.ts';
import type { Config } from '../../config.ts';
import type { TenantBackupRow } from '../../db/schema.ts';
import type { Logger } from '../../log.ts';
import { DependencyError } from '../errors.ts';
import { ARCHIVE_HEAD_BYTES, readArchiveHeader, shortVersion } from './archive.ts';
import type { BackupRunner, DumpRequest } from './runner.ts';
import type { BackupStorage, ExternalFile } from './storage.ts';

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

type Outcome = { failed?: string };

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

/** Why a failed backup Job failed, in words: pg_dump's own error text when the pod has it. */
export function describeJobFailure(job: V1Job, pods: V1Pod[], deadlineSeconds: number | undefined): string {
  const end = ended(job);
  if (end?.reason === 'DeadlineExceeded') {
    return `the backup Job ran longer than its deadline (BACKUP_JOB_DEADLINE_SECONDS=${deadlineSeconds ?? job.spec?.activeDeadlineSeconds}) and was stopped`;
  }
  const terminated = pods
    .flatMap((p) => p.status?.containerStatuses ?? [])
    .map((c) => c.state?.terminated)
    .find((t) => t && t.exitCode !== 0);
  if (terminated) {
    const text = terminated.message?.trim();
    const why =
      terminated.reason === 'StartError'
        ? 'pg_dump could not start'
        : terminated.exitCode > 128
          ? `pg_dump was killed (exit code ${terminated.exitCode}${terminated.reason && terminated.reason !== 'Error' ? `, ${terminated.reason}` : ''})`
          : `pg_dump exited with code ${terminated.exitCode}`;
    return `the backup Job failed: ${why}${text ? `: ${text}` : ''}`;
  }
  if (pods.length === 0) return 'the backup Job failed: its pod was deleted before pg_dump finished';
  return `the backup Job failed${end?.message ? `: ${end.message}` : ''}`;
}

/**
 * The `job` runner: pg_dump runs in a Kubernetes Job (server/cluster/resources.ts, `backupJob`)
 * with the tenant's own credentials, writing the partial file onto the backup volume the control
 * plane shares; the control plane follows the Job (every second: the Job, its pod, the file's
 * size), then hashes the file and hands it to the common finish (run.ts). A failed Job fails the
 * backup with the pod's termination message; the Job is deleted once its result is known.
 */
export function createJobRunner(options: {
  cluster: ClusterClient;
  storage: BackupStorage;
  settings: Config['backups']['job'];
  logger: Logger;
  /** The user and group the dump runs as; default this process's (10001, the image's user, when root). */
  user?: { uid: number; gid: number };
  pollMs?: number;
}): BackupRunner {
  const { cluster, storage, settings, logger } = options;
  const pollMs = options.pollMs ?? POLL_MS;
  const uid = process.getuid?.() || 10001;
  const user = options.user ?? { uid, gid: uid === 10001 ? 10001 : process.getgid?.() || 10001 };

  const podsOf = (backupId: string) => cluster.list<V1Pod>('Pod', 'v1', `${BACKUP_LABEL}=${backupId}`);

  /** Deletes the Job (its pods with it) and waits up to `waitMs` for the pods to be gone. */
  async function remove(backupId: string, waitMs: number): Promise<boolean> {
    await cluster.delete('Job', 'batch/v1', backupJobName(backupId), { propagationPolicy: 'Background' });
    const until = Date.now() + waitMs;
    for (;;) {
      if ((await podsOf(backupId)).length === 0) return true;
      if (Date.now() >= until) return false;
      await sleep(Math.min(pollMs, 250));
    }
  }

  async function follow(request: DumpRequest, file: ExternalFile): Promise<Outcome> {
    const { backup, signal, onBytes } = request;
    const name = backupJobName(backup.id);
    let readFailures = 0;
    let pullingSince: number | undefined;
    for (;;) {
      if (signal.aborted) return { failed: 'the backup Job was stopped: the control plane is shutting down' };
      let job: V1Job | undefined;
      let pods: V1Pod[];
      try {
        job = await cluster.read<V1Job>('Job', 'batch/v1', name);
        pods = job ? await podsOf(backup.id) : [];
        readFailures = 0;
      } catch (error) {
        readFailures += 1;
        if (readFailures >= READ_FAILURES) {
          return { failed: `the backup Job could not be followed: ${messageOf(error)}` };
        }
        await sleep(pollMs, undefined, { signal }).catch(() => {});
        continue;
      }
      if (!job) return { failed: 'the backup Job was deleted before it finished' };
      const end = ended(job);
      if (end?.type === 'Complete') return {};
      if (end?.type === 'Failed') return { failed: describeJobFailure(job, pods, settings.deadlineSeconds) };
      const waiting = pods
        .flatMap((p) => p.status?.containerStatuses ?? [])
        .find((c) => c.state?.waiting?.reason)?.state?.waiting;
      if (waiting && CANNOT_START.includes(waiting.reason!)) {
        return {
          failed:
            `the backup Job's container cannot start (${waiting.reason}): ${waiting.message ?? ''}`.trim(),
        };
      }
      if (waiting && PULLING.includes(waiting.reason!)) {
        pullingSince ??= Date.now();
        if (Date.now() - pullingSince > PULL_GRACE_MS) {
          return {
            failed:
              `the backup Job's image ${settings.image} cannot be pulled (${waiting.reason}): ${waiting.message ?? ''}`.trim(),
          };
        }
      } else pullingSince = undefined;
      onBytes(await file.size());
      await sleep(pollMs, undefined, { signal }).catch(() => {});
    }
  }

  return {
    kind: 'job',
    // Nothing to find here: the image has pg_dump; a Job that cannot run fails its backup with why.
    async ready() {},
    async dump(request) {
      const { tenant, backup, key, snapshot, signal } = request;
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
        if (!(await cluster.createIfMissing(spec))) throw new Error(`a Job ${name} exists already`);
      } catch (error) {
        await file.discard();
        throw new Error(`the backup Job could not be created: ${messageOf(error)}`);
      }
      logger.info({ tenant: tenant.slug, backup: backup.id, job: name }, 'backup Job created');
      try {
        const outcome = await follow(request, file);
        if (outcome.failed) throw new Error(outcome.failed);
        const sealed = await file.seal(ARCHIVE_HEAD_BYTES);
        const header = readArchiveHeader(sealed.head);
        if (!header?.pgDumpVersion) {
          throw new Error('the backup Job succeeded, but its file is not a pg_dump custom-format archive');
        }
        request.onBytes(sealed.bytes);
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
        await remove(backup.id, signal.aborted ? PODS_GONE_AT_SHUTDOWN_MS : PODS_GONE_MS).catch(
          (e: unknown) => logger.warn({ err: e, job: name }, 'deleting a failed backup Job failed'),
        );
        await file.discard();
        throw error;
      }
    },
    async abandon(backup: TenantBackupRow) {
      const gone = await remove(backup.id, PODS_GONE_MS).catch((error: unknown) => {
        throw new DependencyError(
          `the Job of backup ${backup.id} could not be deleted: ${messageOf(error)}`,
          'BACKUP_JOB_NOT_REMOVED',
        );
      });
      if (!gone) {
        throw new DependencyError(
          `the pod of backup Job ${backupJobName(backup.id)} is still running after its Job was deleted`,
          'BACKUP_JOB_NOT_REMOVED',
        );
      }
    },
  };
}
