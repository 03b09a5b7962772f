import type { V1ConfigMap } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_CONFIGMAP, registryKey } from '../../../../../../server/cluster/labels.ts';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../../../support/db.ts';
import { eventually } from '../../../../../support/kube.ts';
import { rest, startTestServer, type TestServer } from '../../../../../support/server.ts';
import { CREATE_STEPS_DONE, dropTenantDatabases, uniqueSlug } from '../../../../../support/tenants.ts';

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
  /** The tenant as REST shows it, once `ready` holds of it. */
  const tenantOnce = (
    slug: string,
    ready: (body: Record<string, any>) => boolean,
    what: string,
    ms: number,
  ) =>
    eventually(
      async () => {
        const body = await operationOf(slug);
        return ready(body) ? body : undefined;
      },
      ms,
      what,
    );
  const activeTenant = (slug: string) =>
    tenantOnce(slug, (b) => b.state === 'active', 'tenant active', 15_000);
  const afterFailedAttempt = (slug: string) =>
    tenantOnce(slug, (b) => b.operation.attempts >= 1, 'the attempt recorded as failed', 10_000);
  const stepOf = (body: Record<string, any>, name: string): Step =>
    body.operation.steps.find((s: Step) => s.name === name);
  const registryEntry = async (slug: string) =>
    (await server.services.cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP))?.data?.[
      registryKey(slug)
    ];
  /** Holds the tenant's role in an open transaction; the runner's CREATE ROLE waits for it. */
  const holdRole = async (slug: string) => {
    await blocker.query('begin');
    await blocker.query(`create role ${pg.escapeIdentifier(`tenant_${slug}`)}`);
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
    const done = await activeTenant(slug);
    expect(done.operation.steps.map((s: Step) => `${s.name}:${s.state}`)).toEqual(CREATE_STEPS_DONE);
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
    // Who may connect: PUBLIC's entries (grantee 0) and whether the tenant's role has one; a null
    // ACL is PostgreSQL's default, in which PUBLIC may connect.
    const accessOf = async () =>
      (
        await probe.query<{ defaults: boolean; public: number; role: boolean }>(
          `select datacl is null as defaults,
                  (select count(*)::int from aclexplode(datacl) where grantee = 0) as public,
                  coalesce((select bool_or(pg_get_userbyid(grantee) = datname) from aclexplode(datacl)), false) as role
             from pg_database where datname = $1`,
          [`tenant_${slug}`],
        )
      ).rows[0];
    await holdRole(slug);
    try {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
      await waitingCreateRole(slug);
      // The role waits for the Secret (stored by now) and then for the held role; the database is made.
      expect(await eventually(ownerOf, 10_000, 'database made')).not.toBe(`tenant_${slug}`);
      expect(await server.services.cluster.read('Secret', 'v1', `tenant-${slug}`)).toBeTruthy();
      // Already closed to other roles.
      expect(await accessOf()).toMatchObject({ defaults: false, public: 0 });
    } finally {
      await blocker.query('rollback');
    }
    await activeTenant(slug);
    expect(await ownerOf()).toBe(`tenant_${slug}`);
    // PUBLIC's default CONNECT and TEMP stay gone under the new owner, who has its own entry.
    expect(await accessOf()).toEqual({ defaults: false, public: 0, role: true });
  }, 40_000);

  it('a database that cannot be made while the role still waits fails the step, and the server carries on', async () => {
    const slug = uniqueSlug('beside');
    slugs.push(slug);
    const name = `tenant_${slug}`;
    // The blocker renames a scratch database to the tenant's name in its open transaction: the
    // step's CREATE DATABASE then waits on it (and is cancelled below), while CREATE ROLE waits on
    // the held role. Only names of this test are involved.
    const scratch = `cp_scratch_${slug.replace(/-/g, '_')}`;
    await probe.query(`create database ${pg.escapeIdentifier(scratch)}`);
    try {
      await holdRole(slug);
      await blocker.query(
        `alter database ${pg.escapeIdentifier(scratch)} rename to ${pg.escapeIdentifier(name)}`,
      );
      try {
        expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
        await waitingCreateRole(slug);
        const creating = await eventually(
          async () =>
            (
              await probe.query<{ pid: number }>(
                `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like $1`,
                [`CREATE DATABASE "${name}"%`],
              )
            ).rows[0]?.pid,
          10_000,
          'CREATE DATABASE waiting',
        );
        // It fails while the role is still held: its failure must reach the step, not the process.
        await probe.query('select pg_cancel_backend($1)', [creating]);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await blocker.query('rollback');
      }
      const failed = await afterFailedAttempt(slug);
      expect(stepOf(failed, 'database')).toMatchObject({ state: 'failed' });
      expect(stepOf(failed, 'database').error).toMatch(/cancel/i);
      // The next attempt makes it.
      await activeTenant(slug);
    } finally {
      await probe.query(`drop database if exists ${pg.escapeIdentifier(scratch)}`);
    }
  }, 60_000);

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
      failed = await afterFailedAttempt(slug);
    } finally {
      await blocker.query('rollback').catch(() => {});
    }
    expect(stepOf(failed, 'database')).toMatchObject({ state: 'failed' });
    expect(stepOf(failed, 'database').error).toMatch(/cancel/i);
    // Written, but not reached by the runner: recorded as not begun, and run again.
    expect(stepOf(failed, 'registry')).toMatchObject({ state: 'pending', started_at: null });
    const done = await activeTenant(slug);
    expect(done.operation.steps.every((s: Step) => s.state === 'done')).toBe(true);
    expect(JSON.parse((await registryEntry(slug))!)).toMatchObject({ slug, name: slug });
  }, 40_000);
});
