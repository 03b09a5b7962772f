import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Logger } from '../../log.ts';
import type { TrustedKey } from './token.ts';

/** The license domain's settings and its fan-out, wired once at start-up (`Services.licensing`). */
export type Licensing = {
  /** The public keys licenses are verified with (configured, or the embedded stack's dev key). */
  keys: readonly TrustedKey[];
  /** Users each tenant may have while no license is active. */
  freeTierMaxUsers: number;
  /** Renew automatically this many days before expiry (0: never automatically). */
  renewDays: number;
  /** Whether a renewal URL may be plain http. */
  renewalAllowHttp: boolean;
  renewalTimeoutMs: number;
  /** Starts telling tenants of a change now, on this replica (the leader retries what fails). */
  kick(): void;
  /**
   * Rewrites a tenant's tenant-registry entry (it carries the license allocation). Best effort:
   * the drift check finds an entry left out of date and repair rewrites it.
   */
  refreshRegistry(tenantId: string): Promise<void>;
};

/** What license operations use: `ctx.services` has all of it. */
export type LicenseServices = {
  db: Db;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  licensing: Licensing;
};
