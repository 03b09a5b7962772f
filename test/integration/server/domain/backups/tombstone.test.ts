import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { retainDeletedTenants } from '../../../../../server/domain/backups/tombstone.ts';
import { onDatabase, testPgTools } from '../../../../support/backups.ts';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const { tools } = await testPgTools();
const backupDir = mkdtempSync(join(tmpdir(), 'cp-tombstone-'));
const DAY = 86_400_000;

/**
 * A deleted tenant's tombstone and the fate of its backups, on a real control plane: real
 * pg_dump backups in a real folder, deleted through the API, read back through REST and GraphQL,
 * downloaded, purged, and removed by the leader's retention round driven with a later clock.
 */
describe.skipIf(!tools)('deleted tenants: tombstone and backups kept after them', () => {
  const slugs: string[] = [];
  /** How far the server's clock is ahead of the real one (its leader rounds read that clock). */
  let skew = 0;
  const server = useTestServer(
    {
      RECONCILE_INTERVAL_MS: '200',
      STATUS_POLL_INTERVAL_MS: '3600000',
      BACKUP_DIR: backupDir,
      BACKUP_VERIFY: 'false',
      DELETED_TENANT_BACKUP_RETENTION_DAYS: '10',
    },
    { now: () => new Date(Date.now() + skew) },
  );
  afterAll(async () => {
    await dropTenantDatabases(slugs);
    await rm(backupDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown) => rest(server, method, path, body);

  async function activeTenant(prefix: string, slug = uniqueSlug(prefix)): Promise<string> {
    slugs.push(slug);
    expect((await call('POST', '/tenants', { slug, name: `Tenant ${slug}` })).status).toBe(201);
    await eventually(
      async () => (await call('GET', `/tenants/${slug}`)).body.state === 'active',
      15_000,
      'active',
    );
    await onDatabase(`tenant_${slug}`, async (c) => {
      await c.query('create table kept_rows (id int primary key)');
      await c.query('insert into kept_rows select generate_series(1, 50)');
    });
    return slug;
  }

  async function backedUp(slug: string) {
    const started = await call('POST', `/tenants/${slug}/backups`);
    expect(started.status).toBe(202);
    await server.services.backups.runs.idle();
    const { body } = await call('GET', `/tenants/${slug}/backups/${started.body.id}`);
    expect(body.state).toBe('succeeded');
    return body as { id: string; sha256: string; size_bytes: number };
  }

  async function deleted(slug: string, body: Record<string, unknown> = { confirm: slug }) {
    const answer = await call('DELETE', `/tenants/${slug}`, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    await eventually(async () => (await call('GET', `/tenants/${slug}`)).status === 404, 15_000, 'deleted');
  }

  const backupRows = (slug: string) =>
    server.services.db
      .selectFrom('tenant_backups')
      .innerJoin('tenants', 'tenants.id', 'tenant_backups.tenant_id')
      .select(['tenant_backups.id', 'tenant_backups.storage_key'])
      .where('tenants.slug', '=', slug)
      .execute();

  const deleteEntries = async (slug: string) =>
    (await call('GET', `/audit?action=tenant.backup.deleted&target_id=${slug}`)).body.entries as {
      details: { backup_id?: string; backupId?: string; reason: string };
    }[];

  it('answers the tombstone of a deleted tenant with who deleted it, its audit entries and its kept backups, which still download', async () => {
    const slug = await activeTenant('tomb');
    const backup = await backedUp(slug);
    expect((await call('GET', `/tenants/${slug}/tombstone`)).status).toBe(404);
    await deleted(slug);

    const { status, body } = await call('GET', `/tenants/${slug}/tombstone`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      slug,
      name: `Tenant ${slug}`,
      deleted_by: expect.stringContaining('@'),
      backups_purged: false,
      slug_in_use: false,
    });
    expect(Date.parse(body.backups_removed_at) - Date.parse(body.deleted_at)).toBe(10 * DAY);
    expect(Date.parse(body.delete_requested_at)).toBeLessThanOrEqual(Date.parse(body.deleted_at));
    expect(body.backups.map((b: { id: string }) => b.id)).toEqual([backup.id]);
    const actions = body.audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'tenant.create.requested',
        'tenant.backup.completed',
        'tenant.delete.requested',
        'tenant.delete.completed',
      ]),
    );
    expect(actions[0]).toBe('tenant.delete.completed');

    // The same through GraphQL.
    const answer = await gql<{ deletedTenant: Record<string, unknown> }>(
      server,
      `query ($slug: String!) { deletedTenant(slug: $slug) { slug deletedBy backupsPurged
        backups(first: 5) { edges { node { id state } } } auditLog(first: 1) { edges { node { action } } pageInfo { hasNextPage } } } }`,
      { slug },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.deletedTenant).toEqual({
      slug,
      deletedBy: body.deleted_by,
      backupsPurged: false,
      backups: { edges: [{ node: { id: backup.id, state: 'SUCCEEDED' } }] },
      auditLog: { edges: [{ node: { action: 'tenant.delete.completed' } }], pageInfo: { hasNextPage: true } },
    });

    // The kept backup still downloads, whole and checksummed, and the download is audited.
    const download = await fetch(`${server.url}/tenants/${slug}/backups/${backup.id}/download`, {
      headers: server.headers,
    });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(backup.sha256);
    const after = (await call('GET', `/tenants/${slug}/tombstone`)).body;
    expect(after.audit[0].action).toBe('tenant.backup.downloaded');

    // A new tenant with the slug: the tombstone is still the deleted one's, without the new one's entries.
    await activeTenant('tomb', slug);
    const reused = (await call('GET', `/tenants/${slug}/tombstone`)).body;
    expect(reused).toMatchObject({ slug, slug_in_use: true, deleted_at: body.deleted_at });
    expect(reused.backups.map((b: { id: string }) => b.id)).toEqual([backup.id]);
    const ids = new Set(reused.audit.map((e: { id: string }) => e.id));
    expect(ids.size).toBe(after.audit.length);
    const newest = (await call('GET', `/audit?target_id=${slug}&first=1`)).body.entries[0];
    expect(newest.action).toBe('tenant.create.completed');
    expect(ids.has(newest.id)).toBe(false);
    expect((await call('DELETE', `/tenants/${slug}`, { confirm: slug })).status).toBe(202);
  });

  it('answers 404 for a slug no deleted tenant had', async () => {
    expect((await call('GET', `/tenants/${uniqueSlug('never')}/tombstone`)).status).toBe(404);
    const answer = await gql(server, 'query ($slug: String!) { deletedTenant(slug: $slug) { slug } }', {
      slug: uniqueSlug('never'),
    });
    expect(answer.body.data).toEqual({ deletedTenant: null });
  });

  it('purge_backups removes the backups and their files with the tenant, audited; a malformed flag changes nothing', async () => {
    const slug = await activeTenant('purge');
    const backups = [await backedUp(slug), await backedUp(slug)];
    const [row] = await backupRows(slug);
    const file = row!.storage_key!;
    expect(await server.services.backups.storage.size(file)).toBeGreaterThan(0);

    const bad = await call('DELETE', `/tenants/${slug}`, { confirm: slug, purge_backups: 'yes' });
    expect(bad.status).toBe(400);
    expect((await call('GET', `/tenants/${slug}`)).body.state).toBe('active');
    expect(await backupRows(slug)).toHaveLength(2);

    await deleted(slug, { confirm: slug, purge_backups: true });
    expect(await backupRows(slug)).toEqual([]);
    expect(await server.services.backups.storage.size(file)).toBeUndefined();
    const removed = await deleteEntries(slug);
    expect(removed.map((e) => e.details.reason)).toEqual(['purge', 'purge']);
    const requested = (await call('GET', `/audit?action=tenant.delete.requested&target_id=${slug}`)).body
      .entries;
    expect(requested[0].details).toMatchObject({ purge_backups: true });
    const tomb = (await call('GET', `/tenants/${slug}/tombstone`)).body;
    expect(tomb).toMatchObject({ backups_purged: true, backups: [] });
    expect(
      (
        await fetch(`${server.url}/tenants/${slug}/backups/${backups[0]!.id}/download`, {
          headers: server.headers,
        })
      ).status,
    ).toBe(404);
  });

  it('the leader removes a deleted tenant’s backups and files once DELETED_TENANT_BACKUP_RETENTION_DAYS have passed', async () => {
    const slug = await activeTenant('ret');
    const backup = await backedUp(slug);
    const [row] = await backupRows(slug);
    await deleted(slug);
    const { deleted_at } = (await call('GET', `/tenants/${slug}/tombstone`)).body;
    const round = (at: number) =>
      retainDeletedTenants({ ...server.services.backups, now: () => new Date(at) });

    // A live tenant's backups are not touched, however late it is.
    const live = await activeTenant('ret-live');
    await backedUp(live);
    await round(Date.parse(deleted_at) + 10 * DAY - 1000);
    expect(await backupRows(slug)).toHaveLength(1);
    expect(await server.services.backups.storage.size(row!.storage_key!)).toBe(backup.size_bytes);

    // The API answers instants to the millisecond; the stored one is finer.
    expect(await round(Date.parse(deleted_at) + 10 * DAY + 1)).toBeGreaterThanOrEqual(1);
    expect(await backupRows(slug)).toEqual([]);
    expect(await server.services.backups.storage.size(row!.storage_key!)).toBeUndefined();
    expect((await deleteEntries(slug)).map((e) => e.details.reason)).toEqual(['retention']);
    expect(await backupRows(live)).toHaveLength(1);
    expect((await call('GET', `/tenants/${slug}/tombstone`)).body.backups).toEqual([]);
  });

  it('the running server’s leader round removes them once its clock is past the retention, not before', async () => {
    const slug = await activeTenant('ret-round');
    await backedUp(slug);
    const [row] = await backupRows(slug);
    await deleted(slug);
    const live = await activeTenant('ret-round-live');
    await backedUp(live);
    try {
      skew = 10 * DAY - 60_000;
      // Several rounds (every 200 ms) a minute before the time: kept.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await backupRows(slug)).toHaveLength(1);
      skew = 10 * DAY + 1000;
      await eventually(async () => (await backupRows(slug)).length === 0, 10_000, 'removed by the round');
      // The row goes first (committed), then its file: the file may outlive the row by a moment.
      await eventually(
        async () => (await server.services.backups.storage.size(row!.storage_key!)) === undefined,
        10_000,
        'its file removed',
      );
      expect((await deleteEntries(slug)).map((e) => e.details.reason)).toEqual(['retention']);
      expect(await backupRows(live)).toHaveLength(1);
    } finally {
      skew = 0;
    }
  });
});
