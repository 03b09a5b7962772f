import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP } from '../../../../../server/cluster/labels.ts';
import { readTenantState } from '../../../../../server/dev/tenant-sim/fixtures.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { crashAfterStep, killedBySigkill, useCrashHarness } from '../../../../support/crash-harness.ts';
import { eventually } from '../../../../support/kube.ts';
import { operatorToken } from '../../../../support/server.ts';
import { uniqueSlug } from '../../../../support/tenants.ts';

type Step = { name: string; state: string };
/** The body of PUT /cp/v1/worker-config as the backend stored it. */
type BackendWorkerConfig = {
  task_worker: { mode: string; concurrency: number };
  login_worker: { mode: string; url: string | null; max_concurrent: number };
  pool: string | null;
};
type OperationRow = { id: string; state: string; steps: Step[] };

/**
 * Kills the server (SIGKILL, via CP_FAULT_AFTER_STEP=workers:<step>) while it applies a change of
 * login worker, after the registry has the new settings and before the backend does, restarts it
 * without the hook, and checks that the reconciler finishes the change: the dedicated login
 * worker exists and the backend holds the new settings. The cluster simulator and the tenant
 * backend simulator run here, outside the server, so they outlive it as real ones would.
 */
describe('worker settings: a crash between registry and backend converges after a restart', () => {
  let headers: Record<string, string> | undefined;
  const slugs: string[] = [];
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-workers-crash-',
    reader: true,
    slugs,
    env: {
      DRIFT_CHECK_INTERVAL_MS: '3600000',
      // One server at a time: the restarted one resumes at once instead of waiting out a dead leader's lease.
      LEADER_ELECTION: 'false',
    },
  });
  const server = (fault?: string) => harness.start(crashAfterStep(fault));

  const call = async (url: string, method: string, path: string, body?: unknown) => {
    // The first server has migrated the database by now: an admin token can be made.
    headers ??= {
      authorization: `Bearer ${await operatorToken(harness.database.url, 'admin@test.local', 'admin')}`,
    };
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  /** The tenant's WORKERS operations, oldest first, read past the (possibly dead) server. */
  async function workerOperations(slug: string): Promise<OperationRow[]> {
    const { rows } = await harness.reader.query<OperationRow>(
      `select o.id, o.state, o.steps from tenant_operations o join tenants t on t.id = o.tenant_id
        where t.slug = $1 and o.kind = 'workers' order by o.created_at`,
      [slug],
    );
    return rows;
  }
  const registry = async (slug: string) =>
    JSON.parse(
      (await harness.client.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP))!.data![`${slug}.json`]!,
    );
  /** What the backend holds: the tenant simulator's worker_config row, read from the tenant's database. */
  const backendConfig = async (slug: string) =>
    ((await readTenantState((await readTenantSecret(harness.client, slug))!.DATABASE_URL!)).workerConfig ??
      null) as BackendWorkerConfig | null;
  const loginWorker = (slug: string) => ({
    deployment: harness.client.read<V1Deployment>('Deployment', 'apps/v1', `login-worker-${slug}`),
    service: harness.client.read('Service', 'v1', `login-worker-${slug}`),
  });

  it.each(['registry', 'login-worker'])(
    'killed right after "%s", the dedicated login worker and the backend follow once restarted',
    async (step) => {
      const slug = uniqueSlug(`wc-${step.slice(0, 5)}`);
      slugs.push(slug);
      const doomed = await server(`workers:${step}`);
      // Creating a tenant runs no WORKERS operation, so the hook leaves it alone.
      expect((await call(doomed.url, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
      await eventually(
        async () => (await call(doomed.url, 'GET', `/tenants/${slug}`)).body.state === 'active',
        20_000,
        `${slug} active`,
      );
      const before = await backendConfig(slug);
      expect(before?.login_worker?.mode).not.toBe('dedicated');

      // The process may die before it answers: that is the point.
      await call(doomed.url, 'PUT', `/tenants/${slug}/login-worker`, {
        mode: 'dedicated',
        max_concurrent: 9,
      }).catch(() => undefined);
      const exit = await doomed.exited;
      expect(killedBySigkill(exit), JSON.stringify(exit)).toBe(true);

      // Registry written, backend not, the operation left running after the step the hook named.
      const url = `http://login-worker-${slug}.justiam-mt.svc:8090`;
      expect(await registry(slug)).toMatchObject({
        login_worker: { mode: 'dedicated', url, max_concurrent: 9 },
      });
      expect(await backendConfig(slug)).toEqual(before);
      const [left] = await workerOperations(slug);
      expect(left!.state).toBe('running');
      const stepStates = left!.steps.map((s) => `${s.name}:${s.state}`);
      expect(stepStates).toEqual(
        step === 'registry'
          ? ['registry:done', 'login-worker:pending', 'backend:pending', 'cleanup:pending']
          : ['registry:done', 'login-worker:done', 'backend:pending', 'cleanup:pending'],
      );
      const made = loginWorker(slug);
      expect(Boolean(await made.deployment)).toBe(step === 'login-worker');

      const recovered = await server();
      try {
        const done = await eventually(
          async () => {
            const ops = await workerOperations(slug);
            return ops.length === 1 && ops[0]!.state === 'succeeded' ? ops[0] : undefined;
          },
          20_000,
          'the workers operation to succeed',
        );
        expect(done.id).toBe(left!.id);
        expect(done.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
          'registry:done',
          'login-worker:done',
          'backend:done',
          'cleanup:done',
        ]);
        const { deployment, service } = loginWorker(slug);
        expect((await deployment)?.metadata?.name).toBe(`login-worker-${slug}`);
        expect(await service).toBeDefined();
        expect(await backendConfig(slug)).toMatchObject({
          login_worker: { mode: 'dedicated', url, max_concurrent: 9 },
        });
        const shown = await call(recovered.url, 'GET', `/tenants/${slug}/worker-config`);
        expect(shown.body).toMatchObject({
          login_worker: { mode: 'dedicated', url, max_concurrent: 9 },
          operation: { kind: 'workers', state: 'succeeded', last_error: null },
        });
      } finally {
        await harness.stop(recovered);
      }
    },
    // Two server starts and a tenant creation each.
    45_000,
  );
});
