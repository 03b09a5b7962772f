import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import pg from 'pg';
import { ClusterClient } from './cluster/client.ts';
import { connectKube } from './cluster/connect.ts';
import { createLeaderElector } from './cluster/leader.ts';
import { createWorkloadInformers } from './cluster/workloads.ts';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { createDb, migrateToLatest, ping } from './db/database.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded/postgres.ts';
import type { TenantSim } from './dev/tenant-sim/index.ts';
import { createAlertEvaluator } from './domain/alerts/evaluator.ts';
import { createBackupMaintenance } from './domain/backups/maintenance.ts';
import { createBackupServices } from './domain/backups/services.ts';
import { createFileStorage } from './domain/backups/storage.ts';
import { refreshDatabaseStatus } from './domain/infrastructure/status.ts';
import { createUpgradeDriver } from './domain/infrastructure/upgrades.ts';
import { createLicenseRenewal } from './domain/license/renewal.ts';
import type { Licensing } from './domain/license/services.ts';
import { claimLeaseMs, createLicenseSync } from './domain/license/sync.ts';
import { storeCaughtMail } from './domain/mail/caught.ts';
import { createMailer, type MailFallback } from './domain/mail/mailer.ts';
import { createSmtpSync } from './domain/settings/smtp-sync.ts';
import { createCpTokenCache } from './domain/tenants/cp-tokens.ts';
import { createTenantDatabaseAdmin } from './domain/tenants/database/admin.ts';
import { createOperationLocks } from './domain/tenants/operations/locks.ts';
import { createReconciler } from './domain/tenants/operations/reconciler.ts';
import { createDriftCheck } from './domain/tenants/operations/repair.ts';
import { createOperationRunner } from './domain/tenants/operations/runner.ts';
import { createStatusPoller } from './domain/tenants/poller.ts';
import { writeRegistryEntry } from './domain/tenants/registry.ts';
import { createSecretMaintenance } from './domain/tenants/secrets/cleanup.ts';
import type { TenantServices } from './domain/tenants/services.ts';
import { createSharedPoolMaintenance } from './domain/workers/shared-pool.ts';
import { createEventBus } from './events/bus.ts';
import { type App, buildApp } from './http/app.ts';
import { createAuthService } from './http/auth.ts';
import { type LeaderTask, periodicJob } from './jobs/periodic.ts';
import { type Logger, redactUrl } from './log.ts';
import { createTenantApiClient } from './tenant-api/client.ts';

export type ControlPlane = {
  app: App;
  services: Services;
  port: number;
  url: string;
  /** The embedded tenant simulator, when TENANT_API_URL is unset (tests use its fault hooks). */
  tenantSim: TenantSim | undefined;
  /** Graceful stop, in reverse order of start: HTTP and WebSockets first, embedded PostgreSQL last. */
  stop(): Promise<void>;
};

/** A start-up failure whose message is meant for the operator as it stands (one line). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Starts the whole control plane for `config`: database (external or embedded), migrations,
 * event bus, HTTP server. Used by `main.ts` and by tests that need a real server process.
 */
