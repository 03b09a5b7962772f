import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../server/cluster/client.ts';
import { tenantSecret } from '../../../../server/cluster/resources.ts';
import { seedTenantData } from '../../../../server/dev/tenant-sim/fixtures.ts';
import { startTenantSim, type TenantSim } from '../../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../../server/dev/tenant-sim/resolver.ts';
import { createTenantApiClient, type TenantApiClient } from '../../../../server/tenant-api/client.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { startTestCluster, type TestCluster } from '../../../support/kube.ts';
import { randomToken } from './helpers.ts';

describe('secretResolver: tenants from their Secret in the cluster simulator', () => {
  let cluster: TestCluster;
  let k8s: ClusterClient;
  let database: TestDatabase;
  beforeAll(async () => {
    cluster = await startTestCluster();
    k8s = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    database = await createTestDatabase('tenant_sim');
  });
  afterAll(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  it('reads DATABASE_URL and CP_TOKEN, and the previous token with its expiry', async () => {
    const resolve = secretResolver(cluster.kubeConfig, cluster.namespace);
    await k8s.ensure(
      tenantSecret(cluster.namespace, 'initech', {
        DATABASE_URL: 'postgres://u:p@db/initech',
        CP_TOKEN: 'token-now',
        CP_TOKEN_PREVIOUS: 'token-before',
        CP_TOKEN_PREVIOUS_EXPIRES_AT: '2031-01-02T03:04:05.000Z',
        JWT_SECRET: 'unrelated',
      }),
    );
    expect(await resolve('initech')).toEqual({
      databaseUrl: 'postgres://u:p@db/initech',
      cpToken: 'token-now',
      cpTokenPrevious: { value: 'token-before', expiresAt: new Date('2031-01-02T03:04:05.000Z') },
    });
  });

  it('ignores a previous token whose expiry is missing or not a date', async () => {
    const resolve = secretResolver(cluster.kubeConfig, cluster.namespace);
    await k8s.ensure(
      tenantSecret(cluster.namespace, 'hooli', {
        DATABASE_URL: 'postgres://db/hooli',
        CP_TOKEN: 'token-now',
        CP_TOKEN_PREVIOUS: 'token-before',
        CP_TOKEN_PREVIOUS_EXPIRES_AT: 'next tuesday',
      }),
    );
    expect(await resolve('hooli')).toEqual({ databaseUrl: 'postgres://db/hooli', cpToken: 'token-now' });
  });

  it('answers null for a tenant without a Secret and for slugs that cannot name one', async () => {
    const resolve = secretResolver(cluster.kubeConfig, cluster.namespace);
    expect(await resolve('missing')).toBeNull();
    expect(await resolve('../kube-system')).toBeNull();
    expect(await resolve('UPPER')).toBeNull();
  });

  it('throws for a Secret lacking CP_TOKEN, without putting any value in the message', async () => {
    const resolve = secretResolver(cluster.kubeConfig, cluster.namespace);
    await k8s.ensure(
      tenantSecret(cluster.namespace, 'half', { DATABASE_URL: 'postgres://u:hunter2@db/half' }),
    );
    await expect(resolve('half')).rejects.toThrow('Secret tenant-half lacks DATABASE_URL or CP_TOKEN');
    await expect(resolve('half')).rejects.not.toThrow(/hunter2/);
  });

  describe('served by the simulator', () => {
    let sim: TenantSim;
    let client: TenantApiClient;
    let clockOffsetMs = 0;
    beforeAll(async () => {
      sim = await startTenantSim({
        resolveTenant: secretResolver(cluster.kubeConfig, cluster.namespace),
        now: () => new Date(Date.now() + clockOffsetMs),
      });
      client = createTenantApiClient({ baseUrlTemplate: sim.baseUrlTemplate, retries: 0 });
    });
    afterAll(() => sim?.stop());

    it('serves a tenant as soon as its Secret exists and takes a rotated CP token at once', async () => {
      await expect(client.forTenant('umbrella', 'not-yet').status()).rejects.toMatchObject({ status: 404 });
      const first = randomToken();
      await k8s.ensure(
        tenantSecret(cluster.namespace, 'umbrella', { DATABASE_URL: database.url, CP_TOKEN: first }),
      );
      await seedTenantData(database.url, { users: 2, activeUsers: 1 });
      // A missing tenant is remembered for up to a second.
      clockOffsetMs += 1050;
      expect((await client.forTenant('umbrella', first).status()).stats).toMatchObject({
        users: 2,
        activeUsers: 1,
      });

      const second = randomToken();
      await k8s.ensure(
        tenantSecret(cluster.namespace, 'umbrella', {
          DATABASE_URL: database.url,
          CP_TOKEN: second,
          CP_TOKEN_PREVIOUS: first,
          CP_TOKEN_PREVIOUS_EXPIRES_AT: new Date(Date.now() + 3600_000).toISOString(),
        }),
      );
      expect((await client.forTenant('umbrella', second).status()).status).toBe('ok');
      expect((await client.forTenant('umbrella', first).status()).status).toBe('ok');
    });

    it('answers 503 TENANT_UNAVAILABLE when the Secret is incomplete', async () => {
      await expect(client.forTenant('half', 'any-token').status()).rejects.toMatchObject({
        status: 503,
        code: 'TENANT_UNAVAILABLE',
      });
    });
  });
});
