import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, migrateToLatest } from '../../../../../server/db/database.ts';
import type { OperatorRow } from '../../../../../server/db/schema.ts';
import { sha256 } from '../../../../../server/domain/auth/hash.ts';
import { upsertOperator } from '../../../../../server/domain/auth/operators.ts';
import {
  createApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
  TOKEN_PREFIX,
} from '../../../../../server/domain/auth/tokens.ts';
import type { Call } from '../../../../../server/domain/call.ts';
import { NotFoundError, ValidationError } from '../../../../../server/domain/errors.ts';
import { createEventBus, type EventBus } from '../../../../../server/events/bus.ts';
import { createLogger } from '../../../../../server/log.ts';
import { createTestDatabase, type TestDatabase } from '../../../../support/db.ts';

const DAY = 86_400_000;
const T0 = new Date('2031-05-01T12:00:00.000Z');

/**
 * API tokens straight against the domain functions and a real database, with the clock in hand:
 * what is stored, who may revoke, and every reason a bearer token is turned away.
 */
describe('API tokens', () => {
  let database: TestDatabase;
  let db: Db;
  let bus: EventBus;
  let alice: OperatorRow;
  let bob: OperatorRow;
  let now = T0;
  const services = () => ({ db, bus, now: () => now });
  const call = (who: OperatorRow): Call => ({ actor: { kind: 'operator', id: who.id, label: who.email! } });

  beforeAll(async () => {
    database = await createTestDatabase();
    const created = createDb({ url: database.url, max: 3 });
    db = created.db;
    await migrateToLatest(db);
    bus = createEventBus({
      pool: created.pool,
      connect: () => new pg.Client({ connectionString: database.url }),
      logger: createLogger({ level: 'silent' }),
    });
    await bus.ready;
    const operator = (subject: string) =>
      upsertOperator(
        db,
        { issuer: 'test', subject, email: `${subject}@test.local`, name: subject, role: 'admin' },
        T0,
      );
    alice = await operator('alice');
    bob = await operator('bob');
  });
  afterAll(async () => {
    await bus?.close();
    await db?.destroy();
    await database?.drop();
  });

  const create = (who: OperatorRow, name = 'ci', expiresInDays = 30) =>
    createApiToken(services(), call(who), who.id, { name, expiresInDays });
  const audited = (action: string, id: string) =>
    db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', id).execute();

  it('creates `cpt_` + 32 random bytes, stores only its SHA-256 and a recognisable prefix, and audits it without the value', async () => {
    now = T0;
    const { token, row } = await create(alice, '  deploy bot  ', 7);
    expect(token).toMatch(/^cpt_[A-Za-z0-9_-]{43}$/);
    expect(row).toMatchObject({
      operator_id: alice.id,
      name: 'deploy bot',
      prefix: token.slice(0, 8),
      hash: sha256(token),
      created_at: T0,
      expires_at: new Date(T0.getTime() + 7 * DAY),
      revoked_at: null,
      last_used_at: null,
    });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    const [entry] = await audited('token.created', row.id);
    expect(entry).toMatchObject({ actor_id: alice.id, target_kind: 'token' });
    expect(entry!.details).toEqual({
      name: 'deploy bot',
      prefix: token.slice(0, 8),
      expiresAt: new Date(T0.getTime() + 7 * DAY).toISOString(),
    });
    expect(JSON.stringify(entry)).not.toContain(token);
    expect((await create(alice)).token).not.toBe(token);
  });

  it.each([
    ['an empty name', { name: '   ', expiresInDays: 1 }, 'name', 'must not be empty'],
    [
      'a name of 101 characters',
      { name: 'x'.repeat(101), expiresInDays: 1 },
      'name',
      'must be at most 100 characters',
    ],
    ['a name that is no string', { name: 5, expiresInDays: 1 }, 'name', 'is required and must be a string'],
    ['0 days', { name: 'x', expiresInDays: 0 }, 'expiresInDays', 'must be between 1 and 365'],
    ['366 days', { name: 'x', expiresInDays: 366 }, 'expiresInDays', 'must be between 1 and 365'],
    ['half a day', { name: 'x', expiresInDays: 1.5 }, 'expiresInDays', 'must be a whole number of days'],
    [
      'days as text',
      { name: 'x', expiresInDays: '5' },
      'expiresInDays',
      'is required and must be a whole number of days',
    ],
    [
      'an unknown field',
      { name: 'x', expiresInDays: 5, scope: 'all' },
      '(input)',
      'Unrecognized key: "scope"',
    ],
  ])(
    'refuses %s with a ValidationError saying what is wrong, storing nothing',
    async (_what, input, path, message) => {
      const before = (await listApiTokens(db, bob.id)).length;
      const attempt = createApiToken(services(), call(bob), bob.id, input as never);
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      const error = (await attempt.catch((e: unknown) => e)) as ValidationError;
      expect(error.issues).toEqual([{ path, message }]);
      expect(await listApiTokens(db, bob.id)).toHaveLength(before);
    },
  );

  it('takes names up to 100 characters and lifetimes of 1 to 365 days', async () => {
    await expect(create(bob, 'y'.repeat(100), 1)).resolves.toBeDefined();
    const longest = await create(bob, 'year', 365);
    expect(longest.row.expires_at).toEqual(new Date(now.getTime() + 365 * DAY));
  });

  it("lists an operator's own tokens, newest first", async () => {
    now = new Date(T0.getTime() + 1000);
    const older = await create(bob, 'older');
    now = new Date(T0.getTime() + 2000);
    const newer = await create(bob, 'newer');
    const listed = await listApiTokens(db, bob.id);
    expect(listed.slice(0, 2).map((t) => t.id)).toEqual([newer.row.id, older.row.id]);
    expect(listed.every((t) => t.operator_id === bob.id)).toBe(true);
  });

  it('revokes only the caller’s own, live tokens: audited, announced, and refused a second time', async () => {
    now = T0;
    const { row } = await create(alice, 'to revoke');
    const revoked = bus.subscribe('auth.revoked');
    const announced = revoked.next();

    await expect(revokeApiToken(services(), call(bob), bob.id, row.id)).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND',
    });
    // Ids that are no UUID are turned away before the database sees them (it would fail on them).
    for (const id of ['not-a-uuid', `${row.id}0`, `0${row.id}`]) {
      const refused = revokeApiToken(services(), call(alice), alice.id, id);
      await expect(refused).rejects.toBeInstanceOf(NotFoundError);
      await expect(refused).rejects.toMatchObject({
        code: 'TOKEN_NOT_FOUND',
        message: `no API token with id "${id}"`,
      });
    }

    now = new Date(T0.getTime() + 5000);
    const done = await revokeApiToken(services(), call(alice), alice.id, row.id);
    expect(done.revoked_at).toEqual(now);
    expect((await announced).value).toEqual({ kind: 'token', id: row.id });
    await revoked.return?.();
    const [entry] = await audited('token.revoked', row.id);
    expect(entry).toMatchObject({
      actor_id: alice.id,
      target_kind: 'token',
      details: { name: 'to revoke', prefix: row.prefix },
    });

    await expect(revokeApiToken(services(), call(alice), alice.id, row.id)).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND',
      message: `no active API token with id "${row.id}"`,
    });
  });

  describe('resolving a bearer token', () => {
    it('finds the operator and the token behind a live one', async () => {
      now = T0;
      const { token, row } = await create(alice, 'live', 1);
      expect(await resolveApiToken(db, token, now)).toEqual({
        operator: {
          id: alice.id,
          email: alice.email,
          name: alice.name,
          subject: alice.subject,
          role: 'admin',
        },
        role: 'admin',
        via: { kind: 'token', id: row.id, name: 'live', expiresAt: row.expires_at },
      });
    });

    it('turns it away from the instant it expires, not a millisecond before', async () => {
      now = T0;
      const { token, row } = await create(alice, 'expiring', 1);
      const end = row.expires_at.getTime();
      expect(await resolveApiToken(db, token, new Date(end - 1))).not.toBeNull();
      expect(await resolveApiToken(db, token, new Date(end))).toBeNull();
    });

    it('turns away a revoked token and the token of a deleted operator', async () => {
      now = T0;
      const revoked = await create(alice, 'revoked');
      await revokeApiToken(services(), call(alice), alice.id, revoked.row.id);
      expect(await resolveApiToken(db, revoked.token, now)).toBeNull();

      const carol = await upsertOperator(
        db,
        { issuer: 'test', subject: 'carol', email: 'carol@test.local', name: 'carol', role: 'viewer' },
        T0,
      );
      const hers = await create(carol, 'carol');
      expect(await resolveApiToken(db, hers.token, now)).not.toBeNull();
      await db.updateTable('operators').set({ deleted_at: now }).where('id', '=', carol.id).execute();
      expect(await resolveApiToken(db, hers.token, now)).toBeNull();
    });

    it('turns away unknown tokens, and without a lookup ones that lack the prefix or run past 100 characters', async () => {
      now = T0;
      const { token } = await create(alice);
      expect(await resolveApiToken(db, `${token.slice(0, -1)}x`, now)).toBeNull();
      // Rows that would match by hash: only the shape check stands between them and a principal.
      const stored = async (value: string) => {
        await db
          .insertInto('api_tokens')
          .values({
            operator_id: alice.id,
            name: value.slice(0, 20),
            prefix: value.slice(0, 8),
            hash: sha256(value),
            created_at: T0,
            expires_at: new Date(T0.getTime() + DAY),
          })
          .execute();
        return value;
      };
      const longest = await stored(`${TOKEN_PREFIX}${'a'.repeat(96)}`);
      expect(longest).toHaveLength(100);
      expect(await resolveApiToken(db, longest, now)).not.toBeNull();
      expect(await resolveApiToken(db, await stored(`${TOKEN_PREFIX}${'b'.repeat(97)}`), now)).toBeNull();
      expect(await resolveApiToken(db, await stored(`xyz_${'c'.repeat(43)}`), now)).toBeNull();
    });

    it('records when it was last used, at most once a minute', async () => {
      now = T0;
      const { token, row } = await create(alice, 'used');
      const lastUsed = async () =>
        (
          await db
            .selectFrom('api_tokens')
            .select('last_used_at')
            .where('id', '=', row.id)
            .executeTakeFirstOrThrow()
        ).last_used_at;
      await resolveApiToken(db, token, T0);
      expect(await lastUsed()).toEqual(T0);
      await resolveApiToken(db, token, new Date(T0.getTime() + 60_000));
      expect(await lastUsed()).toEqual(T0);
      const later = new Date(T0.getTime() + 60_001);
      await resolveApiToken(db, token, later);
      expect(await lastUsed()).toEqual(later);
    });
  });
});
