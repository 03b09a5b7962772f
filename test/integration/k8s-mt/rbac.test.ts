import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig, type V1PolicyRule } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiAccess, type KubeSim, startKubeSim } from '../../../server/dev/kube-sim/index.ts';
import { resourceByKind } from '../../../server/dev/kube-sim/resources.ts';
import { startTenantSim, type TenantSim } from '../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../server/dev/tenant-sim/resolver.ts';
import { testPgTools } from '../../support/backups.ts';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { type Access, backendRole, ruleAllows } from '../../support/k8s-mt.ts';
import { eventually } from '../../support/kube.ts';
import { jwks, mint, testSigner } from '../../support/license.ts';
import { rest, startTestServer, type TestServer } from '../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../support/tenants.ts';

const { tools } = await testPgTools();

type ServiceSpec = { ports?: { port?: number }[] } | undefined;

const NS = 'justiam-mt';
/** The control plane's bearer token in its kubeconfig: how its requests are told from the tenant simulator's. */
const CP_TOKEN = 'justiam-control-plane';

/**
 * The Role in k8s-mt/cp-backend.yaml grants exactly what the control plane uses. The control plane
 * runs against the cluster simulator, which records every request it gets (verb, group, resource,
 * subresource, namespace, name, as RBAC sees them), through every path that reaches Kubernetes:
 * leader election, the informers, tenant create / repair / rotation / delete, dedicated login
 * workers, the shared agent pool, license sync (CP tokens) and the infrastructure page. Objects it
 * made are changed behind its back where that is what makes it update rather than create. Then: each
 * recorded request must be allowed by a rule, and each verb of each rule must have been used.
 */
