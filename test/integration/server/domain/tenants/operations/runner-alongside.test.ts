import type { V1ConfigMap } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP, registryKey } from '../../../../../../server/cluster/labels.ts';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../../../support/db.ts';
import { eventually } from '../../../../../support/kube.ts';
import { rest, startTestServer, type TestServer } from '../../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

type Step = {
  name: string;
  state: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
};

/**
 * Steps that need nothing from the step before them run beside it (`alongside`): the registry entry
 * is written while the database is created. Held here by a session that creates the tenant's role
 * in a transaction it keeps open, so the runner's CREATE ROLE waits on it.
 */
describe('operation runner: a step run beside another', () => {
  let database: TestDatabase;
  let server: TestServer;
  let blocker: pg.Client;
  let probe: pg.Client;
  const slugs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database.url, {
      RECONCILE_INTERVAL_MS: '100',
      STATUS_POLL_INTERVAL_MS: '3600000',
    });
    blocker = new pg.Client({ connectionString: serverUrl() });
    probe = new pg.Client({ connectionString: serverUrl() });
    await Promise.all([blocker.connect(), probe.connect()]);
  });
  afterAll(async () => {
    await blocker?.query('rollback').catch(() => {});
    await blocker?.end();
    await probe?.end();
    await server?.stop();
    await dropTenantDatabases(slugs);
    await database?.drop();
  });

  const operationOf = async (slug: string) => (await rest(server, 'GET', `/tenants/${slug}`)).body;
  const stepOf = (body: Record<string, any>, name: string): Step =>
    body.operation.steps.find((s: Step) => s.name === name);
  const registryEntry = async (slug: string) =>
    (await server.services.cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP))?.data?.[
      registryKey(slug)
    ];
  /** Holds the tenant's role in an open transaction; the runner's CREATE ROLE waits for it. */
  const holdRole = async (slug: string) => {
    await blocker.query('begin');
    await blocker.query(`create role ${pg.Client.prototype.escapeIdentifier(`tenant_${slug}`)}`);
  };
  /** The backend whose CREATE ROLE waits for the held role, once it does. */
  const waitingCreateRole = (slug: string) =>
    eventually(
      async () => {
        // Not through the blocker: inside its transaction it would see one snapshot of the activity.
        const { rows } = await probe.query<{ pid: number }>(
          `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like $1`,
          [`CREATE ROLE "tenant_${slug}"%`],
        );
        return rows[0]?.pid;
      },
      10_000,
      'CREATE ROLE waiting for the held role',
    );

  it('writes the registry entry while the database step is still running, and ends with every step done', async () => {
    const slug = uniqueSlug('beside');
    slugs.push(slug);
    await holdRole(slug);
    try {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
      await waitingCreateRole(slug);
      // The database step cannot end while its CREATE ROLE waits; the registry entry is there anyway.
      const entry = await eventually(() => registryEntry(slug), 10_000, 'registry entry written');
      expect(JSON.parse(entry)).toMatchObject({ slug, secret_name: `tenant-${slug}` });
      const during = await operationOf(slug);
      expect(during.state).toBe('provisioning');
      expect(stepOf(during, 'database').state).toBe('running');
      expect(stepOf(during, 'handoff').state).toBe('pending');
    } finally {
      await blocker.query('rollback');
    }
    const done = await eventually(
      async () => {
        const body = await operationOf(slug);
        return body.state === 'active' ? body : undefined;
      },
      15_000,
      'tenant active',
    );
    expect(done.operation.steps.map((s: Step) => `${s.name}:${s.state}`)).toEqual([
      'record:done',
      'secret:done',
      'database:done',
      'registry:done',
      'handoff:done',
      'license:done',
      'smtp:done',
    ]);
    expect(done.operation.attempts).toBe(0);
    // Its span is its own: started with the database step, finished before it.
    const [database, registry] = [stepOf(done, 'database'), stepOf(done, 'registry')];
    expect(Date.parse(registry.started_at!)).toBeLessThanOrEqual(Date.parse(database.finished_at!));
    expect(Date.parse(registry.finished_at!)).toBeLessThanOrEqual(Date.parse(database.finished_at!));
  }, 40_000);

  it('makes the database without waiting for the role: with the role held, it is there, owned by the administrator, and is the role’s in the end', async () => {
    const slug = uniqueSlug('beside');
    slugs.push(slug);
    const ownerOf = async () =>
      (
        await probe.query<{ owner: string }>(
          'select pg_get_userbyid(datdba) as owner from pg_database where datname = $1',
          [`tenant_${slug}`],
        )
      ).rows[0]?.owner;
    await holdRole(slug);
    try {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
      await waitingCreateRole(slug);
      // The role waits for the Secret (stored by now) and then for the held role; the database is made.
      expect(await eventually(ownerOf, 10_000, 'database made')).not.toBe(`tenant_${slug}`);
      expect(await server.services.cluster.read('Secret', 'v1', `tenant-${slug}`)).toBeTruthy();
    } finally {
      await blocker.query('rollback');
    }
    await eventually(async () => (await operationOf(slug)).state === 'active', 15_000, 'tenant active');
    expect(await ownerOf()).toBe(`tenant_${slug}`);
    const { rows } = await probe.query<{ acl: string | null }>(
      'select datacl::text as acl from pg_database where datname = $1',
      [`tenant_${slug}`],
    );
    // PUBLIC's default CONNECT and TEMP are gone: only the owner's own entry (and the administrator's) remain.
    expect(rows[0]!.acl).not.toMatch(/(^|[{,])=/);
  }, 40_000);

  it('when the step beside it fails, records the registry as not begun and runs it again in the next attempt', async () => {
    const slug = uniqueSlug('beside');
    slugs.push(slug);
    await holdRole(slug);
    let failed: Record<string, any>;
    try {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
      const pid = await waitingCreateRole(slug);
      await eventually(() => registryEntry(slug), 10_000, 'registry entry written');
      // The waiting CREATE ROLE is cancelled: the database step fails with the registry written.
      await probe.query('select pg_cancel_backend($1)', [pid]);
      failed = await eventually(
        async () => {
          const body = await operationOf(slug);
          return body.operation.attempts >= 1 ? body : undefined;
        },
        10_000,
        'the attempt recorded as failed',
      );
    } finally {
      await blocker.query('rollback').catch(() => {});
    }
    expect(stepOf(failed, 'database')).toMatchObject({ state: 'failed' });
    expect(stepOf(failed, 'database').error).toMatch(/cancel/i);
    // Written, but not reached by the runner: recorded as not begun, and run again.
    expect(stepOf(failed, 'registry')).toMatchObject({ state: 'pending', started_at: null });
    const done = await eventually(
      async () => {
        const body = await operationOf(slug);
        return body.state === 'active' ? body : undefined;
      },
      15_000,
      'tenant active',
    );
    expect(done.operation.steps.every((s: Step) => s.state === 'done')).toBe(true);
    expect(JSON.parse((await registryEntry(slug))!)).toMatchObject({ slug, name: slug });
  }, 40_000);
});
