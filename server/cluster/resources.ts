import type { V1ConfigMap, V1Deployment, V1Job, V1Secret, V1Service } from '@kubernetes/client-node';
import {
  AGENT_HMAC_SECRET,
  APP_NAME,
  type AppName,
  dedicatedLoginWorkerName,
  managedLabels,
  REGISTRY_CONFIGMAP,
  SHARED_AGENT_POOL,
  SHARED_LOGIN_WORKER,
  tenantSecretName,
} from './labels.ts';

/** The keys of a tenant's Secret. Values live only there (and in memory while being written). */
export const TENANT_SECRET_KEYS = [
  'DATABASE_URL',
  'JWT_SECRET',
  'LOGIN_WORKER_TOKEN',
  'PROXY_TOKEN',
  'CP_TOKEN',
  'BOOTSTRAP_TOKEN',
  'ADMIN_INITIAL_PASSWORD',
] as const;
export type TenantSecretKey = (typeof TENANT_SECRET_KEYS)[number];

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

function encodeData(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)]));
}

/** Secret `tenant-<slug>` holding the tenant's connection string and secrets (plus any `<KEY>_PREVIOUS`). */
export function tenantSecret(namespace: string, slug: string, values: Record<string, string>): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: tenantSecretName(slug), namespace, labels: managedLabels({ tenant: slug }) },
    type: 'Opaque',
    data: encodeData(values),
  };
}

/** The tenant-registry ConfigMap, created empty; tenants add their own key with a merge patch. */
export function registryConfigMap(namespace: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: REGISTRY_CONFIGMAP, namespace, labels: managedLabels() },
    data: {},
  };
}

/** Secret `agent-shared-hmac`: the shared agent pool's self-registration key. */
export function agentHmacSecret(namespace: string, key: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: AGENT_HMAC_SECRET, namespace, labels: managedLabels({ app: 'justiam-agent' }) },
    type: 'Opaque',
    data: encodeData({ HMAC_KEY: key }),
  };
}

type WorkloadOptions = {
  namespace: string;
  name: string;
  app: AppName;
  image: string;
  replicas: number;
  tenant?: string;
  env?: Record<string, string>;
  /** Secret whose keys become environment variables of the container. */
  envFromSecret?: string;
  /** Environment variables read from keys of a Secret: name → {secret, key}. */
  envFromSecretKeys?: Record<string, { secret: string; key: string }>;
  /** Pod template annotations (a change rolls the Deployment). */
  annotations?: Record<string, string>;
  port?: number;
};

function workload(o: WorkloadOptions): V1Deployment {
  const selector = { [APP_NAME]: o.app, 'app.kubernetes.io/instance': o.name };
  const labels = { ...managedLabels({ app: o.app, ...(o.tenant ? { tenant: o.tenant } : {}) }), ...selector };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: o.namespace, labels },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels, ...(o.annotations ? { annotations: o.annotations } : {}) },
        spec: {
          containers: [
            {
              name: o.app.replace(/^justiam-/, ''),
              image: o.image,
              env: [
                ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
                ...Object.entries(o.envFromSecretKeys ?? {}).map(([name, ref]) => ({
                  name,
                  valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } },
                })),
              ],
              ...(o.envFromSecret ? { envFrom: [{ secretRef: { name: o.envFromSecret } }] } : {}),
              ...(o.port ? { ports: [{ containerPort: o.port, name: 'http' }] } : {}),
            },
          ],
        },
      },
    },
  };
}

/** Deployment `login-worker-shared`: the login worker all `shared`-mode tenants use. */
export function sharedLoginWorker(namespace: string, image: string, replicas = 2): V1Deployment {
  return workload({
    namespace,
    name: SHARED_LOGIN_WORKER,
    app: 'justiam-login-worker',
    image,
    replicas,
    port: 8090,
  });
}

/** Deployment `login-worker-<slug>`: a tenant's dedicated login worker. */
/** The pod-template annotation naming the login-worker token version a dedicated worker started with. */
export const LOGIN_WORKER_TOKEN_ANNOTATION = 'justiam.io/login-worker-token-version';

