import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partialFiles } from '../../../../../server/domain/backups/storage.ts';
import { controllablePgDump, onDatabase, testPgTools } from '../../../../support/backups.ts';
import { killedBySigkill, useCrashHarness } from '../../../../support/crash-harness.ts';
import { serverUrl } from '../../../../support/db.ts';
import { eventually } from '../../../../support/kube.ts';
import { operatorToken } from '../../../../support/server.ts';
import { uniqueSlug } from '../../../../support/tenants.ts';

const { tools } = await testPgTools();
const pgDump = controllablePgDump();
const backupDir = mkdtempSync(join(tmpdir(), 'cp-backup-crash-'));

/**
 * The control plane is killed (SIGKILL) while a backup runs: after a restart the backup is
 * `failed`, never stuck `running`, its partial file is gone, and the next backup works.
 */
describe.skipIf(!tools)('a control plane killed during a backup', () => {
  const slugs: string[] = [];
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-backup-crash-',
    outside: 'cluster+tenants',
    reader: true,
    slugs,
    env: { LEADER_LEASE_SECONDS: '2', PG_DUMP: pgDump.pgDump, BACKUP_DIR: backupDir },
  });
  beforeAll(async () => {
    await pgDump.install(tools!);
  });
  afterAll(async () => {
    await pgDump.remove();
    await rm(backupDir, { recursive: true, force: true });
  });

  let token: string | undefined;
  const call = async (url: string, method: string, path: string) => {
    token ??= await operatorToken(harness.database.url, 'admin@test.local', 'admin');
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('ends the interrupted backup failed on restart, removes its partial file, and backs up again', async () => {
    const slug = uniqueSlug('bkcrash');
    slugs.push(slug);
    const first = await harness.start();
    // The first server has migrated the database by now: an admin token can be made.
    token ??= await operatorToken(harness.database.url, 'admin@test.local', 'admin');
    const created = await fetch(`${first.url}/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug, name: slug }),
    });
    expect(created.status).toBe(201);
    await eventually(
      async () => (await call(first.url, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'active',
    );

    await pgDump.slow(10);
    const started = await call(first.url, 'POST', `/tenants/${slug}/backups`);
    expect(started.status).toBe(202);
    await eventually(async () => (await partialFiles(backupDir)).length === 1, 5000, 'a partial file');
    expect(killedBySigkill(await harness.kill(first))).toBe(true);
    await pgDump.slow(null);
    const { rows } = await harness.reader.query('select state from tenant_backups where id = $1', [
      started.body.id,
    ]);
    expect(rows[0].state).toBe('running');

    const second = await harness.start();
    try {
      await eventually(
        async () =>
          (await call(second.url, 'GET', `/tenants/${slug}/backups/${started.body.id}`)).body.state ===
          'failed',
        20_000,
        'the interrupted backup failed',
      );
      const after = await call(second.url, 'GET', `/tenants/${slug}/backups/${started.body.id}`);
      expect(after.body.error).toMatch(/^interrupted/);
      expect(await partialFiles(backupDir)).toEqual([]);
      const again = await call(second.url, 'POST', `/tenants/${slug}/backups`);
      expect(again.status).toBe(202);
      await eventually(
        async () =>
          (await call(second.url, 'GET', `/tenants/${slug}/backups/${again.body.id}`)).body.state ===
          'succeeded',
        20_000,
        'the next backup succeeded',
      );
    } finally {
      await harness.stop(second);
    }
  }, 90_000);
});

const jobBackupDir = mkdtempSync(join(tmpdir(), 'cp-backup-job-crash-'));

/**
 * The control plane is killed (SIGKILL) while a backup Job runs: the Job outlives it. After a
 * restart the leader's round deletes the Job (its pg_dump process ends with its pod), removes the
 * partial file and fails the backup; the next backup works.
 */
describe.skipIf(!tools)('a control plane killed while a backup Job runs', () => {
  const slugs: string[] = [];
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-backup-job-crash-',
    outside: 'cluster+tenants',
    reader: true,
    slugs,
    runJobs: { path: `${tools ? dirname(tools.pgDump) : '/nonexistent'}:/usr/bin:/bin` },
    env: { LEADER_LEASE_SECONDS: '2', BACKUP_RUNNER: 'job', BACKUP_DIR: jobBackupDir },
  });
  afterAll(async () => {
    await rm(jobBackupDir, { recursive: true, force: true });
  });

  let token: string | undefined;
  const call = async (url: string, method: string, path: string, body?: unknown) => {
    token ??= await operatorToken(harness.database.url, 'admin@test.local', 'admin');
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('deletes the Job left behind, removes its partial file, fails the backup, and backs up again', async () => {
    const slug = uniqueSlug('bkjcrash');
    slugs.push(slug);
    const first = await harness.start();
    expect((await call(first.url, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => (await call(first.url, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'active',
    );
    // pg_dump will wait for a lock on a partitioned table the row count does not touch.
    await onDatabase(`tenant_${slug}`, async (c) => {
      await c.query(`set role "tenant_${slug}"`);
      await c.query('create table parts (id int not null) partition by range (id)');
      await c.query('create table parts_1 partition of parts for values from (0) to (100)');
    });
    const url = new URL(serverUrl());
    url.pathname = `/tenant_${slug}`;
    const locker = new pg.Client({ connectionString: url.toString() });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table only public.parts in access exclusive mode');
    try {
      const started = await call(first.url, 'POST', `/tenants/${slug}/backups`);
      expect(started.status).toBe(202);
      const job = `backup-${started.body.id}`;
      const pods = () => harness.client.list<V1Pod>('Pod', 'v1', `job-name=${job}`);
      await eventually(async () => (await pods())[0]?.status?.phase === 'Running', 10_000, 'the Job running');
      await eventually(async () => (await partialFiles(jobBackupDir)).length === 1, 5000, 'its partial file');
      expect(killedBySigkill(await harness.kill(first))).toBe(true);
      // The Job outlives the control plane that made it.
      expect(await harness.client.read('Job', 'batch/v1', job)).toBeDefined();
      expect((await pods())[0]?.status?.phase).toBe('Running');

      const second = await harness.start();
      try {
        await eventually(
          async () =>
            (await call(second.url, 'GET', `/tenants/${slug}/backups/${started.body.id}`)).body.state ===
            'failed',
          20_000,
          'the interrupted backup failed',
        );
        const after = await call(second.url, 'GET', `/tenants/${slug}/backups/${started.body.id}`);
        expect(after.body.error).toMatch(/^interrupted/);
        expect(await harness.client.read('Job', 'batch/v1', job)).toBeUndefined();
        expect(await pods()).toEqual([]);
        expect(await partialFiles(jobBackupDir)).toEqual([]);
        await locker.query('rollback');
        const again = await call(second.url, 'POST', `/tenants/${slug}/backups`);
        expect(again.status).toBe(202);
        await eventually(
          async () =>
            (await call(second.url, 'GET', `/tenants/${slug}/backups/${again.body.id}`)).body.state ===
            'succeeded',
          20_000,
          'the next backup succeeded',
        );
      } finally {
        await harness.stop(second);
      }
    } finally {
      await locker.end().catch(() => {});
    }
  }, 120_000);
});
