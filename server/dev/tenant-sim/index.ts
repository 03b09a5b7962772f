import { listen } from '../../http/listen.ts';
import type { Logger } from '../../log.ts';
import { Faults } from './faults.ts';
import { PoolCache } from './pools.ts';
import { ResolutionCache } from './resolution-cache.ts';
import type { ResolveTenant } from './resolver.ts';
import { ensureTenantSchema } from './schema.ts';
import { createSimServer, RENEWAL_PATH } from './server.ts';

export type TenantSimOptions = {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** How a slug becomes a database and CP token; `secretResolver` reads the tenant's Secret. */
  resolveTenant: ResolveTenant;
  logger?: Logger;
  /** Reported by `GET /cp/v1/status`. Default `1.4.0`. */
  version?: string;
  /** The clock for token expiry, grace periods and "active in the last 30 days". Default: real time. */
  now?: () => Date;
  /** How long a tenant's resolution is reused. Default 1000 ms. */
  resolveCacheMs?: number;
  /**
   * Most tenant pools open at once, 2 connections each. Default 20: 40 connections, well below
   * PostgreSQL's default of 100, which the control plane and the tenants share.
   */
  maxPools?: number;
  /** Tenant pools unused this long are closed. Default 30 s. */
  poolIdleMs?: number;
  /**
   * Serves `POST /license/renew` (the license issuer's stand-in): given the current token as
   * bearer, the renewed one, or undefined when it is not a license this issuer signed.
   */
  renewLicense?: (token: string) => Promise<string | undefined>;
};

/** A running tenant simulator. */
export type TenantSim = {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  port: number;
  /** `${url}/t/{slug}`: the control plane's tenant API base URL template. */
  baseUrlTemplate: string;
  /** Test hook: make a tenant slow, failing or unreachable (`RENEWAL_FAULTS`: the renewal endpoint). */
  faults: Faults;
  /** `${url}/license/renew`, when the simulator renews licenses. */
  renewalUrl: string | undefined;
  /** How many tenant database pools are open now. */
  openPools(): number;
  /** Stops listening, ends connections and closes every tenant pool. */
  stop(): Promise<void>;
};

/**
 * Starts the reference tenant backend: the tenant API (DESIGN.md, "Tenant API") for any number of
 * tenants under `/t/{slug}/cp/v1/...`, each served from its own PostgreSQL database, whose schema
 * it creates on first contact.
 */
export async function startTenantSim(options: TenantSimOptions): Promise<TenantSim> {
  const now = options.now ?? (() => new Date());
  const log = options.logger?.child({ component: 'tenant-sim' });
  const poolIdleMs = options.poolIdleMs ?? 30_000;
  const tenants = new ResolutionCache(options.resolveTenant, options.resolveCacheMs ?? 1000, () =>
    now().getTime(),
  );
  const pools = new PoolCache({
    maxPools: options.maxPools ?? 20,
    idleMs: poolIdleMs,
    connectionsPerPool: 2,
    prepare: (db) => ensureTenantSchema(db, now()),
  });
  const faults = new Faults();
  const stopping = new AbortController();
  const server = createSimServer({
    tenants,
    pools,
    faults,
    now,
    version: options.version ?? '1.4.0',
    stopping: stopping.signal,
    logger: log,
    renewLicense: options.renewLicense,
  });
  const host = options.host ?? '127.0.0.1';
  const { port, url } = await listen(server, options.port ?? 0, host);
  const sweeper = setInterval(
    () => {
      pools.sweep();
      tenants.prune();
    },
    Math.max(100, Math.min(5000, poolIdleMs / 2)),
  );
  sweeper.unref();
  log?.info({ url }, 'tenant-sim listening');

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    baseUrlTemplate: `${url}/t/{slug}`,
    faults,
    renewalUrl: options.renewLicense ? `${url}${RENEWAL_PATH}` : undefined,
    openPools: () => pools.size,
    stop() {
      stopped ??= (async () => {
        clearInterval(sweeper);
        stopping.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await pools.closeAll();
      })();
      return stopped;
    },
  };
}
