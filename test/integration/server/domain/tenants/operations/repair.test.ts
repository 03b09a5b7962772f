import type { V1ConfigMap } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP, registryKey } from '../../../../../../server/cluster/labels.ts';
import { readTenantSecret } from '../../../../../../server/domain/tenants/cluster-secret.ts';
import { eventually } from '../../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../../support/server.ts';
import { CREATE_STEPS_DONE, dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

type Step = { name: string; state: string };

/** What an operation or a hand in the cluster took away is found and put back. */
describe('lost outputs of provisioning are made again', () => {
  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '100',
    STATUS_POLL_INTERVAL_MS: '3600000',
    DRIFT_CHECK_INTERVAL_MS: '1000',
  });
  const slugs: string[] = [];
  afterAll(() => dropTenantDatabases(slugs));

  const slug = (prefix: string) => {
    const s = uniqueSlug(prefix);
    slugs.push(s);
    return s;
  };
  const tenant = async (s: string) =>
    (await rest(server, 'GET', `/tenants/${s}`, undefined, server.headers)).body;
  const active = (s: string) =>
    eventually(async () => ((await tenant(s)).state === 'active' ? true : undefined), 20_000, `${s} active`);
  const deleteSecret = (s: string) => server.services.cluster.delete('Secret', 'v1', `tenant-${s}`);
  /** The tenant's role logs in with what its Secret says: the two agree. */
  const databaseWorks = async (s: string) => {
    const secret = await readTenantSecret(server.services.cluster, s);
    const client = new pg.Client({ connectionString: secret!.DATABASE_URL });
    await client.connect();
    await client.end();
    return true;
  };

  it('a Secret deleted mid-provisioning is made again, and the steps after it run again', async () => {
    const s = slug('lost-mid');
    // The handoff fails while the Secret is taken away behind the operation's back.
    server.tenantSim!.faults.set(s, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    expect((await rest(server, 'POST', '/tenants', { slug: s, name: s }, server.headers)).status).toBe(201);
    await eventually(
      async () =>
        ((await tenant(s)).operation?.steps as Step[] | undefined)?.find((x) => x.name === 'handoff')
          ?.state === 'failed',
      15_000,
      'handoff to fail',
    );
    await deleteSecret(s);
    server.tenantSim!.faults.clear(s);
    await active(s);
    const body = await tenant(s);
    expect(body.operation.steps.map((x: Step) => `${x.name}:${x.state}`)).toEqual(CREATE_STEPS_DONE);
    expect(await databaseWorks(s)).toBe(true);
  });

  it('after activation, a deleted Secret is reported as drift, on the tenant and in the dashboard, and repairTenant restores it', async () => {
    const s = slug('lost-after');
    await rest(server, 'POST', '/tenants', { slug: s, name: s }, server.headers);
    await active(s);
    await deleteSecret(s);
    const drifted = await eventually(
      async () => {
        const body = await tenant(s);
        return body.drift.length ? body : undefined;
      },
      10_000,
      'drift to be found',
    );
    expect(drifted.drift).toEqual([`Secret tenant-${s} is missing`]);
    const alerts = (
      await gql<{ dashboard: { alerts: { kind: string; slug: string }[] } }>(
        server,
        '{ dashboard { alerts(first: 100) { kind slug } } }',
      )
    ).body.data!.dashboard.alerts;
    expect(alerts).toContainEqual({ kind: 'DRIFT', slug: s });

    const repair = await rest(server, 'POST', `/tenants/${s}/repair`, undefined, server.headers);
    expect(repair.status, JSON.stringify(repair.body)).toBe(202);
    expect(repair.body.operation.kind).toBe('repair');
    await eventually(
      async () => ((await tenant(s)).operation.state === 'succeeded' ? true : undefined),
      15_000,
      'repair',
    );
    const repaired = await tenant(s);
    expect(repaired.state).toBe('active');
    expect(repaired.drift).toEqual([]);
    expect(await databaseWorks(s)).toBe(true);
    const audit = await rest(
      server,
      'GET',
      `/audit?action=tenant.repair.*&target_id=${s}`,
      undefined,
      server.headers,
    );
    expect(audit.body.entries.map((e: { action: string }) => e.action).sort()).toEqual([
      'tenant.repair.completed',
      'tenant.repair.requested',
    ]);
    const requested = audit.body.entries.find(
      (e: { action: string }) => e.action === 'tenant.repair.requested',
    );
    expect(requested.details.drift).toEqual([`Secret tenant-${s} is missing`]);
  });

  it('a lost registry entry is restored and the Secret’s values are kept', async () => {
    const s = slug('lost-key');
    await rest(server, 'POST', '/tenants', { slug: s, name: s }, server.headers);
    await active(s);
    const before = await readTenantSecret(server.services.cluster, s);
    await server.services.cluster.patchConfigMapKey(REGISTRY_CONFIGMAP, registryKey(s), null);
    await eventually(async () => ((await tenant(s)).drift.length ? true : undefined), 10_000, 'drift');
    expect((await tenant(s)).drift).toEqual(['its tenant-registry entry is missing']);
    await rest(server, 'POST', `/tenants/${s}/repair`, undefined, server.headers);
    await eventually(
      async () => ((await tenant(s)).operation.state === 'succeeded' ? true : undefined),
      15_000,
      'repair',
    );
    expect(await readTenantSecret(server.services.cluster, s)).toEqual(before);
    const registry = await server.services.cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    expect(registry?.data?.[registryKey(s)]).toContain(`"slug":"${s}"`);
  });

  it('a registry entry edited by hand is found out of date, naming the fields, and repair rewrites it', async () => {
    const s = slug('stale-key');
    await rest(server, 'POST', '/tenants', { slug: s, name: s }, server.headers);
    await active(s);
    const registry = await server.services.cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    const entry = JSON.parse(registry!.data![registryKey(s)]!);
    await server.services.cluster.patchConfigMapKey(
      REGISTRY_CONFIGMAP,
      registryKey(s),
      JSON.stringify({ ...entry, pool: 'nowhere', license: { user_cap: 999 } }),
    );
    await eventually(async () => ((await tenant(s)).drift.length ? true : undefined), 10_000, 'drift');
    expect((await tenant(s)).drift).toEqual(['its tenant-registry entry is out of date (pool, license)']);
    await rest(server, 'POST', `/tenants/${s}/repair`, undefined, server.headers);
    await eventually(
      async () => ((await tenant(s)).operation.state === 'succeeded' ? true : undefined),
      15_000,
      'repair',
    );
    const repaired = await server.services.cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    expect(JSON.parse(repaired!.data![registryKey(s)]!)).toEqual(entry);
  });

  it('refuses to repair an unknown tenant (404) and one that is not active (409), changing nothing', async () => {
    expect(
      (await rest(server, 'POST', '/tenants/no-such-tenant/repair', undefined, server.headers)).status,
    ).toBe(404);
    const s = slug('not-yet');
    server.tenantSim!.faults.set(s, { status: 400, endpoints: ['PUT /cp/v1/admin-password'] });
    await rest(server, 'POST', '/tenants', { slug: s, name: s }, server.headers);
    const refused = await rest(server, 'POST', `/tenants/${s}/repair`, undefined, server.headers);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TENANT_NOT_ACTIVE');
    expect((await tenant(s)).operation.kind).toBe('create');
    server.tenantSim!.faults.clear(s);
  });
});
