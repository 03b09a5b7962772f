import type { ClusterClient } from './cluster/client.ts';
import type { KubeConnection } from './cluster/connect.ts';
import type { WorkloadInformers } from './cluster/workloads.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { AlertEvaluator } from './domain/alerts/evaluator.ts';
import type { Principal } from './domain/auth/principal.ts';
import type { BackupServices } from './domain/backups/services.ts';
import type { Call } from './domain/call.ts';
import type { Licensing } from './domain/license/services.ts';
import type { LicenseSync } from './domain/license/sync.ts';
import type { Mailer } from './domain/mail/mailer.ts';
import type { SmtpSync } from './domain/settings/smtp-sync.ts';
import type { OperationRunner } from './domain/tenants/operations/runner.ts';
import type { TenantServices } from './domain/tenants/services.ts';
import type { EventBus } from './events/bus.ts';
import type { AuthService } from './http/auth.ts';
import type { Logger } from './log.ts';

/**
 * What the process wires once at start-up and every request, job and domain operation shares.
 * Domain operations declare the part they use (`{ db: Db; bus: EventBus }`, `TenantServices` …)
 * and are handed this whole object or the part, whichever the caller has.
 */
export type Services = {
  config: Config;
  db: Db;
  bus: EventBus;
  logger: Logger;
  kube: KubeConnection;
  cluster: ClusterClient;
  workloads: WorkloadInformers;
  leadership: Leadership;
  tenants: TenantServices;
  runner: OperationRunner;
  auth: AuthService;
  /** License keys and settings; `kick()` starts the fan-out of a change. */
  licensing: Licensing;
  /** The license fan-out (tests wait on it with `idle()`). */
  licenseSync: LicenseSync;
  /** Worker upgrades on the leader; `kick()` looks at them now instead of at the next tick. */
  upgrades: { kick(): void };
  /** Tenant backups: storage, pg_dump, runs in this process (tests wait on `runs.idle()`). */
  backups: BackupServices;
  /** Sends alerts, reports and test e-mails through the relay (or the embedded catcher). */
  mailer: Mailer;
  /** The SMTP relay fan-out to tenant backends (tests wait on it with `idle()`). */
  smtpSync: SmtpSync;
  /** Starts telling tenants of an SMTP change now, on this replica. */
  kickSmtp: () => void;
  /** The alert rules and daily report (leader; tests call `runOnce()`). */
  alerts: AlertEvaluator;
  now: () => Date;
};

/** Whether this replica currently runs the informers and periodic jobs. */
export type Leadership = { identity: string; isLeader(): boolean };

/**
 * The GraphQL context, one per HTTP request or WebSocket operation: the services, and who is
 * calling (it is a {@link Call}, so resolvers hand `ctx` to domain operations as it is).
 */
export type GraphQLContext = Call & {
  services: Services;
  /** The signed-in operator and how they authenticated; null for anonymous requests. */
  principal: Principal | null;
  /** The process logger with this request's id and operator. */
  logger: Logger;
  requestId: string;
  /** The request carried the CSRF header or came from our own origin. */
  csrfOk: boolean;
};

/** The context of a resolver behind `t.withAuth(...)`: someone is signed in. */
export type SignedInContext = GraphQLContext & { principal: Principal };
