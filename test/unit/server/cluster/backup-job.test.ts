import { describe, expect, it } from 'vitest';
import { type BackupJobOptions, backupJob } from '../../../../server/cluster/resources.ts';
import { schemaErrors } from '../../../support/k8s-mt.ts';

const options: BackupJobOptions = {
  namespace: 'justiam-mt',
  slug: 'acme',
  backupId: '5d0c3a8e-0b8f-4c55-9d7e-2a9f1b3c4d5e',
  image: 'postgres:15.17-bookworm',
  snapshot: '00000003-0000001B-1',
  folder: '/var/lib/justiam-cp/backups/1f2e3d4c-0000-4000-8000-000000000001',
  subPath: '1f2e3d4c-0000-4000-8000-000000000001',
  file: '/var/lib/justiam-cp/backups/1f2e3d4c-0000-4000-8000-000000000001/5d0c3a8e-0b8f-4c55-9d7e-2a9f1b3c4d5e.dump.partial',
  volumeClaim: 'justiam-cp-backups',
  deadlineSeconds: 3600,
  runAsUser: 10001,
  runAsGroup: 10001,
};

describe('the backup Job', () => {
  const job = backupJob(options);
  const pod = job.spec!.template.spec!;
  const container = pod.containers[0]!;

  it('is valid against the Kubernetes OpenAPI schema, with no unknown field', async () => {
    expect(await schemaErrors(job as unknown as Record<string, any>)).toEqual([]);
  });

  it('the schema check does see a broken one', async () => {
    const broken = structuredClone(job) as unknown as Record<string, any>;
    broken.spec.backoffLimit = 'none';
    broken.spec.template.spec.containers[0].termationMessagePolicy = 'File';
    const errors = (await schemaErrors(broken)).join('\n');
    expect(errors).toContain('backoffLimit must be integer');
    expect(errors).toContain('termationMessagePolicy is not a field of V1Container');
  });

  it('carries no credentials: the tenant’s DATABASE_URL comes from its Secret, nothing else is passed', () => {
    expect(container.env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'tenant-acme', key: 'DATABASE_URL' } } },
      { name: 'PGAPPNAME', value: 'justiam-cp-backup' },
      { name: 'PGCONNECT_TIMEOUT', value: '10' },
    ]);
    expect(container.envFrom).toBeUndefined();
    expect(JSON.stringify(job)).not.toMatch(/postgres(ql)?:\/\/|PGPASSWORD|PGUSER/i);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('runs pg_dump once, within its deadline, as a non-root user with a read-only root, into the tenant’s folder', () => {
    expect(job.metadata).toMatchObject({
      name: `backup-${options.backupId}`,
      namespace: 'justiam-mt',
      labels: {
        'app.kubernetes.io/managed-by': 'justiam-control-plane',
        'app.kubernetes.io/name': 'justiam-backup',
        'justiam.io/tenant': 'acme',
        'justiam.io/backup': options.backupId,
      },
    });
    expect(job.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 3600,
    });
    expect(job.spec!.template.metadata!.labels).toEqual(job.metadata!.labels);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources?.requests).toBeDefined();
    expect(container.resources?.limits?.memory).toBeDefined();
    expect(container.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expect(container.command).toEqual(['pg_dump']);
    expect(container.args).toEqual([
      '--format=custom',
      '--snapshot=00000003-0000001B-1',
      '--no-password',
      `--file=${options.file}`,
      '--dbname=$(DATABASE_URL)',
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'backups', mountPath: options.folder, subPath: options.subPath },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'backups', persistentVolumeClaim: { claimName: 'justiam-cp-backups' } },
    ]);
  });

  it('has a name within 63 characters for any backup id (a uuid)', () => {
    expect(job.metadata!.name!.length).toBeLessThanOrEqual(63);
  });
});
