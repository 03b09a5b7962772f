import { resolve } from 'node:path';
import { z } from 'zod';
import { parsePublicKeys, type TrustedKey } from './domain/license/token.ts';

/** Thrown when the environment does not describe a valid configuration; `message` is one line for the operator. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number in [min, max]; every way it can be wrong gets its own message. */
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });

const port = int(0, 65535);

/**
 * The image of backup Jobs: pg_dump 15, the major the embedded stack and Debian 12 run (README,
 * "Backups"). Pinned to a minor; pin its digest from your registry too.
 */
export const DEFAULT_BACKUP_JOB_IMAGE = 'postgres:15.17-bookworm';

/** An image reference: registry/path:tag or @digest, no spaces. */
const IMAGE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
  .refine((v) => URL.canParse(v), 'is not a valid URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(4000),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://cp.example.com' }).optional(),
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((o) => URL.canParse(o) && new URL(o).origin === o),
      'must be comma-separated origins such as https://admin.example.com (scheme, host and port only)',
    )
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: postgresUrl.optional(),
  EMBEDDED_PG_PORT: int(1, 65535).optional(),
  EMBEDDED_PG_SYSTEM_DIR: z.string().min(1).optional(),
  DB_POOL_MAX: int(2, 200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  SHUTDOWN_TIMEOUT_MS: int(100, 60_000).default(8000),
  UI_DIST_DIR: z.string().min(1).default('client/dist'),
  GRAPHIQL: bool.optional(),
  KUBE_MODE: z
    .enum(['auto', 'in-cluster', 'kubeconfig', 'simulator'], {
      message: 'must be one of auto, in-cluster, kubeconfig, simulator',
    })
    .default('auto'),
  KUBECONFIG: z.string().min(1).optional(),
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  KUBE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label such as justiam-mt')
    .default('justiam-mt'),
  KUBE_SIM_PORT: port.default(0),
  KUBE_SIM_PERSIST: bool.optional(),
  KUBE_SIM_POD_DELAY_MS: int(0, 60_000).default(500),
  /** Image tags the simulator's registry lacks (comma-separated): their pods stay in ImagePullBackOff. */
  KUBE_SIM_UNPULLABLE_TAGS: z
    .string()
    .regex(/^([\w][\w.-]{0,127})(,[\w][\w.-]{0,127})*$/, 'must be image tags separated by commas')
    .optional(),
  LEADER_ELECTION: bool.optional(),
  TENANT_DATABASE_URL: postgresUrl.optional(),
  TENANT_DATABASE_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port as tenant backends reach PostgreSQL')
    .optional(),
  TENANT_API_URL: z
    .string()
    .refine(
      (v) => v.includes('{slug}') && URL.canParse(v.replace('{slug}', 'x')),
      'must be a URL containing {slug}, e.g. http://justiam-backend:8080/t/{slug}',
    )
    .optional(),
  TENANT_API_TIMEOUT_MS: int(100, 60_000).default(3000),
  STATUS_POLL_INTERVAL_MS: int(500, 3_600_000).default(15_000),
  STATUS_POLL_CONCURRENCY: int(1, 256).default(16),
  RECONCILE_INTERVAL_MS: int(100, 3_600_000).default(10_000),
  DRIFT_CHECK_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
  OPERATION_CONCURRENCY: int(1, 64).default(8),
  SECRET_GRACE_SECONDS: int(0, 30 * 24 * 3600).default(3600),
  OIDC_ISSUER: z
    .url({ message: 'must be the issuer URL, e.g. https://login.example.com/realms/ops' })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid email profile groups'),
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  OIDC_ADMIN_VALUES: z.string().min(1).default('justiam-admins'),
  OIDC_DEFAULT_ROLE: z.enum(['admin', 'viewer'], { message: 'must be admin or viewer' }).default('viewer'),
  SESSION_TTL_HOURS: int(1, 720).default(12),
  SESSION_IDLE_MINUTES: int(5, 10_080).default(60),
  AUTH_CACHE_MS: int(0, 60_000).default(5000),
  CP_FAULT_AFTER_STEP: z
    .string()
    .regex(/^(create|delete|repair|workers):[a-z-]+$/, 'must look like <create|delete|repair|workers>:<step>')
    .optional(),
  LEADER_IDENTITY: z.string().min(1).max(128).optional(),
  LEADER_LEASE_SECONDS: int(2, 300).default(15),
  LICENSE_PUBLIC_KEYS: z.string().optional(),
  FREE_TIER_MAX_USERS: int(1, 1_000_000).default(25),
  LICENSE_RENEW_DAYS: int(0, 365).default(14),
  LICENSE_RENEWAL_ALLOW_HTTP: bool.optional(),
  LICENSE_RENEWAL_TIMEOUT_MS: int(100, 120_000).default(10_000),
  LICENSE_SYNC_CONCURRENCY: int(1, 256).default(32),
  LOGIN_WORKER_IMAGE: z
    .string()
    .regex(IMAGE, 'must be an image reference such as ghcr.io/justiam/login-worker:1.4.0')
    .default('ghcr.io/justiam/login-worker:1.4.0'),
  AGENT_IMAGE: z
    .string()
    .regex(IMAGE, 'must be an image reference such as ghcr.io/justiam/agent:1.4.0')
    .default('ghcr.io/justiam/agent:1.4.0'),
  SHARED_LOGIN_WORKER_URL: z
    .url({ message: 'must be an http(s) URL such as http://login-worker-shared.justiam-mt.svc:8090' })
    .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL')
    .optional(),
  AGENT_KEY_GRACE_SECONDS: int(0, 30 * 24 * 3600).default(3600),
  UPGRADE_PROGRESS_DEADLINE_SECONDS: int(1, 24 * 3600).default(600),
  UPGRADE_POLL_INTERVAL_MS: int(10, 60_000).default(1000),
  DATABASE_STATUS_INTERVAL_MS: int(100, 3_600_000).default(15_000),
  INFRASTRUCTURE_COALESCE_MS: int(0, 10_000).default(100),
  INFRASTRUCTURE_FEED_IDLE_MS: int(0, 3_600_000).default(60_000),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_RUNNER: z.enum(['local', 'job'], { message: 'must be local or job' }).optional(),
  BACKUP_JOB_IMAGE: z
    .string()
    .regex(IMAGE, 'must be an image reference with pg_dump on its PATH, such as postgres:15.17-bookworm')
    .default(DEFAULT_BACKUP_JOB_IMAGE),
  BACKUP_JOB_DEADLINE_SECONDS: int(1, 7 * 24 * 3600).default(3600),
  BACKUP_JOB_VOLUME_CLAIM: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      'must be the name of a PersistentVolumeClaim, such as justiam-cp-backups',
    )
    .max(253, { message: 'must be at most 253 characters' })
    .default('justiam-cp-backups'),
  KUBE_SIM_JOB_PATH: z.string().min(1).optional(),
  PG_DUMP: z.string().min(1).optional(),
  BACKUP_VERIFY: bool.optional(),
  BACKUP_SCHEDULE: z
    .string()
    .regex(/^(off|([01][0-9]|2[0-3]):[0-5][0-9])$/, 'must be a UTC time HH:MM such as 02:30, or off')
    .default('off'),
  BACKUP_KEEP: int(1, 1000).default(7),
  DELETED_TENANT_BACKUP_RETENTION_DAYS: int(0, 36500).default(30),
  SMTP_TIMEOUT_MS: int(500, 120_000).default(10_000),
  SMTP_CA_FILE: z.string().min(1).optional(),
  MAIL_CATCHER: bool.optional(),
  ALERT_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string | undefined;
  /** Origins whose pages may call /graphql with credentials; none by default. */
  corsOrigins: string[];
  dataDir: string;
  /**
   * Embedded: `port` undefined = the one remembered in DATA_DIR, or any free one; `systemDir` is
   * where root places what the unprivileged PostgreSQL user must reach.
   */
  database:
    | { kind: 'external'; url: string }
    | { kind: 'embedded'; port: number | undefined; dataDir: string; systemDir: string | undefined };
  dbPoolMax: number;
  log: { level: string; pretty: boolean };
  shutdownTimeoutMs: number;
  uiDistDir: string;
  graphiql: boolean;
  kube: KubeConfigChoice;
  leader: { enabled: boolean; identity: string | undefined; leaseSeconds: number };
  auth: {
    /** The OIDC issuer, or undefined: start the built-in dev issuer (refused in production). */
    issuer: { url: string; clientId: string; clientSecret: string | undefined } | undefined;
    scopes: string;
    roleClaim: string;
    adminValues: string[];
    defaultRole: 'admin' | 'viewer';
    sessionTtlMs: number;
    sessionIdleMs: number;
    /** How long a checked credential is trusted without reading it again; 0 = read every time. */
    cacheMs: number;
  };
  tenants: {
    /** Admin connection for creating tenant databases; unset = the control plane's own server. */
    databaseUrl: string | undefined;
    /** host:port tenant backends use to reach their database; unset = the admin connection's. */
    databaseHost: string | undefined;
    /** Tenant API base URL template with {slug}; unset = the embedded tenant simulator. */
    apiUrl: string | undefined;
    apiTimeoutMs: number;
    pollIntervalMs: number;
    pollConcurrency: number;
    reconcileIntervalMs: number;
    /** How often the leader compares every active tenant with what it should have. */
    driftCheckIntervalMs: number;
    operationConcurrency: number;
    /** How long a rotated secret's previous value stays valid (seconds; 0 = not at all). */
    secretGraceSeconds: number;
    /** Test hook: exit the process right after this step (`create:secret`); refused in production. */
    faultAfterStep: string | undefined;
  };
  license: {
    /**
     * The keys licenses are verified with; `dev`: none configured outside production, so the
     * embedded stack makes its own signing key in DATA_DIR and trusts it.
     */
    keys: { kind: 'configured'; keys: TrustedKey[] } | { kind: 'dev' } | { kind: 'none' };
    /** Users each tenant may have while no license is active. */
    freeTierMaxUsers: number;
    /** Renew automatically this many days before expiry (0: never automatically). */
    renewDays: number;
    /** Whether a renewal URL may be plain http (default: only with the dev key). */
    renewalAllowHttp: boolean;
    renewalTimeoutMs: number;
    /** Tenant backends told of a license change at once. */
    syncConcurrency: number;
  };
  workers: {
    loginWorkerImage: string;
    agentImage: string;
    /** Where `shared`-mode tenants' login scripts run. */
    sharedLoginWorkerUrl: string;
    /** How long the shared agent pool's previous HMAC key stays valid after a rotation. */
    agentKeyGraceSeconds: number;
  };
  infrastructure: {
    /** A worker rollout with no progress for this long is reported stuck. */
    upgradeProgressDeadlineMs: number;
    /** How often the leader follows running upgrades. */
    upgradePollIntervalMs: number;
    /** How often the leader reads the tenants' database server for the infrastructure view. */
    databaseStatusIntervalMs: number;
    /** `infrastructureChanged` sends at most one message per component per this window. */
    coalesceMs: number;
    /** How long the feed keeps its history after its last subscriber left, for reconnects to resume. */
    feedIdleMs: number;
  };
  backups: {
    /** Where backup files are kept (filesystem storage). */
    dir: string;
    /**
     * Who runs pg_dump: `local`, a process next to the control plane, or `job`, a Kubernetes Job
     * writing into `dir` on a volume shared with the control plane (the default in a cluster).
     */
    runner: 'local' | 'job';
    job: {
      /** The Job's image: pg_dump on its PATH, of the tenants' server major or newer. */
      image: string;
      /** The Job's activeDeadlineSeconds: a dump running longer is killed and fails. */
      deadlineSeconds: number;
      /** The PersistentVolumeClaim holding `dir` (ReadWriteMany, mounted by every replica at `dir`). */
      volumeClaim: string;
    };
    /** The pg_dump to use; unset = the best one found (see server/domain/backups/pg-tools.ts). */
    pgDump: string | undefined;
    /** PATH, searched for pg_dump after the versioned install folders. */
    searchPath: string | undefined;
    /** Restore each new backup into a scratch database and compare row counts. */
    verifyAfterBackup: boolean;
    /** Schedule of tenants whose settings were never changed: daily at this UTC time, or null. */
    defaultSchedule: string | null;
    /** Backups kept per tenant by default (older ones are removed). */
    defaultKeep: number;
    /** Days a deleted tenant's backups are kept after its deletion, then removed by the leader. */
    deletedTenantRetentionDays: number;
  };
  mail: {
    /** Bound of one SMTP exchange (connect, greeting, each command), and of a whole send. */
    timeoutMs: number;
    /** PEM file of CA certificates trusted for the relay's TLS, beside the system's. */
    caFile: string | undefined;
    /** Run the embedded mail catcher for mail sent while no relay is configured (never in production). */
    catcher: boolean;
    /** How often the leader evaluates the alert rules and the daily report. */
    alertIntervalMs: number;
  };
};

