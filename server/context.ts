import type { ClusterClient } from './cluster/client.ts';
import type { KubeConnection } from './cluster/connect.ts';
import type { WorkloadInformers } from './cluster/workloads.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { Actor } from './domain/actor.ts';
import type { OperationRunner } from './domain/tenants/runner.ts';
import type { TenantServices } from './domain/tenants/services.ts';
import type { EventBus } from './events/bus.ts';
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
  requestId: string;
};