export function dedicatedLoginWorker(
  namespace: string,
  slug: string,
  image: string,
  tokenVersion = 1,
  replicas = 1,
): V1Deployment {
  return workload({
    namespace,
    name: dedicatedLoginWorkerName(slug),
    app: 'justiam-login-worker',
    image,
    replicas,
    tenant: slug,
    port: 8090,
    env: { TENANT: slug },
    // The worker authenticates to the tenant's backend with the tenant's login-worker token.
    envFromSecretKeys: { LOGIN_WORKER_TOKEN: { secret: tenantSecretName(slug), key: 'LOGIN_WORKER_TOKEN' } },
    // A rotated token changes it, which restarts the pods onto the new value.
    annotations: { [LOGIN_WORKER_TOKEN_ANNOTATION]: String(tokenVersion) },
  });
}

/** Service `login-worker-<slug>`: where a dedicated-mode tenant's backend reaches its login worker. */
export function dedicatedLoginWorkerService(namespace: string, slug: string): V1Service {
  const name = dedicatedLoginWorkerName(slug);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: managedLabels({ app: 'justiam-login-worker', tenant: slug }) },
    spec: {
      selector: { [APP_NAME]: 'justiam-login-worker', 'app.kubernetes.io/instance': name },
      ports: [{ name: 'http', port: 8090, targetPort: 'http' }],
    },
  };
}

/** Deployment `agent-shared`: the shared agent pool; replicas is its scale. */
export function sharedAgentPool(
  namespace: string,
  image: string,
  replicas: number,
  keyId?: string,
): V1Deployment {
  return workload({
    namespace,
    name: SHARED_AGENT_POOL,
    app: 'justiam-agent',
    image,
    replicas,
    envFromSecret: AGENT_HMAC_SECRET,
    // Which key its pods were started with: a rotation changes it, which rolls the pods.
    ...(keyId ? { annotations: { [AGENT_KEY_ID_ANNOTATION]: keyId } } : {}),
  });
}

/** The pod-template annotation naming the HMAC key id the shared agents were started with. */
export const AGENT_KEY_ID_ANNOTATION = 'justiam.io/hmac-key-id';

/** The label naming the backup a Job and its pod belong to. */
export const BACKUP_LABEL = 'justiam.io/backup';
/** What a backup Job does: `dump` (pg_dump) or `verify` (pg_restore into a scratch database). */
export const BACKUP_TASK_LABEL = 'justiam.io/backup-task';

/** The name of the Job that runs a backup. */
export const backupJobName = (backupId: string) => `backup-${backupId}`;
/** The name of the Job that verifies a backup, and of the Secret holding its scratch database's URL. */
export const backupVerifyJobName = (backupId: string) => `backup-verify-${backupId}`;

/** Where and as whom a backup Job runs, whatever it does. */
type BackupJobBase = {
  namespace: string;
  slug: string;
  backupId: string;
  /** pg_dump and pg_restore on its PATH, of the tenants' server major or newer. */
  image: string;
  /** The tenant's folder of backup storage, a path on the volume as the control plane sees it. */
  folder: string;
  /** The folder's path inside the volume (its mount's subPath). */
  subPath: string;
  volumeClaim: string;
  deadlineSeconds: number;
  /** The user and group it runs as: the control plane's, so that each can read what the other wrote. */
  runAsUser: number;
  runAsGroup: number;
};

export type BackupJobOptions = BackupJobBase & {
  /** The snapshot the control plane exported (pg_dump --snapshot): what it counted is what is dumped. */
  snapshot: string;
  /** Where in the folder pg_dump writes (the partial file the control plane renames when done). */
  file: string;
};

export type BackupVerifyJobOptions = BackupJobBase & {
  /** The backup file pg_restore reads. */
  file: string;
};

