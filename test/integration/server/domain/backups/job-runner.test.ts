import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { V1Job, V1Pod, V1Secret } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { backupJob, backupJobName } from '../../../../../server/cluster/resources.ts';
import { SYSTEM_ACTOR } from '../../../../../server/domain/actor.ts';
import { createTenantBackup } from '../../../../../server/domain/backups/backups.ts';
import { createJobRunner } from '../../../../../server/domain/backups/job-runner.ts';
import { countRows } from '../../../../../server/domain/backups/pg-process.ts';
import { libpqEnv } from '../../../../../server/domain/backups/pg-tools.ts';
import type { BackupServices } from '../../../../../server/domain/backups/services.ts';
import { partialFiles } from '../../../../../server/domain/backups/storage.ts';
import { onDatabase, run, testPgTools } from '../../../../support/backups.ts';
import { serverUrl } from '../../../../support/db.ts';
import { eventually } from '../../../../support/kube.ts';
import { rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const { tools } = await testPgTools();
const backupDir = mkdtempSync(join(tmpdir(), 'cp-backup-jobs-'));

/**
 * The `job` runner on a real control plane: the cluster simulator runs each backup Job's container
 * (`pg_dump`, from the machine's PostgreSQL client found first on KUBE_SIM_JOB_PATH) as a process,
 * with the tenant's DATABASE_URL from its Secret, writing into BACKUP_DIR; the control plane
 * follows the Job and finishes the backup as the local runner does.
 */
describe.skipIf(!tools)('backups run by Kubernetes Jobs', () => {
  const slugs: string[] = [];
  const server = useTestServer({
    BACKUP_RUNNER: 'job',
    BACKUP_DIR: backupDir,
    KUBE_SIM_JOB_PATH: `${tools ? dirname(tools.pgDump) : '/nonexistent'}:/usr/bin:/bin`,
    KUBE_SIM_POD_DELAY_MS: '50',
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '3600000',
  });
  afterAll(async () => {
    await dropTenantDatabases(slugs);
    await rm(backupDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown) => rest(server, method, path, body);

  /** An active tenant with rows in a plain table, a table of another schema and a partitioned one. */
  async function activeTenant(prefix: string, rows = 2000): Promise<{ slug: string; id: string }> {
    const slug = uniqueSlug(prefix);
    slugs.push(slug);
    expect((await call('POST', '/tenants', { slug, name: `Tenant ${slug}` })).status).toBe(201);
    await eventually(
      async () => (await call('GET', `/tenants/${slug}`)).body.state === 'active',
      15_000,
      'active',
    );
    await onDatabase(`tenant_${slug}`, async (c) => {
      // As its backend would: the tenant's role owns what is in its database.
      await c.query(`set role "tenant_${slug}"`);
      await c.query('create table backup_rows (id int primary key, note text not null)');
      await c.query(`insert into backup_rows select g, md5(g::text) from generate_series(1, $1) g`, [rows]);
      await c.query('create schema app');
      await c.query('create table app.items (id serial primary key, name text)');
      await c.query(`insert into app.items (name) select 'item ' || g from generate_series(1, 17) g`);
      await c.query('create table parts (id int not null, v text) partition by range (id)');
      await c.query('create table parts_1 partition of parts for values from (0) to (1000)');
      await c.query(`insert into parts select g, 'v' from generate_series(1, 300) g`);
    });
    const { id } = await server.services.db
      .selectFrom('tenants')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    return { slug, id };
  }

  /**
   * Holds an exclusive lock on the partitioned parent table (ONLY: not its partition), which the
   * row count does not touch (it counts the partition) and pg_dump does: a pg_dump started after
   * this waits for it, mid-way, until `release`.
   */
  async function blockPgDump(slug: string) {
    const url = new URL(serverUrl());
    url.pathname = `/tenant_${slug}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query('begin');
    await client.query('lock table only public.parts in access exclusive mode');
    return {
      async release() {
        await client.query('rollback').catch(() => {});
        await client.end();
      },
    };
  }

  const jobOf = (backupId: string) =>
    server.services.cluster.read<V1Job>('Job', 'batch/v1', backupJobName(backupId));
  const podsOf = (backupId: string) =>
    server.services.cluster.list<V1Pod>('Pod', 'v1', `justiam.io/backup=${backupId}`);
  const podRunning = (backupId: string) =>
    eventually(
      async () => (await podsOf(backupId)).find((p) => p.status?.phase === 'Running'),
      10_000,
      'the backup pod running',
    );

  async function settled(slug: string, id: string) {
    await server.services.backups.runs.idle();
    return (await call('GET', `/tenants/${slug}/backups/${id}`)).body;
  }

  /** A verification by Job leaves no Job, pod, Secret, role or scratch database behind. */
  async function expectNoVerificationLeft(backupId: string) {
    const name = `backup-verify-${backupId}`;
    expect(await server.services.cluster.read('Job', 'batch/v1', name)).toBeUndefined();
    expect(await server.services.cluster.list('Pod', 'v1', `job-name=${name}`)).toEqual([]);
    expect(await server.services.cluster.read('Secret', 'v1', name)).toBeUndefined();
    const scratch = `backup_verify_${backupId.replace(/-/g, '')}`;
    const left = await onDatabase('postgres', (c) =>
      c.query(
        'select 1 from pg_roles where rolname = $1 union all select 1 from pg_database where datname = $1',
        [scratch],
      ),
    );
    expect(left.rows).toEqual([]);
  }

  async function expectNoFile(tenantId: string, backupId: string) {
    expect(await stat(join(backupDir, tenantId, `${backupId}.dump`)).catch(() => null)).toBeNull();
    expect(await partialFiles(backupDir)).toEqual([]);
    expect(await jobOf(backupId)).toBeUndefined();
    expect(await podsOf(backupId)).toEqual([]);
  }

  it('a Job dumps the tenant: the right sha256 and size, verified, and pg_restore brings every row back', async () => {
    const { slug, id: tenantId } = await activeTenant('jb');
    const before = await onDatabase(`tenant_${slug}`, (c) => countRows(c));
    expect(before['public.backup_rows']).toBe(2000);

    const started = await call('POST', `/tenants/${slug}/backups`);
    expect(started.status).toBe(202);
    const backup = await settled(slug, started.body.id);
    expect(backup).toMatchObject({ state: 'succeeded', verification: 'passed', error: null });
    expect(backup.pg_dump_version).toBe(tools!.version);
    expect(backup.tables).toEqual(
      Object.entries(before)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([table, rows]) => ({ table, rows })),
    );

    // The file the Job's pg_dump wrote, renamed into place by the control plane.
    const path = join(backupDir, tenantId, `${backup.id}.dump`);
    const bytes = await readFile(path);
    expect(bytes.length).toBe(backup.size_bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(backup.sha256);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await partialFiles(backupDir)).toEqual([]);
    const download = await fetch(`${server.url}/tenants/${slug}/backups/${backup.id}/download`, {
      headers: server.headers,
    });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    // Its Job is gone once the result is recorded.
    expect(await jobOf(backup.id)).toBeUndefined();
    expect(await podsOf(backup.id)).toEqual([]);

    const target = `restore_${slug.replace(/-/g, '_')}`;
    const file = join(backupDir, `restore-${slug}.dump`);
    await writeFile(file, bytes);
    await onDatabase('postgres', (c) => c.query(`create database "${target}"`));
    try {
      await run(
        tools!.pgRestore,
        ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', target, file],
        {
          env: libpqEnv(serverUrl(), target),
        },
      );
      expect(await onDatabase(target, (c) => countRows(c))).toEqual(before);
    } finally {
      await onDatabase('postgres', (c) => c.query(`drop database if exists "${target}" with (force)`));
      await rm(file, { force: true });
    }
    const audit = await server.services.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', slug)
      .where('action', 'like', 'tenant.backup.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'tenant.backup.requested',
      'tenant.backup.completed',
      'tenant.backup.verified',
      'tenant.backup.downloaded',
    ]);
    // Verified by pg_restore in a Job too, as a role of its own, whose Secret and role are gone.
    expect(server.logs.some((l) => l.includes(`backup-verify-${backup.id}`))).toBe(true);
    await expectNoVerificationLeft(backup.id);
  });

  it('verification by a Job: a file that does not restore fails it with pg_restore’s text; what it made is gone', async () => {
    const { slug, id: tenantId } = await activeTenant('jbver', 100);
    const started = await call('POST', `/tenants/${slug}/backups`);
    const backup = await settled(slug, started.body.id);
    expect(backup).toMatchObject({ state: 'succeeded', verification: 'passed' });
    // Cut short, its recorded sha256 made to match: the checksum passes, pg_restore fails.
    const path = join(backupDir, tenantId, `${backup.id}.dump`);
    const cut = (await readFile(path)).subarray(0, 600);
    await writeFile(path, cut);
    await server.services.db
      .updateTable('tenant_backups')
      .set({ sha256: createHash('sha256').update(cut).digest('hex') })
      .where('id', '=', backup.id)
      .execute();
    expect((await call('POST', `/tenants/${slug}/backups/${backup.id}/verify`)).status).toBe(202);
    const after = await settled(slug, backup.id);
    expect(after.verification).toBe('failed');
    expect(after.verify_error).toMatch(
      /^the file does not restore: the verification Job failed: pg_restore exited with code 1: pg_restore: error: /,
    );
    await expectNoVerificationLeft(backup.id);
  });

  it('a verification left running by a crashed control plane: the leader round deletes its Job, Secret and role', async () => {
    const { slug, id: tenantId } = await activeTenant('jbvcrash', 10);
    const started = await call('POST', `/tenants/${slug}/backups`);
    const backup = await settled(slug, started.body.id);
    expect(backup.verification).toBe('passed');
    const scratch = `backup_verify_${backup.id.replace(/-/g, '')}`;
    // What a process killed while its verification Job ran leaves: the role, the Secret, the Job.
    await onDatabase('postgres', (c) => c.query(`create role "${scratch}" login`));
    const { backupVerifyJob, backupVerifySecret } = await import(
      '../../../../../server/cluster/resources.ts'
    );
    const cluster = server.services.cluster;
    await cluster.createIfMissing(
      backupVerifySecret(cluster.namespace, slug, backup.id, 'postgres://x@127.0.0.1:1/x'),
    );
    await cluster.createIfMissing(
      backupVerifyJob({
        namespace: cluster.namespace,
        slug,
        backupId: backup.id,
        image: 'postgres:15.17-bookworm',
        folder: join(backupDir, tenantId),
        subPath: tenantId,
        file: join(backupDir, tenantId, 'missing.dump'),
        volumeClaim: 'justiam-cp-backups',
        deadlineSeconds: 3600,
        runAsUser: 10001,
        runAsGroup: 10001,
      }),
    );
    await server.services.db
      .updateTable('tenant_backups')
      .set({ verify_state: 'running' })
      .where('id', '=', backup.id)
      .execute();
    await eventually(
      async () => (await call('GET', `/tenants/${slug}/backups/${backup.id}`)).body.verification === 'failed',
      15_000,
      'the verification ended by the leader round',
    );
    expect((await call('GET', `/tenants/${slug}/backups/${backup.id}`)).body.verify_error).toMatch(
      /^interrupted/,
    );
    await expectNoVerificationLeft(backup.id);
  });

  it('the Job: the tenant’s own credentials from its Secret, the volume at BACKUP_DIR, one attempt, a deadline; its pod deleted mid-way: failed, no file', async () => {
    const { slug, id: tenantId } = await activeTenant('jbspec', 10);
    const lock = await blockPgDump(slug);
    try {
      const started = await call('POST', `/tenants/${slug}/backups`);
      expect(started.status).toBe(202);
      const pod = await podRunning(started.body.id);
      const job = (await jobOf(started.body.id))!;
      const spec = job.spec!;
      const container = spec.template.spec!.containers[0]!;
      expect(job.metadata?.labels).toMatchObject({
        'justiam.io/tenant': slug,
        'justiam.io/backup': started.body.id,
        'app.kubernetes.io/name': 'justiam-backup',
      });
      expect(spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3600 });
      expect(spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
      expect(spec.template.spec).toMatchObject({
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
      });
      expect(spec.template.spec!.securityContext?.runAsNonRoot).toBe(true);
      expect(container.image).toBe('postgres:15.17-bookworm');
      expect(container.command).toEqual(['pg_dump']);
      expect(container.args).toEqual([
        '--format=custom',
        expect.stringMatching(/^--snapshot=[0-9A-F]+-[0-9A-F]+-\d+$/),
        '--no-password',
        `--file=${join(backupDir, tenantId, `${started.body.id}.dump.partial`)}`,
        '--dbname=$(DATABASE_URL)',
      ]);
      expect(container.terminationMessagePolicy).toBe('FallbackToLogsOnError');
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.resources?.limits?.memory).toBeDefined();
      expect(container.volumeMounts).toEqual([
        { name: 'backups', mountPath: join(backupDir, tenantId), subPath: tenantId },
      ]);
      expect(spec.template.spec!.volumes).toEqual([
        { name: 'backups', persistentVolumeClaim: { claimName: 'justiam-cp-backups' } },
      ]);
      // Credentials: the tenant's DATABASE_URL from its Secret, nothing else; no value carries a URL.
      expect(container.env?.find((e) => e.name === 'DATABASE_URL')).toEqual({
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: `tenant-${slug}`, key: 'DATABASE_URL' } },
      });
      expect(container.envFrom).toBeUndefined();
      const text = JSON.stringify(job);
      expect(text).not.toMatch(/postgres(ql)?:\/\//);
      // No admin credentials: neither the admin user as a user of anything (the image name
      // `postgres:15…` may well contain the word when the admin user is `postgres`), nor its password.
      const admin = new URL(serverUrl());
      expect(text).not.toMatch(new RegExp(`(user=|"|/|:)${admin.username}@`));
      expect(text).not.toMatch(/"(PGUSER|PGPASSWORD)"/);
      if (admin.password) expect(text).not.toContain(decodeURIComponent(admin.password));

      // pg_dump waits for the lock, its partial file made: delete its pod.
      await eventually(async () => (await partialFiles(backupDir)).length === 1, 5000, 'the partial file');
      await server.services.cluster.delete('Pod', 'v1', pod.metadata!.name!);
      const backup = await settled(slug, started.body.id);
      expect(backup).toMatchObject({ state: 'failed', size_bytes: null, sha256: null });
      expect(backup.error).toBe('the backup Job failed: its pod was deleted before pg_dump finished');
      await expectNoFile(tenantId, backup.id);
      expect((await call('GET', `/tenants/${slug}/backups/${backup.id}/download`)).status).toBe(404);
    } finally {
      await lock.release();
    }
  });

  it('a pg_dump that fails (a database that does not exist) ends failed with its error text, and no file', async () => {
    const { slug, id: tenantId } = await activeTenant('jbfail', 10);
    const name = `tenant-${slug}`;
    const secret = (await server.services.cluster.read<V1Secret>('Secret', 'v1', name))!;
    const original = secret.data!.DATABASE_URL!;
    const wrong = new URL(Buffer.from(original, 'base64').toString());
    wrong.pathname = '/tenant_nothing_here';
    await server.services.cluster.mergePatch('Secret', 'v1', name, {
      data: { DATABASE_URL: Buffer.from(wrong.toString()).toString('base64') },
    });
    try {
      const started = await call('POST', `/tenants/${slug}/backups`);
      expect(started.status).toBe(202);
      const backup = await settled(slug, started.body.id);
      expect(backup).toMatchObject({ state: 'failed', size_bytes: null, sha256: null });
      expect(backup.error).toMatch(
        /^the backup Job failed: pg_dump exited with code 1: pg_dump: error: connection to server .*database "tenant_nothing_here" does not exist/s,
      );
      await expectNoFile(tenantId, backup.id);
      const failed = await server.services.db
        .selectFrom('audit_log')
        .select('details')
        .where('target_id', '=', slug)
        .where('action', '=', 'tenant.backup.failed')
        .executeTakeFirstOrThrow();
      expect(failed.details).toMatchObject({ backupId: backup.id });
    } finally {
      await server.services.cluster.mergePatch('Secret', 'v1', name, { data: { DATABASE_URL: original } });
    }
  });

  it('a Job whose container cannot start (its Secret lacks DATABASE_URL) fails at once, saying why', async () => {
    const { slug, id: tenantId } = await activeTenant('jbcfg', 10);
    const name = `tenant-${slug}`;
    const original = (await server.services.cluster.read<V1Secret>('Secret', 'v1', name))!.data!
      .DATABASE_URL!;
    await server.services.cluster.mergePatch('Secret', 'v1', name, { data: { DATABASE_URL: null } });
    try {
      const started = await call('POST', `/tenants/${slug}/backups`);
      expect(started.status).toBe(202);
      const backup = await settled(slug, started.body.id);
      expect(backup.state).toBe('failed');
      expect(backup.error).toBe(
        `the backup Job's container cannot start (CreateContainerConfigError): couldn't find key DATABASE_URL in Secret justiam-mt/${name}`,
      );
      await expectNoFile(tenantId, backup.id);
    } finally {
      await server.services.cluster.mergePatch('Secret', 'v1', name, { data: { DATABASE_URL: original } });
    }
  });

  it('a Job that runs past its deadline is stopped: failed, no file', async () => {
    const { slug, id: tenantId } = await activeTenant('jbslow', 10);
    const backups = server.services.backups;
    // The same services with a 2-second deadline (BACKUP_JOB_DEADLINE_SECONDS=2).
    const quick: BackupServices = {
      ...backups,
      runner: createJobRunner({
        cluster: server.services.cluster,
        storage: backups.storage,
        settings: { ...backups.settings.job, deadlineSeconds: 2 },
        logger: backups.logger,
        admin: backups.admin,
        adminUrl: backups.adminUrl,
        databaseHost: undefined,
      }),
    };
    const lock = await blockPgDump(slug);
    try {
      const started = await createTenantBackup(quick, { actor: SYSTEM_ACTOR }, slug);
      await podRunning(started.id);
      const backup = await settled(slug, started.id);
      expect(backup.state).toBe('failed');
      expect(backup.error).toBe(
        'the backup Job ran longer than its deadline (BACKUP_JOB_DEADLINE_SECONDS=2) and was stopped',
      );
      await expectNoFile(tenantId, backup.id);
    } finally {
      await lock.release();
    }
  });

  it('a Job left running by a crashed control plane is deleted by the next leader round, its partial file removed', async () => {
    const { slug, id: tenantId } = await activeTenant('jbcrash', 10);
    const tenant = await server.services.db
      .selectFrom('tenants')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    const lock = await blockPgDump(slug);
    // What a process killed while its Job ran leaves: a running row nobody holds the lock of, and
    // the Job's pg_dump still running (here waiting for the lock) with its partial file.
    const snapshotHolder = new pg.Client({
      connectionString: (() => {
        const u = new URL(serverUrl());
        u.pathname = `/tenant_${slug}`;
        return u.toString();
      })(),
    });
    await snapshotHolder.connect();
    try {
      const row = { id: randomUUID() };
      await snapshotHolder.query('begin isolation level repeatable read read only');
      const { rows } = await snapshotHolder.query<{ s: string }>('select pg_export_snapshot() as s');
      const file = await server.services.backups.storage.external(`${tenant.id}/${row.id}.dump`);
      await server.services.cluster.createIfMissing(
        backupJob({
          namespace: server.services.cluster.namespace,
          slug,
          backupId: row.id,
          image: 'postgres:15.17-bookworm',
          snapshot: rows[0]!.s,
          folder: file.folder,
          subPath: file.subPath,
          file: file.partialPath,
          volumeClaim: 'justiam-cp-backups',
          deadlineSeconds: 3600,
          runAsUser: 10001,
          runAsGroup: 10001,
        }),
      );
      await podRunning(row.id);
      await eventually(async () => (await partialFiles(backupDir)).length === 1, 5000, 'the partial file');
      // The row last: the leader's round ends a running backup nobody holds the lock of at once.
      await server.services.db
        .insertInto('tenant_backups')
        .values({
          id: row.id,
          tenant_id: tenant.id,
          trigger: 'manual',
          requested_by: 'test',
          phase: 'dumping',
          started_at: new Date(),
        })
        .execute();
      await eventually(
        async () => (await call('GET', `/tenants/${slug}/backups/${row.id}`)).body.state === 'failed',
        15_000,
        'failed by the leader round',
      );
      const { body } = await call('GET', `/tenants/${slug}/backups/${row.id}`);
      expect(body.error).toMatch(/^interrupted/);
      await expectNoFile(tenantId, row.id);
    } finally {
      await snapshotHolder.end().catch(() => {});
      await lock.release();
    }
  });
});