/** Where the Kubernetes API is: the pod's service account, a kubeconfig file, or the built-in simulator. */
export type KubeConfigChoice = { namespace: string } & (
  | { kind: 'in-cluster' }
  | { kind: 'kubeconfig'; path: string }
  | {
      kind: 'simulator';
      port: number;
      persistFile: string | undefined;
      podDelayMs: number;
      unpullableTags: string[];
      kubeconfigPath: string;
      /**
       * Run Job pods' containers as processes on this host (the `job` backup runner needs it),
       * their commands found in `path` (KUBE_SIM_JOB_PATH; unset: this process's PATH).
       */
      runJobs: { path: string | undefined } | undefined;
    }
);

/**
 * Reads and validates the configuration once. Nothing else in the server reads `process.env`.
 * Throws {@link ConfigError} naming the first bad variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as shells and compose files often export them that way.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const shown =
      name in present && !/URL|PASSWORD|SECRET|TOKEN/.test(name) ? ` (got "${present[name]}")` : '';
    throw new ConfigError(`${name} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') refuseStandIns(e);
  const dataDir = resolve(e.DATA_DIR);
  const kube = chooseKube(e, dataDir);
  // In a cluster the control plane's image has no pg_dump: a Job runs it.
  const runner = e.BACKUP_RUNNER ?? (kube.kind === 'in-cluster' ? 'job' : 'local');
  if (kube.kind === 'simulator' && runner === 'job') kube.runJobs = { path: e.KUBE_SIM_JOB_PATH };
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    corsOrigins: e.CORS_ORIGINS ?? [],
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'external', url: e.DATABASE_URL }
      : {
          kind: 'embedded',
          port: e.EMBEDDED_PG_PORT,
          dataDir,
          systemDir: e.EMBEDDED_PG_SYSTEM_DIR && resolve(e.EMBEDDED_PG_SYSTEM_DIR),
        },
    dbPoolMax: e.DB_POOL_MAX,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? false },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    uiDistDir: resolve(e.UI_DIST_DIR),
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    kube,
    leader: {
      enabled: e.LEADER_ELECTION ?? true,
      identity: e.LEADER_IDENTITY,
      leaseSeconds: e.LEADER_LEASE_SECONDS,
    },
    auth: {
      issuer: issuerOf(e),
      scopes: e.OIDC_SCOPES,
      roleClaim: e.OIDC_ROLE_CLAIM,
      adminValues: e.OIDC_ADMIN_VALUES.split(',')
        .map((v) => v.trim())
        .filter(Boolean),
      defaultRole: e.OIDC_DEFAULT_ROLE,
      sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      cacheMs: e.AUTH_CACHE_MS,
    },
    tenants: {
      databaseUrl: e.TENANT_DATABASE_URL,
      databaseHost: e.TENANT_DATABASE_HOST,
      apiUrl: e.TENANT_API_URL,
      apiTimeoutMs: e.TENANT_API_TIMEOUT_MS,
      pollIntervalMs: e.STATUS_POLL_INTERVAL_MS,
      pollConcurrency: e.STATUS_POLL_CONCURRENCY,
      reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
      driftCheckIntervalMs: e.DRIFT_CHECK_INTERVAL_MS,
      operationConcurrency: e.OPERATION_CONCURRENCY,
      secretGraceSeconds: e.SECRET_GRACE_SECONDS,
      faultAfterStep: faultHook(e),
    },
    license: licenseOf(e),
    workers: {
      loginWorkerImage: e.LOGIN_WORKER_IMAGE,
      agentImage: e.AGENT_IMAGE,
      sharedLoginWorkerUrl:
        e.SHARED_LOGIN_WORKER_URL ?? `http://login-worker-shared.${e.KUBE_NAMESPACE}.svc:8090`,
      agentKeyGraceSeconds: e.AGENT_KEY_GRACE_SECONDS,
    },
    infrastructure: {
      upgradeProgressDeadlineMs: e.UPGRADE_PROGRESS_DEADLINE_SECONDS * 1000,
      upgradePollIntervalMs: e.UPGRADE_POLL_INTERVAL_MS,
      databaseStatusIntervalMs: e.DATABASE_STATUS_INTERVAL_MS,
      coalesceMs: e.INFRASTRUCTURE_COALESCE_MS,
      feedIdleMs: e.INFRASTRUCTURE_FEED_IDLE_MS,
    },
    backups: {
      dir: e.BACKUP_DIR ? resolve(e.BACKUP_DIR) : resolve(dataDir, 'backups'),
      runner,
      job: {
        image: e.BACKUP_JOB_IMAGE,
        deadlineSeconds: e.BACKUP_JOB_DEADLINE_SECONDS,
        volumeClaim: e.BACKUP_JOB_VOLUME_CLAIM,
      },
      pgDump: e.PG_DUMP,
      searchPath: present.PATH,
      verifyAfterBackup: e.BACKUP_VERIFY ?? true,
      defaultSchedule: e.BACKUP_SCHEDULE === 'off' ? null : e.BACKUP_SCHEDULE,
      defaultKeep: e.BACKUP_KEEP,
      deletedTenantRetentionDays: e.DELETED_TENANT_BACKUP_RETENTION_DAYS,
    },
    mail: {
      timeoutMs: e.SMTP_TIMEOUT_MS,
      caFile: e.SMTP_CA_FILE && resolve(e.SMTP_CA_FILE),
      catcher: e.NODE_ENV === 'production' ? false : (e.MAIL_CATCHER ?? true),
      alertIntervalMs: e.ALERT_INTERVAL_MS,
    },
  };
}

function licenseOf(e: z.output<typeof envSchema>): Config['license'] {
  let keys: Config['license']['keys'];
  if (e.LICENSE_PUBLIC_KEYS) {
    try {
      keys = { kind: 'configured', keys: parsePublicKeys(e.LICENSE_PUBLIC_KEYS) };
    } catch (error) {
      throw new ConfigError(`LICENSE_PUBLIC_KEYS ${(error as Error).message}`);
    }
  } else {
    keys = e.NODE_ENV === 'production' ? { kind: 'none' } : { kind: 'dev' };
  }
  return {
    keys,
    freeTierMaxUsers: e.FREE_TIER_MAX_USERS,
    renewDays: e.LICENSE_RENEW_DAYS,
    renewalAllowHttp: e.LICENSE_RENEWAL_ALLOW_HTTP ?? keys.kind === 'dev',
    renewalTimeoutMs: e.LICENSE_RENEWAL_TIMEOUT_MS,
    syncConcurrency: e.LICENSE_SYNC_CONCURRENCY,
  };
}

/**
 * Production runs none of the embedded stack's stand-ins: each one's real setting must be given.
 * One line names every missing variable and what it would have replaced.
 */
