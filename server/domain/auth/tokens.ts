import { z } from 'zod';
import type { Db, Executor } from '../../db/database.ts';
import type { ApiTokenRow } from '../../db/schema.ts';
import type { EventBus } from '../../events/bus.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { NotFoundError } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { randomCredential, sha256 } from './hash.ts';
import type { Principal } from './principal.ts';

/** What token operations use. */
export type TokenServices = { db: Db; bus: EventBus; now: () => Date };

export const TOKEN_PREFIX = 'cpt_';
/** How much of a token is kept to recognise it in lists: the prefix and 4 characters. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 4;

/** A token's name: what it is for, as shown in lists. */
export const tokenNameSchema = z
  .string({ message: 'is required and must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** A token's lifetime in whole days, 1–365. */
export const tokenDaysSchema = z
  .number({ message: 'is required and must be a whole number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be between 1 and 365')
  .max(365, 'must be between 1 and 365');

const createSchema = z.object({ name: tokenNameSchema, expiresInDays: tokenDaysSchema }).strict();

export type CreateTokenInput = z.input<typeof createSchema>;

/**
 * Creates an API token for the operator. The value is returned once and stored only as a hash;
 * `cpt_` + 32 random bytes, so scanners can recognise a leaked one.
 */
export async function createApiToken(
  services: TokenServices,
  call: Call,
  operatorId: string,
  input: CreateTokenInput,
): Promise<{ token: string; row: ApiTokenRow }> {
  const { db, bus } = services;
  const now = services.now();
  const valid = parseInput(createSchema, input, 'API token');
  const token = `${TOKEN_PREFIX}${randomCredential()}`;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('api_tokens')
      .values({
        operator_id: operatorId,
        name: valid.name,
        prefix: token.slice(0, SHOWN_CHARS),
        hash: sha256(token),
        created_at: now,
        expires_at: new Date(now.getTime() + valid.expiresInDays * 86_400_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(
      trx,
      bus,
      call,
      'token.created',
      { kind: 'token', id: inserted.id },
      {
        name: inserted.name,
        prefix: inserted.prefix,
        expiresAt: inserted.expires_at.toISOString(),
      },
    );
    return inserted;
  });
  return { token, row };
}

/** The operator's tokens, newest first, revoked ones included (with their revocation time). */
export function listApiTokens(db: Executor, operatorId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * Revokes one of the operator's tokens. On commit, a trigger publishes `auth.revoked`: every
 * replica forgets the token and closes the connections that use it.
 */
export async function revokeApiToken(
  services: TokenServices,
  call: Call,
  operatorId: string,
  tokenId: string,
): Promise<ApiTokenRow> {
  const { db, bus } = services;
  const now = services.now();
  if (!/^[0-9a-f-]{36}$/i.test(tokenId))
    throw new NotFoundError(`no API token with id "${tokenId}"`, 'TOKEN_NOT_FOUND');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('operator_id', '=', operatorId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`no active API token with id "${tokenId}"`, 'TOKEN_NOT_FOUND');
    await record(
      trx,
      bus,
      call,
      'token.revoked',
      { kind: 'token', id: row.id },
      { name: row.name, prefix: row.prefix },
    );
    return row;
  });
}

/**
 * The principal behind a bearer token, or null when it is malformed, unknown, revoked, expired or
 * its operator was deleted. Records when it was last used (at most once a minute).
 */
export async function resolveApiToken(db: Executor, token: string, now: Date): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('operators', 'operators.id', 'api_tokens.operator_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.name as token_name',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'operators.id',
      'operators.email',
      'operators.name',
      'operators.subject',
      'operators.role',
      'operators.deleted_at',
    ])
    .where('api_tokens.hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.deleted_at || row.expires_at <= now) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return {
    operator: { id: row.id, email: row.email, name: row.name, subject: row.subject, role: row.role },
    role: row.role,
    via: { kind: 'token', id: row.token_id, name: row.token_name, expiresAt: row.expires_at },
  };
}
