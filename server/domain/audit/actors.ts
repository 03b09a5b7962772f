import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { operatorLabel } from '../auth/operators.ts';
import { ValidationError } from '../errors.ts';

/** One actor of the audit log found by name or e-mail: who, and when they last acted. */
export type ActorMatch = {
  kind: 'operator' | 'system';
  /** What `AuditFilter.actorId` takes: the operator's id (their tokens' entries too), or the system part. */
  id: string;
  label: string;
  name: string | null;
  email: string | null;
  lastActedAt: Date;
};

export const MAX_ACTOR_MATCHES = 50;
const MAX_SEARCH_LENGTH = 200;
const MAX_WORDS = 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The control plane's own actors (`SYSTEM_ACTOR`, the CLI), found by these words. */
const SYSTEM_ACTORS = [
  { id: 'control-plane', label: 'control plane', words: ['system', 'control', 'plane', 'automatic'] },
  { id: 'cli', label: 'justiam-cp CLI', words: ['system', 'cli', 'command', 'line', 'justiam', 'cp'] },
] as const;

/**
 * The words of a search: split where the index splits names and e-mails (any character that is
 * not a letter or digit), lower-cased; each must begin a word of the name or e-mail.
 */
export function searchWords(search: string): string[] {
  return (
    search
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, MAX_WORDS) ?? []
  );
}

/**
 * Actors of the audit log whose name or e-mail has a word starting with each word of `search`
 * ("ali", "alice@exa", "doe j"), or whose id it is; those who acted last first. Operators are found
 * through the `operators_search` index and each one's last entry through `audit_log_actor_idx`,
 * so neither table is read whole; operators who never acted are left out. An empty search lists
 * the actors who acted last.
 */
export async function searchActors(db: Executor, search: string, first: number): Promise<ActorMatch[]> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_ACTOR_MATCHES) {
    throw new ValidationError(`first must be between 1 and ${MAX_ACTOR_MATCHES} (got ${first})`);
  }
  if (search.length > MAX_SEARCH_LENGTH) {
    throw new ValidationError(`search must be at most ${MAX_SEARCH_LENGTH} characters`);
  }
  const raw = search.trim();
  const words = searchWords(raw);
  if (raw !== '' && words.length === 0 && !UUID.test(raw)) return [];
  const [operators, system] = await Promise.all([
    matchingOperators(db, raw, words, first),
    matchingSystemActors(db, words),
  ]);
  return [...operators, ...system]
    .sort((a, b) => b.lastActedAt.getTime() - a.lastActedAt.getTime())
    .slice(0, first);
}

async function matchingOperators(
  db: Executor,
  raw: string,
  words: string[],
  first: number,
): Promise<ActorMatch[]> {
  // The expression of the operators_search index, word for word.
  const document = sql`to_tsvector('simple', translate(lower(coalesce(o.name, '') || ' ' || coalesce(o.email, '')), '@._+-', '     '))`;
  const query = words.map((w) => `${w}:*`).join(' & ');
  const byWords = sql`${document} @@ to_tsquery('simple', ${query})`;
  const where =
    raw === ''
      ? sql`true`
      : UUID.test(raw)
        ? words.length > 0
          ? sql`(${byWords} or o.id = ${raw.toLowerCase()}::uuid)`
          : sql`o.id = ${raw.toLowerCase()}::uuid`
        : byWords;
  const { rows } = await sql<{
    id: string;
    name: string | null;
    email: string | null;
    subject: string;
    last_at: Date;
  }>`
    select o.id::text as id, o.name, o.email, o.subject, last.at as last_at
      from operators o
      cross join lateral (
        select a.at from audit_log a where a.actor_id = o.id::text order by a.id desc limit 1
      ) last
      where ${where}
      order by last.at desc
      limit ${first}`.execute(db);
  return rows.map((r) => ({
    kind: 'operator',
    id: r.id,
    label: operatorLabel(r),
    name: r.name,
    email: r.email,
    lastActedAt: r.last_at,
  }));
}

async function matchingSystemActors(db: Executor, words: string[]): Promise<ActorMatch[]> {
  const matching = SYSTEM_ACTORS.filter((actor) =>
    words.every((w) => actor.words.some((word) => word.startsWith(w)) || actor.id === w),
  );
  if (matching.length === 0) return [];
  const { rows } = await sql<{ id: string; last_at: Date }>`
    select s.id, last.at as last_at
      from unnest(${matching.map((a) => a.id)}::text[]) s(id)
      cross join lateral (
        select a.at from audit_log a where a.actor_id = s.id order by a.id desc limit 1
      ) last`.execute(db);
  return rows.map((r) => ({
    kind: 'system',
    id: r.id,
    label: matching.find((a) => a.id === r.id)!.label,
    name: null,
    email: null,
    lastActedAt: r.last_at,
  }));
}