function refuseStandIns(e: z.output<typeof envSchema>): void {
  const realCluster =
    e.KUBE_MODE === 'in-cluster' ||
    e.KUBE_MODE === 'kubeconfig' ||
    (e.KUBE_MODE === 'auto' && (e.KUBERNETES_SERVICE_HOST || e.KUBECONFIG));
  const missing = [
    !e.DATABASE_URL && 'DATABASE_URL (instead of embedded PostgreSQL)',
    !realCluster &&
      'KUBE_MODE=in-cluster or KUBECONFIG (instead of the cluster simulator; run in a pod or give a kubeconfig)',
    !e.TENANT_API_URL && 'TENANT_API_URL (instead of the tenant simulator)',
    !e.OIDC_ISSUER && 'OIDC_ISSUER (instead of the built-in dev issuer)',
  ].filter(Boolean);
  if (missing.length) {
    throw new ConfigError(`NODE_ENV=production runs no development stand-ins: set ${missing.join(', ')}`);
  }
}

function issuerOf(e: z.output<typeof envSchema>): Config['auth']['issuer'] {
  if (!e.OIDC_ISSUER) return undefined;
  if (!e.OIDC_CLIENT_ID) throw new ConfigError('OIDC_CLIENT_ID must be set when OIDC_ISSUER is set');
  return { url: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET };
}

