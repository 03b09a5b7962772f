import type { ClusterClient } from './cluster/client.ts';
import type { KubeConnection } from './cluster/connect.ts';
import type { WorkloadInformers } from './cluster/workloads.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { Actor } from './domain/actor.ts';
import type { Principal } from './domain/auth/principal.ts';
import type { OperationRunner } from './domain/tenants/runner.ts';
import type { TenantServices } from './domain/tenants/services.ts';
import type { EventBus } from './events/bus.ts';
import type { AuthService } from './http/auth.ts';
import type { Logger } from './log.ts';

/** What the process wires once at start-up and every request shares. */
export type AppDeps = {
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
  now: () => Date;
};

/** Whether this replica currently runs the informers and periodic jobs. */
export type Leadership = { identity: string; isLeader(): boolean };

/** The GraphQL context: one per HTTP request or per WebSocket operation. */
export type GraphQLContext = {
  db: Db;
  bus: EventBus;
  tenants: TenantServices;
  runner: OperationRunner;
  logger: Logger;
  actor: Actor;
  /** The signed-in operator and how they authenticated; null for anonymous requests. */
  principal: Principal | null;
  auth: AuthService;
  now: () => Date;
  requestId: string;
  /** The request carried the CSRF header or came from our own origin. */
  csrfOk: boolean;
};
