import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeJobFailure } from '../../../../../server/domain/backups/job-runner.ts';

const failedJob = (reason: string, message = 'Job has reached the specified backoff limit'): V1Job => ({
  spec: { activeDeadlineSeconds: 60, template: { spec: { containers: [] } } },
  status: { conditions: [{ type: 'Failed', status: 'True', reason, message }] },
});
const podEnded = (terminated: Record<string, unknown>): V1Pod =>
  ({ status: { phase: 'Failed', containerStatuses: [{ state: { terminated } }] } }) as unknown as V1Pod;

describe('why a backup Job failed', () => {
  it('pg_dump’s own error text when it exited non-zero', () => {
    expect(
      describeJobFailure(
        failedJob('BackoffLimitExceeded'),
        [
          podEnded({
            exitCode: 1,
            reason: 'Error',
            message: 'pg_dump: error: permission denied for table t\n',
          }),
        ],
        60,
      ),
    ).toBe(
      'the backup Job failed: pg_dump exited with code 1: pg_dump: error: permission denied for table t',
    );
  });

  it('a killed pg_dump (out of memory), a command that could not start, a deleted pod', () => {
    expect(
      describeJobFailure(
        failedJob('BackoffLimitExceeded'),
        [podEnded({ exitCode: 137, reason: 'OOMKilled' })],
        60,
      ),
    ).toBe('the backup Job failed: pg_dump was killed (exit code 137, OOMKilled)');
    expect(
      describeJobFailure(
        failedJob('BackoffLimitExceeded'),
        [
          podEnded({
            exitCode: 128,
            reason: 'StartError',
            message: 'exec: "pg_dump": executable file not found in $PATH',
          }),
        ],
        60,
      ),
    ).toBe(
      'the backup Job failed: pg_dump could not start: exec: "pg_dump": executable file not found in $PATH',
    );
    expect(describeJobFailure(failedJob('BackoffLimitExceeded'), [], 60)).toBe(
      'the backup Job failed: its pod was deleted before pg_dump finished',
    );
  });

  it('the deadline, naming the setting', () => {
    expect(
      describeJobFailure(
        failedJob('DeadlineExceeded', 'Job was active longer than specified deadline'),
        [],
        60,
      ),
    ).toBe('the backup Job ran longer than its deadline (BACKUP_JOB_DEADLINE_SECONDS=60) and was stopped');
  });
});