function faultHook(e: z.output<typeof envSchema>): string | undefined {
  if (e.CP_FAULT_AFTER_STEP && e.NODE_ENV === 'production') {
    throw new ConfigError('CP_FAULT_AFTER_STEP is a test hook and is refused when NODE_ENV=production');
  }
  return e.CP_FAULT_AFTER_STEP;
}

function chooseKube(e: z.output<typeof envSchema>, dataDir: string): KubeConfigChoice {
  const namespace = e.KUBE_NAMESPACE;
  const mode =
    e.KUBE_MODE !== 'auto'
      ? e.KUBE_MODE
      : e.KUBERNETES_SERVICE_HOST
        ? 'in-cluster'
        : e.KUBECONFIG
          ? 'kubeconfig'
          : 'simulator';
  if (mode === 'in-cluster') return { kind: 'in-cluster', namespace };
  if (mode === 'kubeconfig') {
    if (!e.KUBECONFIG) throw new ConfigError('KUBECONFIG must be set when KUBE_MODE=kubeconfig');
    return { kind: 'kubeconfig', path: resolve(e.KUBECONFIG), namespace };
  }
  return {
    kind: 'simulator',
    namespace,
    port: e.KUBE_SIM_PORT,
    // Tests run many short-lived servers: they keep the simulated cluster in memory.
    persistFile:
      (e.KUBE_SIM_PERSIST ?? e.NODE_ENV !== 'test') ? resolve(dataDir, 'kube-sim.json') : undefined,
    podDelayMs: e.KUBE_SIM_POD_DELAY_MS,
    unpullableTags: e.KUBE_SIM_UNPULLABLE_TAGS?.split(',') ?? [],
    kubeconfigPath: resolve(dataDir, 'kubeconfig'),
    runJobs: undefined,
  };
}