export async function startControlPlane(
  config: Config,
  logger: Logger,
  options: { now?: () => Date } = {},
): Promise<ControlPlane> {
  const now = options.now ?? (() => new Date());
  let embedded: EmbeddedDatabase | undefined;
  let url: string;
  if (config.database.kind === 'external') {
    url = config.database.url;
    logger.info({ database: redactUrl(url) }, 'using PostgreSQL from DATABASE_URL');
  } else {
    const { dataDir, port, systemDir } = config.database;
    logger.info({ dataDir, port }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir, port, systemDir, logger }).catch((error: unknown) => {
      throw new StartupError(`embedded PostgreSQL failed to start: ${(error as Error).message}`);
    });
    url = embedded.url;
  }

  const { db, pool } = createDb({ url, max: config.dbPoolMax });
  // Everything started from here on registers how to stop it; stopping runs them newest first,
  // whether the whole process stops or start-up fails half-way.
  const stack: (() => Promise<unknown> | undefined)[] = [];
  if (embedded) stack.push(() => embedded.stop());
  stack.push(() => db.destroy());
  const cleanup = async () => {
    for (const close of stack.splice(0).reverse()) {
      await Promise.resolve(close()).catch((error: unknown) =>
        logger.warn({ err: error }, 'stopping a part failed'),
      );
    }
  };
  try {
    await ping(db).catch((error: unknown) => {
      const where =
        config.database.kind === 'external' ? `DATABASE_URL (${redactUrl(url)})` : 'embedded PostgreSQL';
      throw new StartupError(`${where} is unreachable: ${(error as Error).message}`);
    });
    const { applied } = await migrateToLatest(db);
    logger.info({ applied }, applied.length ? 'database migrated' : 'database schema is current');
  } catch (error) {
    await cleanup();
    throw error;
  }

  const bus = createEventBus({ pool, connect: () => new pg.Client({ connectionString: url }), logger });
  stack.push(() => bus.close());
  await bus.ready;
  // The embedded stack's stand-ins, loaded only when the configuration leaves a real part unset
  // (never in production: config.ts refuses that). This is the one import of server/dev/.
  const standIns =
    config.kube.kind === 'simulator' ||
    !config.tenants.apiUrl ||
    !config.auth.issuer ||
    config.license.keys.kind === 'dev' ||
    config.mail.catcher
      ? await import('./dev/embedded.ts')
      : undefined;
  // Outside production with no LICENSE_PUBLIC_KEYS, licenses signed by the dev key in DATA_DIR.
  if (config.license.keys.kind === 'dev') await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const licenseSigner =
    config.license.keys.kind === 'dev' ? await standIns!.devLicenseSigner(config.dataDir) : undefined;
  const kubeChoice = config.kube;
  const kube = await (kubeChoice.kind === 'simulator'
    ? standIns!.startClusterSimulator(kubeChoice, logger)
    : connectKube(kubeChoice, logger)
  ).catch(async (error: unknown) => {
    await cleanup();
    throw new StartupError(`Kubernetes (${config.kube.kind}) is unusable: ${(error as Error).message}`);
  });
  stack.push(() => kube.stop());
  const cluster = new ClusterClient(kube.kubeConfig, kube.namespace);
  const workloads = createWorkloadInformers(kube, bus, logger.child({ component: 'informer' }));

  // Tenant backends: the configured ones, or the embedded tenant simulator.
  const tenantSim = config.tenants.apiUrl
    ? undefined
    : await standIns!.startTenantSimulator(kube, logger, licenseSigner);
  if (tenantSim) stack.push(() => tenantSim.stop());
  const apiUrl = config.tenants.apiUrl ?? tenantSim!.baseUrlTemplate;
  const locks = createOperationLocks(() => new pg.Client({ connectionString: url }), logger);
  stack.push(() => locks.close());
  const tenants: TenantServices = {
    locks,
    now,
    db,
    bus,
    cluster,
    databases: createTenantDatabaseAdmin({
      adminUrl: config.tenants.databaseUrl ?? url,
      publicHost: config.tenants.databaseHost,
    }),
    backends: createTenantApiClient({ baseUrlTemplate: apiUrl, timeoutMs: config.tenants.apiTimeoutMs }),
    backendUrl: (slug) => apiUrl.replace('{slug}', slug),
    logger: logger.child({ component: 'tenants' }),
    faultAfterStep: config.tenants.faultAfterStep,
    secretGraceSeconds: config.tenants.secretGraceSeconds,
    workers: config.workers,
  };
  stack.push(() => tenants.databases.close());
  const runner = createOperationRunner(tenants, locks, { concurrency: config.tenants.operationConcurrency });
  stack.push(() => runner.stop());
  const reconciler = createReconciler(tenants, runner, config.tenants.reconcileIntervalMs);
  const poller = createStatusPoller(tenants, {
    intervalMs: config.tenants.pollIntervalMs,
    concurrency: config.tenants.pollConcurrency,
  });
  // Ends grace periods and finishes rotations left half-way; on the leader, like the reconciler.
  const secretMaintenance = createSecretMaintenance(tenants, {
    intervalMs: config.tenants.reconcileIntervalMs,
  });

  // Informers and periodic jobs run on one replica at a time: the holder of the Lease.
  const identity = config.leader.identity ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const driftCheck = createDriftCheck(tenants, {
    intervalMs: config.tenants.driftCheckIntervalMs,
    concurrency: config.tenants.pollConcurrency,
  });
  const licenseSync = createLicenseSync(
    {
      db,
      bus,
      now,
      logger: logger.child({ component: 'license' }),
      // One attempt per round: a tenant that fails waits for its backoff, never holding a worker.
      backends: createTenantApiClient({
        baseUrlTemplate: apiUrl,
        timeoutMs: config.tenants.apiTimeoutMs,
        retries: 0,
      }),
      tokens: createCpTokenCache(cluster),
    },
    {
      concurrency: config.license.syncConcurrency,
      intervalMs: config.tenants.reconcileIntervalMs,
      // Longer than a claimed row can wait for its turn and its call, so a live claim never lapses.
      leaseMs: claimLeaseMs(config.tenants.apiTimeoutMs, config.license.syncConcurrency),
    },
  );
  stack.push(() => licenseSync.close());
  const licensing: Licensing = {
    keys:
      config.license.keys.kind === 'configured'
        ? config.license.keys.keys
        : licenseSigner
          ? [{ kid: licenseSigner.kid, key: licenseSigner.key }]
          : [],
    freeTierMaxUsers: config.license.freeTierMaxUsers,
    renewDays: config.license.renewDays,
    renewalAllowHttp: config.license.renewalAllowHttp,
    renewalTimeoutMs: config.license.renewalTimeoutMs,
    kick: () => licenseSync.kick(),
    async refreshRegistry(tenantId) {
      const tenant = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
      if (tenant?.state !== 'active') return;
      await writeRegistryEntry(tenants, tenant);
    },
  };
  const licenseRenewal = createLicenseRenewal(
    { db, bus, now, logger: logger.child({ component: 'license' }), licensing },
    { intervalMs: Math.min(60_000, config.tenants.reconcileIntervalMs) },
  );
  const sharedPoolMaintenance = createSharedPoolMaintenance(
    {
      db,
      bus,
      cluster,
      workloads,
      now,
      logger: logger.child({ component: 'workers' }),
      settings: {
        agentImage: config.workers.agentImage,
        agentKeyGraceSeconds: config.workers.agentKeyGraceSeconds,
      },
    },
    { intervalMs: config.tenants.reconcileIntervalMs },
  );
  const upgrades = createUpgradeDriver(
    { db, bus, cluster, workloads, now, logger: logger.child({ component: 'upgrades' }) },
    {
      intervalMs: config.infrastructure.upgradePollIntervalMs,
      progressDeadlineMs: config.infrastructure.upgradeProgressDeadlineMs,
    },
  );
  const databaseStatus = periodicJob(
    'database-status',
    config.infrastructure.databaseStatusIntervalMs,
    () => refreshDatabaseStatus({ db, bus, databases: tenants.databases, now }),
    logger,
  );
  const backups = createBackupServices({
    db,
    bus,
    logger: logger.child({ component: 'backups' }),
    locks,
    now,
    storage: createFileStorage(config.backups.dir),
    settings: config.backups,
    adminUrl: config.tenants.databaseUrl ?? url,
    cluster,
    databaseHost: config.tenants.databaseHost,
  });
  stack.push(() => backups.close());
  const backupMaintenance = createBackupMaintenance(backups, {
    intervalMs: config.tenants.reconcileIntervalMs,
  });
  // Outside production, mail sent while no relay is configured lands in the built-in catcher.
  let mailFallback: MailFallback | undefined;
  if (config.mail.catcher) {
    const catcher = await standIns!
      .startMailCatcher({
        onMail: (mail) => storeCaughtMail(db, mail, now()),
        logger: logger.child({ component: 'mail-catcher' }),
      })
      .catch(async (error: unknown) => {
        await cleanup();
        throw new StartupError(`the mail catcher could not start: ${(error as Error).message}`);
      });
    stack.push(() => catcher.stop());
    mailFallback = { host: catcher.host, port: catcher.port, from: 'control-plane@justiam.local' };
  }
  const smtpCa = config.mail.caFile
    ? await readFile(config.mail.caFile, 'utf8').catch(async (error: unknown) => {
        await cleanup();
        throw new StartupError(`SMTP_CA_FILE cannot be read: ${(error as Error).message}`);
      })
    : undefined;
  const mailer = createMailer({
    db,
    cluster,
    timeoutMs: config.mail.timeoutMs,
    ...(smtpCa ? { ca: smtpCa } : {}),
    ...(mailFallback ? { fallback: mailFallback } : {}),
  });
  const smtpSync = createSmtpSync(
    {
      db,
      bus,
      cluster,
      now,
      logger: logger.child({ component: 'smtp' }),
      backends: createTenantApiClient({
        baseUrlTemplate: apiUrl,
        timeoutMs: config.tenants.apiTimeoutMs,
        retries: 0,
      }),
      tokens: createCpTokenCache(cluster),
    },
    {
      concurrency: config.license.syncConcurrency,
      intervalMs: config.tenants.reconcileIntervalMs,
      leaseMs: claimLeaseMs(config.tenants.apiTimeoutMs, config.license.syncConcurrency),
    },
  );
  stack.push(() => smtpSync.close());
  const alerts = createAlertEvaluator(
    {
      db,
      bus,
      now,
      logger: logger.child({ component: 'alerts' }),
      mailer,
      freeTierMaxUsers: config.license.freeTierMaxUsers,
    },
    { intervalMs: config.mail.alertIntervalMs },
  );
  stack.push(() => alerts.close());
  const leaderTasks: LeaderTask[] = [
    workloads,
    upgrades,
    databaseStatus,
    sharedPoolMaintenance,
    reconciler,
    poller,
    secretMaintenance,
    driftCheck,
    licenseSync,
    licenseRenewal,
    backupMaintenance,
    smtpSync,
    alerts,
  ];
  const elector = config.leader.enabled
    ? createLeaderElector({
        kubeConfig: kube.kubeConfig,
        namespace: kube.namespace,
        identity,
        logger,
        leaseDurationSeconds: config.leader.leaseSeconds,
        // Renew well within the lease, as client-go does (a third of it, at least every 2 s).
        retryPeriodMs: Math.min(2000, (config.leader.leaseSeconds * 1000) / 3),
        onStartedLeading: () => {
          for (const task of leaderTasks) task.start();
          bus.publish('leader.changed', { identity });
        },
        onStoppedLeading: async () => {
          await Promise.all(leaderTasks.map((task) => task.stop()));
        },
      })
    : undefined;
  const leadership = { identity, isLeader: () => elector?.isLeader() ?? true };

  stack.push(() => (elector ? elector.stop() : Promise.all(leaderTasks.map((task) => task.stop()))));
  const auth = createAuthService({
    config,
    db,
    bus,
    logger: logger.child({ component: 'auth' }),
    now,
    createDevIssuer: standIns?.createDevIssuer,
  });
  stack.push(() => auth.stop());
  const services: Services = {
    config,
    db,
    bus,
    logger,
    kube,
    cluster,
    workloads,
    leadership,
    tenants,
    runner,
    auth,
    licensing,
    licenseSync,
    upgrades,
    backups,
    mailer,
    smtpSync,
    kickSmtp: () => smtpSync.kick(),
    alerts,
    now,
  };
  const app = buildApp(services);
  let port: number;
  try {
    port = await app.start(config.port, config.host);
  } catch (error) {
    await cleanup();
    throw new StartupError(`PORT ${config.port} cannot be used: ${(error as Error).message}`);
  }
  stack.push(() => app.stop(config.shutdownTimeoutMs));
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const publicUrl = (config.publicUrl ?? `http://${shownHost}:${port}`).replace(/\/$/, '');
  const loopback = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const internalUrl = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`;
  // Waits for the first discovery only: an identity provider that is down leaves sign-in
  // unavailable (retried in the background), while API tokens, GraphQL and REST keep working.
  try {
    await auth.configure(publicUrl, internalUrl);
  } catch (error) {
    await cleanup();
    throw new StartupError(`sign-in could not be set up: ${(error as Error).message}`);
  }
  logger.info(auth.describe());
  if (elector) elector.start();
  else for (const task of leaderTasks) task.start();
  return {
    app,
    services,
    port,
    url: publicUrl,
    tenantSim,
    stop: cleanup,
  };
}
