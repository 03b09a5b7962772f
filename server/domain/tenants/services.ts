import type { ClusterClient } from '../../cluster/client.ts';
import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Logger } from '../../log.ts';
import type { TenantApiClient } from '../../tenant-api/client.ts';
import type { TenantDatabaseAdmin } from './database/admin.ts';
import type { OperationLocks } from './operations/locks.ts';

/** Everything the tenant operations use; wired once at start-up. */
export type TenantServices = {
  db: Db;
  bus: EventBus;
  cluster: ClusterClient;
  databases: TenantDatabaseAdmin;
  backends: TenantApiClient;
  /** The base URL of a tenant's backend, as recorded in the registry. */
  backendUrl(slug: string): string;
  logger: Logger;
  /** Test hook: `create:secret` exits the process right after that step. */
  faultAfterStep?: string | undefined;
  /** Cross-replica locks; secret rotations of one tenant's secret take one each, so they never overlap. */
  locks: OperationLocks;
  /** How long a rotated secret's previous value stays valid. Default 3600 s. */
  secretGraceSeconds?: number;
  /** The clock of rotations and grace periods (tests drive it). Default: real time. */
  now?: () => Date;
  /** Images and addresses of the worker workloads the control plane runs for tenants. */
  workers: { loginWorkerImage: string; sharedLoginWorkerUrl: string };
};