describe('the CP Backend Role against what the control plane does', () => {
  let sim: KubeSim;
  let tenantSim: TenantSim;
  let database: TestDatabase;
  let server: TestServer | undefined;
  let dir: string;
  const accesses: ApiAccess[] = [];
  const slug = uniqueSlug('rb');
  // License sync lists the tenant Secrets once 16 tenants need their CP token (else it reads each).
  const others = Array.from({ length: 15 }, () => uniqueSlug('rb'));
  const signer = testSigner('rbac-key');

  beforeAll(async () => {
    // Backup Jobs really run: pg_dump from the machine's PostgreSQL client, into BACKUP_DIR.
    sim = await startKubeSim({
      podStartDelayMs: 10,
      onAccess: (a) => accesses.push(a),
      runJobs: { path: `${tools ? dirname(tools.pgDump) : '/nonexistent'}:/usr/bin:/bin` },
    });
    dir = await mkdtemp(join(tmpdir(), 'cp-rbac-'));
    await sim.writeKubeconfig(join(dir, 'cp.kubeconfig'), { namespace: NS, token: CP_TOKEN });
    await sim.writeKubeconfig(join(dir, 'tenant-sim.kubeconfig'), { namespace: NS, token: 'tenant-sim' });
    const tenantKube = new KubeConfig();
    tenantKube.loadFromFile(join(dir, 'tenant-sim.kubeconfig'));
    tenantSim = await startTenantSim({ resolveTenant: secretResolver(tenantKube, NS), maxPools: 4 });
    database = await createTestDatabase();
    server = await startTestServer(database.url, {
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: join(dir, 'cp.kubeconfig'),
      TENANT_API_URL: tenantSim.baseUrlTemplate,
      LICENSE_PUBLIC_KEYS: jwks(signer),
      LEADER_LEASE_SECONDS: '3',
      RECONCILE_INTERVAL_MS: '500',
      BACKUP_RUNNER: 'job',
      BACKUP_DIR: join(dir, 'backups'),
    });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await tenantSim?.stop();
    await sim?.stop();
    await database?.drop();
    await dropTenantDatabases([slug, ...others]);
    await rm(dir, { recursive: true, force: true });
  });

  /** Changes an object in the cluster as another writer would (not through the control plane). */
  function tamper(kind: string, name: string, change: (o: Record<string, any>) => void) {
    const rt = resourceByKind(kind);
    const current = sim.store.get(rt, NS, name);
    if (!current) throw new Error(`${kind} ${name} does not exist`);
    const next = structuredClone(current) as Record<string, any>;
    change(next);
    sim.store.update(rt, next as typeof current);
  }

  /** Calls a route again while the tenant's previous operation is still under way. */
  const whenFree = (method: string, path: string, body?: unknown) =>
    eventually(
      async () => {
        const res = await rest(server!, method, path, body);
        return res.body.error?.code === 'OPERATION_IN_PROGRESS' ? undefined : res;
      },
      15_000,
      `${method} ${path} once no operation runs`,
    );
  const tenant = async () => (await rest(server!, 'GET', `/tenants/${slug}`)).body;
  const workersSettled = (mode: string) =>
    eventually(
      async () => {
        const w = (await rest(server!, 'GET', `/tenants/${slug}/worker-config`)).body;
        return w.operation?.state === 'succeeded' && w.login_worker.mode === mode ? w : undefined;
      },
      15_000,
      `login worker ${mode}`,
    );

  it('runs every path that reaches Kubernetes', async () => {
    const s = server!;
    // Leader election and the informers.
    await eventually(() => s.services.leadership.isLeader(), 10_000, 'leadership');
    await eventually(
      async () => (await rest(s, 'GET', '/infrastructure')).status === 200,
      10_000,
      'infrastructure page',
    );

    // A tenant: Secret, registry key, database.
    expect((await rest(s, 'POST', '/tenants', { slug, name: slug, admin_email: null })).status).toBe(201);
    await eventually(async () => (await tenant()).state === 'active', 20_000, 'tenant active');

    // A backup by the job runner: its Job made, followed with its pod, deleted once done.
    const backup = await rest(s, 'POST', `/tenants/${slug}/backups`);
    expect(backup.status, JSON.stringify(backup.body)).toBe(202);
    await s.services.backups.runs.idle();
    const done = (await rest(s, 'GET', `/tenants/${slug}/backups/${backup.body.id}`)).body;
    // Without a pg_dump on this machine the Job fails, through the same calls.
    if (tools) expect(done, JSON.stringify(done)).toMatchObject({ state: 'succeeded' });
    else expect(done.state).toBe('failed');

    // Repair after someone changed its Secret: the Secret is brought back (read, then replaced).
    tamper('Secret', `tenant-${slug}`, (o) => {
      o.metadata.labels = { ...o.metadata.labels, 'app.kubernetes.io/managed-by': 'someone-else' };
    });
    expect((await rest(s, 'POST', `/tenants/${slug}/repair`)).status).toBe(202);
    await eventually(
      () =>
        sim.store.get(resourceByKind('Secret'), NS, `tenant-${slug}`)?.metadata.labels?.[
          'app.kubernetes.io/managed-by'
        ] === 'justiam-control-plane',
      15_000,
      'Secret repaired',
    );

    // A dedicated login worker: Deployment and Service made, then brought back after a change.
    const dedicated = await whenFree('PUT', `/tenants/${slug}/login-worker`, {
      mode: 'dedicated',
      max_concurrent: 4,
    });
    expect(dedicated.status, JSON.stringify(dedicated.body)).toBe(200);
    await workersSettled('dedicated');
    tamper('Deployment', `login-worker-${slug}`, (o) => {
      o.spec.template.spec.containers[0].image = 'elsewhere/login-worker:0';
    });
    tamper('Service', `login-worker-${slug}`, (o) => {
      o.spec.ports[0].port = 9999;
    });
    expect(
      (await whenFree('PUT', `/tenants/${slug}/login-worker`, { mode: 'dedicated', max_concurrent: 6 }))
        .status,
    ).toBe(200);
    await eventually(
      async () =>
        (await rest(s, 'GET', `/tenants/${slug}/worker-config`)).body.login_worker.max_concurrent === 6 &&
        (sim.store.get(resourceByKind('Service'), NS, `login-worker-${slug}`)?.spec as ServiceSpec)
          ?.ports?.[0]?.port !== 9999,
      15_000,
      'login worker brought back',
    );
    // Rotation: the Secret is patched, the worker restarted onto the new token.
    expect((await whenFree('POST', `/tenants/${slug}/secrets/login-worker-token/rotate`)).status).toBe(200);
    expect((await whenFree('PUT', `/tenants/${slug}/login-worker`, { mode: 'shared' })).status).toBe(200);
    await workersSettled('shared');

    // The shared agent pool: key Secret and Deployment, scaled, key rotated.
    expect((await rest(s, 'POST', '/shared-agent-pool/init')).status).toBe(200);
    expect((await rest(s, 'POST', '/shared-agent-pool/scale', { replicas: 3 })).status).toBe(200);
    expect((await rest(s, 'POST', '/shared-agent-pool/rotate-key')).status).toBe(200);

    // A worker upgrade: the agent Deployments listed, each image rewritten, the rollout followed.
    const upgrade = await rest(s, 'POST', '/infrastructure/upgrades', {
      component: 'agent',
      version: '9.1.0',
    });
    expect(upgrade.status).toBe(202);
    await eventually(
      async () =>
        (await rest(s, 'GET', `/infrastructure/upgrades/${upgrade.body.id}`)).body.state === 'succeeded',
      30_000,
      'agent upgrade rolled out',
    );

    // A license, fanned out to every tenant with its CP token (listed from the tenant Secrets).
    for (const other of others) {
      expect(
        (await rest(s, 'POST', '/tenants', { slug: other, name: other, admin_email: null })).status,
      ).toBe(201);
    }
    await eventually(
      async () =>
        (await rest(s, 'GET', '/tenants?first=50')).body.tenants?.filter(
          (t: { state: string }) => t.state === 'active',
        ).length === 16,
      60_000,
      '16 tenants active',
    );
    expect((await rest(s, 'POST', '/license', { license: await mint(signer) })).status).toBe(200);
    await eventually(
      async () => (await rest(s, 'GET', '/license')).body.sync?.synced === 16,
      15_000,
      'license synced',
    );

    // Deletion: Secret and registry key go.
    expect((await whenFree('DELETE', `/tenants/${slug}`, { confirm: slug })).status).toBe(202);
    await eventually(
      async () => (await rest(s, 'GET', `/tenants/${slug}`)).status === 404,
      20_000,
      'deleted',
    );

    // Shutdown releases the Lease.
    await s.stop();
    server = undefined;
  }, 120_000);

  it('the Role allows every request the control plane made, in its namespace only', () => {
    const mine = accesses.filter((a) => a.user === CP_TOKEN);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((a) => a.namespace !== NS)).toEqual([]);
    const rules = backendRole().rules ?? [];
    const refused = unique(mine.filter((a) => !rules.some((r) => ruleAllows(r, a))).map(describeAccess));
    expect(refused, 'requests the Role does not allow').toEqual([]);
  });

  it('every verb the Role grants was used', () => {
    const mine = accesses.filter((a) => a.user === CP_TOKEN);
    const unused = (backendRole().rules ?? []).flatMap((rule) =>
      grants(rule)
        .filter((g) => !mine.some((a) => ruleAllows({ ...rule, verbs: [g.verb] }, a) && matches(g, a)))
        .map(describeAccess),
    );
    expect(unused, 'granted but never used').toEqual([]);
  });
});

/** Each (verb, resource, name) a rule grants, one by one. */
function grants(rule: V1PolicyRule): Access[] {
  return (rule.apiGroups ?? []).flatMap((group) =>
    (rule.resources ?? []).flatMap((full) => {
      const [resource, subresource] = full.split('/') as [string, string | undefined];
      return rule.verbs.flatMap((verb) =>
        (rule.resourceNames?.length ? rule.resourceNames : [undefined]).map((name) => ({
          verb,
          group,
          resource,
          ...(subresource ? { subresource } : {}),
          ...(name ? { name } : {}),
        })),
      );
    }),
  );
}

function matches(grant: Access, access: Access): boolean {
  return (
    grant.verb === access.verb &&
    grant.group === access.group &&
    grant.resource === access.resource &&
    grant.subresource === access.subresource &&
    (grant.name === undefined || grant.name === access.name)
  );
}

function describeAccess(a: Access): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return `${a.verb} ${a.group || 'core'}/${resource}${a.name ? ` (${a.name})` : ''}`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)].sort();
}
