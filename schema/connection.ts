import { parseCursorConnectionArgs } from '@pothos/core';
import { ValidationError } from '../server/domain/errors.ts';

/** The largest page a connection serves; asking for more is refused, never silently capped. */
export const MAX_PAGE_SIZE = 500;
/** The page size when a request gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * Opaque cursors over a list's sort key: `kind:` and the key as JSON, base64url-encoded. A cursor
 * of another list, or one tampered with, is a ValidationError naming the list.
 */
export function keysetCursor<Row, Key>(
  /** What the list is, for the prefix and the error: `audit log` → "… is not a cursor of the audit log". */
  kind: string,
  keyOf: (row: Row) => Key,
  parseKey: (value: unknown) => Key | undefined,
) {
  const prefix = `${kind.replace(/\s+/g, '-')}:`;
  return {
    toCursor(row: Row): string {
      return Buffer.from(`${prefix}${JSON.stringify(keyOf(row))}`).toString('base64url');
    },
    fromCursor(cursor: string | null | undefined): Key | undefined {
      if (cursor === undefined || cursor === null) return undefined;
      const text = Buffer.from(cursor, 'base64url').toString();
      let key: Key | undefined;
      try {
        key = text.startsWith(prefix) ? parseKey(JSON.parse(text.slice(prefix.length))) : undefined;
      } catch {
        key = undefined;
      }
      if (key === undefined) throw new ValidationError(`"${cursor}" is not a cursor of the ${kind}`);
      return key;
    },
  };
}

type ConnectionArgs = {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
};

/** One page of a keyset query: rows after/before the given keys, `inverted` when paging backwards. */
export type KeysetPage<Key> = {
  after: Key | undefined;
  before: Key | undefined;
  limit: number;
  inverted: boolean;
};

/**
 * An edge whose cursor is made only when a request asks for it: a page's cursors cost an encoding
 * each (a tenth of a millisecond for a page of 100), and lists usually read `pageInfo.endCursor` alone.
 */
class Edge<Row> {
  #cursor: string | undefined;
  constructor(
    readonly node: Row,
    private readonly toCursor: (row: Row) => string,
  ) {}
  get cursor(): string {
    this.#cursor ??= this.toCursor(this.node);
    return this.#cursor;
  }
}

/**
 * A Relay connection read one keyset page at a time: `first`/`after` forwards, `last`/`before`
 * backwards, 50 rows by default and at most {@link MAX_PAGE_SIZE}. The page is one row longer than
 * asked when there is more (Pothos's `parseCursorConnectionArgs` decides how to read it).
 */
export async function keysetConnection<Row, Key>(
  args: ConnectionArgs,
  cursor: ReturnType<typeof keysetCursor<Row, Key>>,
  fetch: (page: KeysetPage<Key>) => Promise<Row[]>,
) {
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size !== null && size !== undefined && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new ValidationError(`${name} must be between 0 and ${MAX_PAGE_SIZE} (got ${size})`, [
        { path: name, message: `must be between 0 and ${MAX_PAGE_SIZE}` },
      ]);
    }
  }
  const { before, after, limit, inverted, expectedSize, hasPreviousPage, hasNextPage } =
    parseCursorConnectionArgs({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE });
  const rows = await fetch({
    after: cursor.fromCursor(after),
    before: cursor.fromCursor(before),
    limit,
    inverted,
  });
  const page = rows.slice(0, expectedSize);
  if (inverted) page.reverse();
  const edges = page.map((row) => new Edge(row, cursor.toCursor));
  // An empty page starts and ends where it was asked to.
  const asked = args.after ?? args.before ?? '';
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? asked,
      endCursor: edges.at(-1)?.cursor ?? asked,
      hasPreviousPage: hasPreviousPage(rows.length),
      hasNextPage: hasNextPage(rows.length),
    },
  };
}
