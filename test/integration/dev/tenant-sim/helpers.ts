import { randomBytes } from 'node:crypto';
import {
  startTenantSim,
  type TenantSim,
  type TenantSimOptions,
} from '../../../../server/dev/tenant-sim/index.ts';
import type { TenantResolution } from '../../../../server/dev/tenant-sim/resolver.ts';
import {
  createTenantApiClient,
  type TenantApi,
  type TenantApiClientOptions,
} from '../../../../server/tenant-api/client.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';

/** A clock tests move by hand, so expiry is tested without sleeping. */
export type TestClock = { now: Date; advance(ms: number): void };

export type SimHarness = {
  sim: TenantSim;
  clock: TestClock;
  /** What the resolver answers, by slug; tests may change entries. */
  tenants: Map<string, TenantResolution>;
  databases: Map<string, TestDatabase>;
  /** The API of `slug` through the real client, with its CP token unless another is given. */
  api(slug: string, token?: string, client?: Partial<TenantApiClientOptions>): TenantApi;
  stop(): Promise<void>;
};

export const randomToken = () => randomBytes(24).toString('base64url');

/** Starts a simulator serving one fresh database per slug, resolved from an in-memory map. */
export async function startSimWithTenants(
  slugs: string[],
  options: Partial<TenantSimOptions> = {},
): Promise<SimHarness> {
  let current = new Date('2031-03-01T12:00:00.000Z');
  const clock: TestClock = {
    get now() {
      return current;
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
  const tenants = new Map<string, TenantResolution>();
  const databases = new Map<string, TestDatabase>();
  for (const slug of slugs) {
    const db = await createTestDatabase('tenant_sim');
    databases.set(slug, db);
    tenants.set(slug, { databaseUrl: db.url, cpToken: randomToken() });
  }
  const sim = await startTenantSim({
    resolveTenant: async (slug) => tenants.get(slug) ?? null,
    now: () => clock.now,
    ...options,
  });
  return {
    sim,
    clock,
    tenants,
    databases,
    api(slug, token, client = {}) {
      return createTenantApiClient({
        baseUrlTemplate: sim.baseUrlTemplate,
        timeoutMs: 5000,
        retries: 0,
        backoffMs: 1,
        ...client,
      }).forTenant(slug, token ?? tenants.get(slug)?.cpToken ?? randomToken());
    },
    async stop() {
      await sim.stop();
      await Promise.all([...databases.values()].map((d) => d.drop()));
    },
  };
}
