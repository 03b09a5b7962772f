import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, type WriteStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDueBackups } from '../../../../../server/domain/backups/maintenance.ts';
import { countRows } from '../../../../../server/domain/backups/pg-process.ts';
import { libpqEnv } from '../../../../../server/domain/backups/pg-tools.ts';
import { scratchDatabaseOf } from '../../../../../server/domain/backups/repository.ts';
import { partialFiles } from '../../../../../server/domain/backups/storage.ts';
import { controllablePgDump, onDatabase, run, testPgTools } from '../../../../support/backups.ts';
import { serverUrl } from '../../../../support/db.ts';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';
import { collect, subscribed, wsClient } from '../../../../support/ws.ts';

const { tools, problem, major } = await testPgTools();
const pgDump = controllablePgDump();
const backupDir = mkdtempSync(join(tmpdir(), 'cp-backups-'));

/**
 * Backups on a real control plane: pg_dump of a real tenant database, files in a real folder,
 * pg_restore into real databases. Needs a pg_dump at least as new as the test server; without one
 * (embedded PostgreSQL newer than the distribution's client) only the error that names what to
 * install is checked.
 */
describe.skipIf(!tools)('tenant backups', () => {
  const slugs: string[] = [];
  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '3600000',
    PG_DUMP: pgDump.pgDump,
    BACKUP_DIR: backupDir,
  });
  beforeAll(async () => {
    await pgDump.install(tools!);
  });
  afterAll(async () => {
    await dropTenantDatabases(slugs);
    await pgDump.remove();
    await rm(backupDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    rest(server, method, path, body, headers);

  async function activeTenant(prefix: string, rows = 2500): Promise<string> {
    const slug = uniqueSlug(prefix);
    slugs.push(slug);
    expect((await call('POST', '/tenants', { slug, name: `Tenant ${slug}` })).status).toBe(201);
    await eventually(
      async () => (await call('GET', `/tenants/${slug}`)).body.state === 'active',
      15_000,
      'active',
    );
    await onDatabase(`tenant_${slug}`, async (c) => {
      await c.query('create table backup_rows (id int primary key, note text not null)');
      await c.query(`insert into backup_rows select g, md5(g::text) from generate_series(1, $1) g`, [rows]);
      await c.query('create schema app');
      await c.query('create table app.items (id serial primary key, name text)');
      await c.query(`insert into app.items (name) select 'item ' || g from generate_series(1, 17) g`);
    });
    return slug;
  }

  /** Waits until the backup is no longer running (and its verification, if any, has ended). */
  async function settled(slug: string, id: string) {
    await server.services.backups.runs.idle();
    const { body } = await call('GET', `/tenants/${slug}/backups/${id}`);
    return body;
  }

  async function backedUp(slug: string) {
    const started = await call('POST', `/tenants/${slug}/backups`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'running', trigger: 'manual' });
    return settled(slug, started.body.id);
  }

  const downloadUrl = (slug: string, id: string) => `${server.url}/tenants/${slug}/backups/${id}/download`;

  it('backs up a tenant, downloads it whole and by range with its digest, and pg_restore brings every row back', async () => {
    const slug = await activeTenant('bk');
    const before = await onDatabase(`tenant_${slug}`, (c) => countRows(c));
    expect(before['public.backup_rows']).toBe(2500);

    const backup = await backedUp(slug);
    expect(backup).toMatchObject({ state: 'succeeded', verification: 'passed', error: null });
    expect(backup.tables).toEqual(
      Object.entries(before)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([table, rows]) => ({ table, rows })),
    );
    expect(backup.pg_dump_version).toBe(tools!.version);

    const whole = await fetch(downloadUrl(slug, backup.id), { headers: server.headers });
    expect(whole.status).toBe(200);
    const bytes = Buffer.from(await whole.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest();
    expect(bytes.length).toBe(backup.size_bytes);
    expect(whole.headers.get('content-length')).toBe(String(bytes.length));
    expect(whole.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="${slug}-\\d{8}T\\d{6}Z\\.dump"$`),
    );
    expect(whole.headers.get('repr-digest')).toBe(`sha-256=:${sha.toString('base64')}:`);
    expect(sha.toString('hex')).toBe(backup.sha256);
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');

    const part = await fetch(downloadUrl(slug, backup.id), {
      headers: { ...server.headers, range: 'bytes=100-1123' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1123/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 1124));
    const suffix = await fetch(downloadUrl(slug, backup.id), {
      headers: { ...server.headers, range: 'bytes=-10' },
    });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const outside = await fetch(downloadUrl(slug, backup.id), {
      headers: { ...server.headers, range: `bytes=${bytes.length}-` },
    });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);

    // Restore what was downloaded into a new database with pg_restore: every table, every row.
    const file = join(backupDir, `download-${slug}.dump`);
    await writeFile(file, bytes);
    const target = `restore_${slug.replace(/-/g, '_')}`;
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
      const sample = await onDatabase(target, (c) => c.query('select note from backup_rows where id = 42'));
      expect(sample.rows[0].note).toBe(createHash('md5').update('42').digest('hex'));
    } finally {
      await onDatabase('postgres', (c) => c.query(`drop database if exists "${target}" with (force)`));
    }

    const audit = await server.services.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', slug)
      .where('action', 'like', 'tenant.backup.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'tenant.backup.requested',
      'tenant.backup.completed',
      'tenant.backup.verified',
      'tenant.backup.downloaded',
      'tenant.backup.downloaded',
      'tenant.backup.downloaded',
    ]);
    expect(audit[4]!.details).toEqual({ backupId: backup.id, range: '100-1123' });
  });

  it('streams a backup live: requested, progress, finished, verification', async () => {
    const slug = await activeTenant('live');
    const client = wsClient(server.url, server.connectionParams);
    const feed = collect<{
      tenantBackupChanged: { change: string; backup: { state: string; verification: string } | null };
    }>(
      client,
      `subscription ($slug: String!) { tenantBackupChanged(slug: $slug) { change backup { state verification } } }`,
      { slug },
    );
    try {
      await subscribed(server.services.bus, 'tenant.backup');
      await backedUp(slug);
      await eventually(
        async () =>
          feed.results.some(
            (r) =>
              r.tenantBackupChanged.change === 'VERIFICATION' &&
              r.tenantBackupChanged.backup?.verification === 'PASSED',
          ),
        10_000,
        'verification passed',
      );
      const changes = feed.results.map((r) => r.tenantBackupChanged.change);
      expect(changes[0]).toBe('CREATED');
      expect(changes).toContain('PROGRESS');
      expect(changes).toContain('FINISHED');
      expect(
        feed.results.find((r) => r.tenantBackupChanged.change === 'FINISHED')!.tenantBackupChanged.backup!
          .state,
      ).toBe('SUCCEEDED');
    } finally {
      feed.stop();
      await client.dispose();
    }
  });

  it('serializes concurrent triggers: one backup runs, the others are refused with 409 BACKUP_RUNNING', async () => {
    const slug = await activeTenant('conc');
    await pgDump.slow(1);
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => call('POST', `/tenants/${slug}/backups`)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([202, 409, 409, 409, 409, 409]);
      expect(
        answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'BACKUP_RUNNING'),
      ).toBe(true);
      // While it runs, it cannot be deleted either.
      const running = answers.find((a) => a.status === 202)!.body;
      expect((await call('DELETE', `/tenants/${slug}/backups/${running.id}`)).body.error.code).toBe(
        'BACKUP_RUNNING',
      );
      await server.services.backups.runs.idle();
    } finally {
      await pgDump.slow(null);
    }
    const list = await call('GET', `/tenants/${slug}/backups`);
    expect(list.body.backups).toHaveLength(1);
    // Once it has ended, the next one may start.
    expect((await backedUp(slug)).state).toBe('succeeded');
  });

  it('the next backup may start while the previous one is being verified', async () => {
    const slug = await activeTenant('overlap', 10);
    await pgDump.slowRestore(3);
    try {
      const first = await call('POST', `/tenants/${slug}/backups`);
      await eventually(
        async () => {
          const b = (await call('GET', `/tenants/${slug}/backups/${first.body.id}`)).body;
          return b.state === 'succeeded' && b.verification === 'running';
        },
        10_000,
        'verifying',
      );
      const second = await call('POST', `/tenants/${slug}/backups`);
      expect(second.status).toBe(202);
      // Deleting the one being verified waits for its verification.
      const refused = await call('DELETE', `/tenants/${slug}/backups/${first.body.id}`);
      expect(refused.body.error.code).toBe('BACKUP_VERIFYING');
    } finally {
      await pgDump.slowRestore(null);
    }
    await server.services.backups.runs.idle();
    const list = (await call('GET', `/tenants/${slug}/backups`)).body.backups;
    expect(list.map((b: { state: string; verification: string }) => [b.state, b.verification])).toEqual([
      ['succeeded', 'passed'],
      ['succeeded', 'passed'],
    ]);
  });

  it('a pg_dump killed mid-way ends failed, and leaves neither a listed file nor a partial one', async () => {
    const slug = await activeTenant('kill', 20_000);
    await pgDump.die(true);
    let backup: Record<string, any>;
    try {
      backup = await backedUp(slug);
    } finally {
      await pgDump.die(false);
    }
    expect(backup).toMatchObject({ state: 'failed', size_bytes: null, sha256: null });
    expect(backup.error).toMatch(/^pg_dump was killed \(SIGKILL\)/);
    const download = await fetch(downloadUrl(slug, backup.id), { headers: server.headers });
    expect(download.status).toBe(404);
    const tenantId = (
      await server.services.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;
    expect(await stat(join(backupDir, tenantId, `${backup.id}.dump`)).catch(() => null)).toBeNull();
    expect(await partialFiles(backupDir)).toEqual([]);
  });

  it('a backup left running by a crashed control plane ends failed on the next leader round, its partial file removed', async () => {
    const slug = await activeTenant('crash', 10);
    const tenant = await server.services.db
      .selectFrom('tenants')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    // What a process killed during pg_dump leaves: a running row nobody holds the lock of, a partial file.
    // The file first, open on disk, then the row: a leader round (every 200 ms here) that comes in
    // between must find both, not remove the file before it is counted.
    const id = randomUUID();
    const pending = await server.services.backups.storage.create(`${tenant.id}/${id}.dump`);
    pending.stream.write(Buffer.alloc(1000, 1));
    if ((pending.stream as WriteStream).pending) await once(pending.stream, 'ready');
    expect(await partialFiles(backupDir)).toHaveLength(1);
    const row = await server.services.db
      .insertInto('tenant_backups')
      .values({
        id,
        tenant_id: tenant.id,
        trigger: 'manual',
        requested_by: 'test',
        phase: 'dumping',
        started_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await eventually(
      async () => (await call('GET', `/tenants/${slug}/backups/${row.id}`)).body.state === 'failed',
      5000,
      'failed',
    );
    const { body } = await call('GET', `/tenants/${slug}/backups/${row.id}`);
    expect(body.error).toMatch(/^interrupted/);
    expect(await partialFiles(backupDir)).toEqual([]);
    pending.stream.destroy();
  });

  it('retention keeps the newest N backups and removes the older ones with their files', async () => {
    const slug = await activeTenant('keep', 10);
    const set = await call('PUT', `/tenants/${slug}/backup-settings`, { schedule: null, keep: 2 });
    expect(set).toMatchObject({ status: 200, body: { keep: 2, schedule: null, custom: true } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await backedUp(slug)).id);
    const list = await call('GET', `/tenants/${slug}/backups`);
    expect(list.body.backups.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[1]]);
    const tenantId = (
      await server.services.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;
    expect(await stat(join(backupDir, tenantId, `${ids[0]}.dump`)).catch(() => null)).toBeNull();
    expect((await stat(join(backupDir, tenantId, `${ids[2]}.dump`))).size).toBeGreaterThan(0);
    const removed = await server.services.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'tenant.backup.deleted')
      .where('target_id', '=', slug)
      .execute();
    expect(removed.map((r) => r.details)).toEqual([{ backupId: ids[0], reason: 'retention' }]);

    const bad = await call('PUT', `/tenants/${slug}/backup-settings`, { schedule: '25:00', keep: 0 });
    expect(bad.status).toBe(400);
    expect((await call('GET', `/tenants/${slug}/backup-settings`)).body).toMatchObject({
      keep: 2,
      schedule: null,
    });
  });

  it('the leader starts a tenant’s scheduled backup once a day at its time, from when the schedule was set', async () => {
    const slug = await activeTenant('sched', 10);
    const at = new Date(Date.now() + 3_600_000);
    const time = at.toISOString().slice(11, 16);
    expect((await call('PUT', `/tenants/${slug}/backup-settings`, { schedule: time, keep: 5 })).status).toBe(
      200,
    );
    const scheduled = async () =>
      (await call('GET', `/tenants/${slug}/backups`)).body.backups.filter(
        (b: { trigger: string }) => b.trigger === 'schedule',
      );
    const round = async (now: Date) => {
      const started = await startDueBackups({ ...server.services.backups, now: () => now });
      await server.services.backups.runs.idle();
      return started;
    };
    // Yesterday's time came before the schedule was set: nothing to catch up on.
    await round(new Date());
    expect(await scheduled()).toEqual([]);
    // Its time today has passed: one backup, once.
    const later = new Date(at.getTime() + 3_600_000);
    await round(later);
    await round(later);
    expect(await scheduled()).toMatchObject([{ state: 'succeeded', requested_by: 'control plane' }]);
    // The next day, the next one.
    await round(new Date(later.getTime() + 86_400_000));
    expect(await scheduled()).toHaveLength(2);
  });

  it('deleting a tenant keeps its backups and their files', async () => {
    const slug = await activeTenant('gone', 10);
    const backup = await backedUp(slug);
    expect((await call('DELETE', `/tenants/${slug}`, { confirm: slug })).status).toBe(202);
    await eventually(async () => (await call('GET', `/tenants/${slug}`)).status === 404, 15_000, 'deleted');
    const row = await server.services.db
      .selectFrom('tenant_backups')
      .selectAll()
      .where('id', '=', backup.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('succeeded');
    expect(await server.services.backups.storage.size(row.storage_key!)).toBe(backup.size_bytes);
  });

  it('answers 404 for unknown, malformed and other tenants’ backup ids on every route', async () => {
    const mine = await activeTenant('own', 10);
    const theirs = await activeTenant('other', 10);
    const foreign = (await backedUp(theirs)).id;
    for (const id of [randomUUID(), 'not-a-uuid', foreign]) {
      expect((await call('GET', `/tenants/${mine}/backups/${id}`)).status).toBe(404);
      expect((await call('DELETE', `/tenants/${mine}/backups/${id}`)).body.error.code).toBe(
        'BACKUP_NOT_FOUND',
      );
      expect((await call('POST', `/tenants/${mine}/backups/${id}/verify`)).body.error.code).toBe(
        'BACKUP_NOT_FOUND',
      );
      expect((await fetch(downloadUrl(mine, id), { headers: server.headers })).status).toBe(404);
    }
    expect((await call('GET', `/tenants/no-such-tenant/backups`)).status).toBe(404);
    expect((await call('POST', `/tenants/no-such-tenant/backups`)).status).toBe(404);
    // The other tenant's backup is still there.
    expect((await call('GET', `/tenants/${theirs}/backups/${foreign}`)).body.state).toBe('succeeded');
    // Downloads need the admin role.
    expect((await fetch(downloadUrl(theirs, foreign), { headers: server.viewerHeaders })).status).toBe(403);
    expect((await fetch(downloadUrl(theirs, foreign))).status).toBe(401);
    expect((await call('POST', `/tenants/${theirs}/backups`, undefined, server.viewerHeaders)).status).toBe(
      403,
    );
    // The download is documented beside the table's routes.
    const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/tenants/{slug}/backups', '/tenants/{slug}/backups/{id}/download']),
    );
  });

  it('verification detects a corrupted file and row counts that do not match', async () => {
    const slug = await activeTenant('verify', 500);
    const backup = await backedUp(slug);
    expect(backup.verification).toBe('passed');
    const tenantId = (
      await server.services.db
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;
    const path = join(backupDir, tenantId, `${backup.id}.dump`);
    const original = await readFile(path);

    // Recorded counts that the file does not hold: the restore is compared table by table.
    await server.services.db
      .updateTable('tenant_backups')
      .set({
        table_counts: JSON.stringify({
          ...Object.fromEntries(backup.tables.map((t: any) => [t.table, t.rows])),
          'public.backup_rows': 501,
        }),
      })
      .where('id', '=', backup.id)
      .execute();
    expect((await call('POST', `/tenants/${slug}/backups/${backup.id}/verify`)).status).toBe(202);
    let after = await settled(slug, backup.id);
    expect(after.verification).toBe('failed');
    expect(after.verify_error).toBe(
      'row counts differ: public.backup_rows: 500 rows after restore, 501 recorded',
    );

    // One byte flipped in the stored file.
    const corrupt = Buffer.from(original);
    corrupt[Math.floor(corrupt.length / 2)]! ^= 0xff;
    await writeFile(path, corrupt);
    expect((await call('POST', `/tenants/${slug}/backups/${backup.id}/verify`)).status).toBe(202);
    after = await settled(slug, backup.id);
    expect(after.verification).toBe('failed');
    expect(after.verify_error).toMatch(
      /^the file is corrupt: its sha256 is [0-9a-f]{64}, [0-9a-f]{64} was recorded$/,
    );

    // The failed verification is a critical alert on the dashboard, until it is cleared.
    const alertsOf = async () =>
      (
        await gql<{ dashboard: { alerts: { kind: string; slug: string; detail: string | null }[] } }>(
          server,
          '{ dashboard { alerts(first: 100) { kind slug detail } } }',
        )
      ).body.data!.dashboard.alerts.filter((a) => a.slug === slug);
    expect(await alertsOf()).toEqual([
      { kind: 'BACKUP_VERIFICATION_FAILED', slug, detail: after.verify_error },
    ]);

    // No scratch database of this tenant's backups is left behind (other test files, running beside
    // this one on a shared server, may be verifying theirs right now).
    const ours = (await rest(server, 'GET', `/tenants/${slug}/backups?first=100`)).body.backups.map(
      (b: { id: string }) => scratchDatabaseOf(b.id),
    );
    expect(ours.length).toBeGreaterThan(0);
    const scratch = await onDatabase('postgres', (c) =>
      c.query(`select datname from pg_database where datname = any($1::text[])`, [ours]),
    );
    expect(scratch.rows).toEqual([]);
    const verified = await server.services.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'tenant.backup.verified')
      .where('target_id', '=', slug)
      .orderBy('id')
      .execute();
    expect(verified.map((v) => (v.details as { passed: boolean }).passed)).toEqual([true, false, false]);

    // Deleting it removes the file; the listing no longer has it.
    expect((await call('DELETE', `/tenants/${slug}/backups/${backup.id}`)).status).toBe(200);
    expect(await stat(path).catch(() => null)).toBeNull();
    expect((await call('GET', `/tenants/${slug}/backups`)).body.backups).toEqual([]);
    expect(await alertsOf()).toEqual([]);
  });
});

/** Where no pg_dump is new enough for the server (embedded PostgreSQL 18 beside Debian 12's client 15). */
describe.runIf(!tools)('backups on a server newer than every pg_dump here', () => {
  const slugs: string[] = [];
  const server = useTestServer({ RECONCILE_INTERVAL_MS: '200', STATUS_POLL_INTERVAL_MS: '3600000' });
  afterAll(async () => {
    await dropTenantDatabases(slugs);
  });

  it('refuse with 503 PG_DUMP_UNAVAILABLE naming the client to install, and record nothing', async () => {
    const slug = uniqueSlug('nodump');
    slugs.push(slug);
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      15_000,
      'active',
    );
    const refused = await rest(server, 'POST', `/tenants/${slug}/backups`);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('PG_DUMP_UNAVAILABLE');
    expect(refused.body.error.message).toContain(`Install postgresql-client-${major}`);
    expect((await rest(server, 'GET', `/tenants/${slug}/backups`)).body.backups).toEqual([]);
  });
});

describe('without a usable pg_dump', () => {
  it('the error names the client package to install and the PG_DUMP setting', async () => {
    const { choosePgTools } = await import('../../../../../server/domain/backups/pg-tools.ts');
    const newer = major + 50;
    await expect(choosePgTools(newer, undefined, process.env.PATH)).rejects.toThrow(
      new RegExp(`Install postgresql-client-${newer} .*or set PG_DUMP`),
    );
    if (!tools) expect(problem).toMatch(`postgresql-client-${major}`);
  });
});