/**
 * A one-attempt Job of one PostgreSQL client program: the connection URL from a Secret key (no
 * other credentials), the tenant's folder of the backup volume mounted at the path the control
 * plane sees it at, non-root with a read-only root filesystem, its error output kept as the
 * termination message.
 */
function pgJob(
  o: BackupJobBase & {
    name: string;
    task: 'dump' | 'verify';
    program: 'pg_dump' | 'pg_restore';
    args: string[];
    /** The Secret whose `DATABASE_URL` it connects with. */
    secret: string;
    readOnly: boolean;
  },
): V1Job {
  const labels = {
    ...managedLabels({ tenant: o.slug, app: 'justiam-backup' }),
    [BACKUP_LABEL]: o.backupId,
    [BACKUP_TASK_LABEL]: o.task,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, namespace: o.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: o.deadlineSeconds,
      // The control plane deletes it once it has the result; this removes one it could not.
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: o.runAsUser,
            runAsGroup: o.runAsGroup,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: o.program.replace('_', '-'),
              image: o.image,
              command: [o.program],
              args: o.args,
              env: [
                {
                  name: 'DATABASE_URL',
                  valueFrom: { secretKeyRef: { name: o.secret, key: 'DATABASE_URL' } },
                },
                { name: 'PGAPPNAME', value: `justiam-cp-${o.task === 'dump' ? 'backup' : 'verify'}` },
                { name: 'PGCONNECT_TIMEOUT', value: '10' },
              ],
              // The program's error text (stderr) is what the control plane records when it fails.
              terminationMessagePolicy: 'FallbackToLogsOnError',
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                {
                  name: 'backups',
                  mountPath: o.folder,
                  subPath: o.subPath,
                  ...(o.readOnly ? { readOnly: true } : {}),
                },
              ],
            },
          ],
          volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: o.volumeClaim } }],
        },
      },
    },
  };
}

/**
 * The Job `backup-<backup id>` that dumps a tenant's database: `pg_dump --format=custom
 * --snapshot=<id> --file=<partial>` connecting with the tenant's own DATABASE_URL from its Secret
 * (no admin credentials), writing into the tenant's folder of the backup volume, mounted at the
 * same path as in the control plane. One attempt (`backoffLimit: 0`, `restartPolicy: Never`),
 * killed after `deadlineSeconds`; pg_dump's error output becomes the pod's termination message.
 */
export function backupJob(o: BackupJobOptions): V1Job {
  return pgJob({
    ...o,
    name: backupJobName(o.backupId),
    task: 'dump',
    program: 'pg_dump',
    args: [
      '--format=custom',
      `--snapshot=${o.snapshot}`,
      '--no-password',
      `--file=${o.file}`,
      // Expanded by the kubelet from the variable, so no value is in the spec.
      '--dbname=$(DATABASE_URL)',
    ],
    secret: tenantSecretName(o.slug),
    readOnly: false,
  });
}

/**
 * The Job `backup-verify-<backup id>` that restores a backup file into a scratch database with
 * pg_restore, as the scratch database's own temporary role (its URL in the Secret of the same
 * name, made by the control plane for this verification only), the tenant's folder mounted
 * read-only.
 */
export function backupVerifyJob(o: BackupVerifyJobOptions): V1Job {
  return pgJob({
    ...o,
    name: backupVerifyJobName(o.backupId),
    task: 'verify',
    program: 'pg_restore',
    args: [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      '--dbname=$(DATABASE_URL)',
      o.file,
    ],
    secret: backupVerifyJobName(o.backupId),
    readOnly: true,
  });
}

/** The Secret holding the URL of a verification's scratch database (its temporary role's password). */
export function backupVerifySecret(namespace: string, slug: string, backupId: string, url: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: backupVerifyJobName(backupId),
      namespace,
      labels: {
        ...managedLabels({ tenant: slug, app: 'justiam-backup' }),
        [BACKUP_LABEL]: backupId,
        [BACKUP_TASK_LABEL]: 'verify',
      },
    },
    type: 'Opaque',
    data: encodeData({ DATABASE_URL: url }),
  };
}
