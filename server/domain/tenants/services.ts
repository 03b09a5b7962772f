import type { ClusterClient } from '../../cluster/client.ts';
import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Logger } from '../../log.ts';
import type { TenantApiClient } from '../../tenant-api/client.ts';
import type { TenantDatabaseAdmin } from './tenant-db.ts';

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
};
