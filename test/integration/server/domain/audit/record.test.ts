import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, migrateToLatest } from '../../../../../server/db/database.ts';
import { SYSTEM_ACTOR } from '../../../../../server/domain/actor.ts';
import { listAudit } from '../../../../../server/domain/audit/query.ts';
import { record } from '../../../../../server/domain/audit/record.ts';
import { createEventBus, type EventBus } from '../../../../../server/events/bus.ts';
import { createLogger } from '../../../../../server/log.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';
import { eventually } from '../../../../support/kube.ts';

describe('audit writer', () => {
  let database: TestDatabase;
  let db: Db;
  let bus: EventBus;
  beforeAll(async () => {
    database = await createTestDatabase();
    const created = createDb({ url: database.url, max: 4 });
    db = created.db;
    await migrateToLatest(db);
    bus = createEventBus({
      pool: created.pool,
      connect: () => new pg.Client({ connectionString: database.url }),
      logger: createLogger({ level: 'silent' }),
    });
    await bus.ready;
  });
  afterAll(async () => {
    await bus?.close();
    await db?.destroy();
    await database?.drop();
  });

  const ctx = { actor: SYSTEM_ACTOR, requestId: 'req-1' };

  it('records within the caller transaction: a rollback leaves no entry and sends no event', async () => {
    const events = bus.subscribe('audit.recorded');
    const received: string[] = [];
    void (async () => {
      for await (const e of events) received.push(e.id);
    })();
    await db
      .transaction()
      .execute(async (trx) => {
        await record(
          trx,
          bus,
          ctx,
          'settings.alerts.updated',
          { kind: 'settings', id: 'alerts' },
          { changed: ['x'] },
        );
        throw new Error('change failed');
      })
      .catch(() => {});
    const committed = await db
      .transaction()
      .execute((trx) => record(trx, bus, ctx, 'settings.alerts.updated', null, { changed: ['y'] }));
    // Events arrive in commit order: once the committed one is in, one from the rollback would be too.
    await eventually(() => received.length > 0, 5000, 'the committed entry’s event');
    await events.return?.();
    expect(received).toEqual([committed]);
    const rows = await listAudit(db, {}, { limit: 10 });
    expect(rows.map((r) => r.details)).toEqual([{ changed: ['y'] }]);
    expect(rows[0]).toMatchObject({
      actor_kind: 'system',
      actor_label: 'control plane',
      request_id: 'req-1',
    });
  });

  it('filters by action prefix, target, actor and time range, newest first', async () => {
    const at = (iso: string) => new Date(iso);
    await db
      .insertInto('audit_log')
      .values(
        [
          ['tenant.created', 'tenant', 'acme', 'op-1', '2026-01-01T10:00:00Z'],
          ['tenant.deleted', 'tenant', 'acme', 'op-2', '2026-01-02T10:00:00Z'],
          ['license.activated', 'license', 'l1', 'op-1', '2026-01-03T10:00:00Z'],
        ].map(([action, kind, id, actor, when]) => ({
          action: action!,
          target_kind: kind!,
          target_id: id!,
          actor_kind: 'operator',
          actor_id: actor!,
          actor_label: actor!,
          at: at(when!),
          details: '{}',
        })),
      )
      .execute();
    const actions = async (filter: Parameters<typeof listAudit>[1]) =>
      (await listAudit(db, filter, { limit: 50 })).map((r) => r.action);
    expect(await actions({ action: 'tenant.*' })).toEqual(['tenant.deleted', 'tenant.created']);
    expect(await actions({ targetKind: 'tenant', targetId: 'acme', actorId: 'op-1' })).toEqual([
      'tenant.created',
    ]);
    expect(await actions({ from: at('2026-01-02T00:00:00Z'), to: at('2026-01-02T23:59:59Z') })).toEqual([
      'tenant.deleted',
    ]);
    // A LIKE wildcard in the filter is taken literally.
    expect(await actions({ action: 'tenant_*' })).toEqual([]);
    await expect(
      listAudit(db, { from: at('2026-02-01T00:00:00Z'), to: at('2026-01-01T00:00:00Z') }, { limit: 5 }),
    ).rejects.toThrow(/time range is empty/);
  });
});
