import type { Executor } from '../../db/database.ts';
import { randomCredential, sha256 } from './hash.ts';
import type { Principal } from './principal.ts';

export type SessionPolicy = { ttlMs: number; idleMs: number };

/** Starts a session; returns the cookie value (shown to nobody else, stored only as a hash). */
export async function createSession(
  db: Executor,
  operatorId: string,
  policy: SessionPolicy,
  now: Date,
): Promise<string> {
  const value = randomCredential();
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(value),
      operator_id: operatorId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + policy.ttlMs),
    })
    .execute();
  return value;
}

/**
 * The principal behind a session cookie, or null when the session is unknown, ended, expired,
 * idle for too long, or its operator was deleted. Touches last_seen_at at most once a minute.
 */
export async function resolveSession(
  db: Executor,
  value: string,
  policy: SessionPolicy,
  now: Date,
): Promise<Principal | null> {
  return (await checkSession(db, value, policy, now))?.principal ?? null;
}

/**
 * {@link resolveSession}, with when the session stops being good unless it is used again: its
 * expiry, or the end of its idle time if that comes first.
 */
export async function checkSession(
  db: Executor,
  value: string,
  policy: SessionPolicy,
  now: Date,
): Promise<{ principal: Principal; until: Date } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('operators', 'operators.id', 'sessions.operator_id')
    .select([
      'sessions.id_hash',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.ended_at',
      'operators.id',
      'operators.email',
      'operators.name',
      'operators.subject',
      'operators.role',
      'operators.deleted_at',
    ])
    .where('sessions.id_hash', '=', sha256(value))
    .executeTakeFirst();
  if (!row || row.ended_at || row.deleted_at) return null;
  const idleUntil = new Date(row.last_seen_at.getTime() + policy.idleMs);
  const expiresAt = row.expires_at < idleUntil ? row.expires_at : idleUntil;
  if (expiresAt <= now) return null;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
  }
  return {
    principal: {
      operator: { id: row.id, email: row.email, name: row.name, subject: row.subject, role: row.role },
      role: row.role,
      via: { kind: 'session', id: row.id_hash, expiresAt: row.expires_at },
    },
    until: expiresAt,
  };
}

/** Ends a session server-side: replaying its cookie afterwards fails. Returns its id hash if it existed. */
export async function endSession(db: Executor, value: string, now: Date): Promise<string | null> {
  const row = await db
    .updateTable('sessions')
    .set({ ended_at: now })
    .where('id_hash', '=', sha256(value))
    .where('ended_at', 'is', null)
    .returning(['id_hash', 'operator_id'])
    .executeTakeFirst();
  return row?.id_hash ?? null;
}
