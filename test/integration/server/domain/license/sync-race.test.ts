import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseSync, type LicenseSync } from '../../../../../server/domain/license/sync.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { createCpTokenCache } from '../../../../../server/domain/tenants/cp-tokens.ts';
import { createTenantApiClient } from '../../../../../server/tenant-api/client.ts';
import { eventually } from '../../../../support/kube.ts';
import { heldLicense, jwks, mint, testSigner } from '../../../../support/license.ts';
import { rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const issuer = testSigner('issuer-race');

/**
 * Two fan-outs over one database, as two replicas run them: a claim that lapses while its call is
 * still on the way (a paused process) must not leave the tenant holding the older license under a
 * line that says synced, and a replica that lost leadership still tells tenants of its own changes.
 */
describe('license sync across replicas', () => {
  const server = useTestServer({
    LICENSE_PUBLIC_KEYS: jwks(issuer),
    RECONCILE_INTERVAL_MS: '3600000',
    STATUS_POLL_INTERVAL_MS: '3600000',
  });
  const slug = uniqueSlug('race');
  afterAll(() => dropTenantDatabases([slug]));

  /** A replica's fan-out over the test server's database and tenants, with its own lease. */
  const replica = (leaseMs: number): LicenseSync =>
    createLicenseSync(
      {
        db: server.services.db,
        bus: server.services.bus,
        logger: server.services.logger,
        now: () => new Date(),
        backends: createTenantApiClient({ baseUrlTemplate: server.tenantSim!.baseUrlTemplate, retries: 0 }),
        tokens: createCpTokenCache(server.services.cluster),
      },
      { concurrency: 1, intervalMs: 3_600_000, leaseMs },
    );
  const held = async () =>
    heldLicense((await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!);
  const line = async () =>
    (
      await sql<{ state: string; target_generation: number; synced_generation: number | null }>`
        select l.state, l.target_generation, l.synced_generation from tenant_licenses l
        join tenants t on t.id = l.tenant_id where t.slug = ${slug} and t.state = 'active'`.execute(
        server.services.db,
      )
    ).rows[0]!;
  const activate = async (lid: string) => {
    const token = await mint(issuer, { lid });
    expect((await rest(server, 'POST', '/license', { license: token })).status).toBe(200);
    return token;
  };

  beforeAll(async () => {
    // This file's replicas do the telling: the server's own fan-out stays out of the way.
    await server.services.licenseSync.close();
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug, admin_email: null })).status).toBe(
      201,
    );
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'active',
    );
  }, 30_000);

  it('a lapsed claim whose older push lands last makes the tenant be told again, ending on the newer license', async () => {
    const a = replica(50);
    const b = replica(10_000);
    const older = await activate('lic-older');
    // A's call hangs a while at the tenant: its 50 ms claim lapses long before it lands.
    server.tenantSim!.faults.set(slug, { delayMs: 600, times: 1, endpoints: ['PUT /cp/v1/license'] });
    const roundA = a.runOnce();
    await eventually(
      async () =>
        (
          await sql<{ lapsed: boolean }>`
            select bool_and(claimed_until < now()) as lapsed from tenant_licenses l join tenants t on t.id = l.tenant_id
            where t.slug = ${slug} and l.claimed_until is not null`.execute(server.services.db)
        ).rows[0]?.lapsed === true,
      5000,
      'A has claimed the line and its claim has lapsed',
    );
    const newer = await activate('lic-newer');
    // B takes the line over and tells the tenant the newer license first.
    expect(await b.runOnce()).toEqual({ synced: 1, failed: 0 });
    expect(await held()).toEqual({ token: newer, user_cap: 100 });
    expect(await line()).toMatchObject({ state: 'synced' });
    // Then A's older push lands: the tenant holds the older license for a moment...
    await roundA;
    expect(await held()).toEqual({ token: older, user_cap: 100 });
    // ...and its line says so: it is told again, and ends on the newer one.
    expect((await line()).state).toBe('pending');
    expect(await b.runOnce()).toEqual({ synced: 1, failed: 0 });
    expect(await held()).toEqual({ token: newer, user_cap: 100 });
    const done = await line();
    expect(done).toMatchObject({ state: 'synced' });
    expect(done.synced_generation).toBe(done.target_generation);
    await a.close();
    await b.close();
  });

  it('a replica that lost leadership still tells tenants of the changes it made', async () => {
    const sync = replica(10_000);
    sync.start();
    await sync.idle();
    await sync.stop(); // leadership lost: periodic rounds end
    const token = await activate('lic-after-demotion');
    sync.kick();
    await eventually(
      async () => (await held())?.token === token,
      5000,
      'the demoted replica told the tenant',
    );
    await sync.idle();
    expect((await line()).state).toBe('synced');
    await sync.close();
    // Closed for good: a kick does nothing any more.
    await activate('lic-after-close');
    sync.kick();
    await sync.idle();
    expect((await held())?.token).toBe(token);
  });
});
