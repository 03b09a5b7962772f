import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * What the audit log names by id, resolved to the names people know: an operator (their name and
 * e-mail), an API token (its name), a tenant (by slug: its name).
 */
export type NameKey =
  | { kind: 'operator'; id: string }
  | { kind: 'token'; id: string }
  | { kind: 'tenant'; slug: string };

export type ResolvedName = {
  /** The operator's, token's or tenant's name. */
  name: string | null;
  /** The operator's e-mail; null for the others. */
  email: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The loader key of a name: one string per thing, so a page asking twice for it loads it once. */
export function nameKey(key: NameKey): string {
  return key.kind === 'tenant' ? `tenant:${key.slug}` : `${key.kind}:${key.id.toLowerCase()}`;
}

/**
 * Resolves the names behind `keys` (from {@link nameKey}) in one query, whatever their kinds, in
 * the order asked; null where there is none (gone, or not an id of its kind). A tenant's slug may
 * have been used again after a deletion: the tenant holding it now, else the latest deleted one.
 */
export async function resolveNames(db: Executor, keys: readonly string[]): Promise<(ResolvedName | null)[]> {
  const operators: string[] = [];
  const tokens: string[] = [];
  const slugs: string[] = [];
  for (const key of keys) {
    const [kind, value = ''] = splitKey(key);
    if (kind === 'operator' && UUID.test(value)) operators.push(value);
    else if (kind === 'token' && UUID.test(value)) tokens.push(value);
    else if (kind === 'tenant') slugs.push(value);
  }
  if (operators.length + tokens.length + slugs.length === 0) return keys.map(() => null);
  const { rows } = await sql<{ key: string; name: string | null; email: string | null }>`
    select 'operator:' || o.id as key, o.name, o.email
      from operators o where o.id = any(${operators}::uuid[])
    union all
    select 'token:' || t.id, t.name, null
      from api_tokens t where t.id = any(${tokens}::uuid[])
    union all
    select * from (
      select distinct on (slug) 'tenant:' || slug, name, null
        from tenants where slug = any(${slugs}::text[])
        order by slug, state = 'deleted', created_at desc
    ) latest`.execute(db);
  const byKey = new Map(rows.map((r) => [r.key, { name: r.name, email: r.email } satisfies ResolvedName]));
  return keys.map((key) => byKey.get(key) ?? null);
}

function splitKey(key: string): [string, string] {
  const colon = key.indexOf(':');
  return [key.slice(0, colon), key.slice(colon + 1)];
}

/** The token name in a label written before tokens were recorded by id: `alice@x (token ci)`. */
export function tokenNameInLabel(label: string): string | null {
  return /\(token (.+)\)$/.exec(label)?.[1] ?? null;
}
