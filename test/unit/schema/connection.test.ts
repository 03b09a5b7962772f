import { describe, expect, it } from 'vitest';
import {
  type KeysetPage,
  keysetConnection,
  keysetCursor,
  MAX_PAGE_SIZE,
} from '../../../schema/connection.ts';
import { ValidationError } from '../../../server/domain/errors.ts';

type Row = { id: number; name: string };

/** A cursor over rows keyed by a non-negative integer id. */
const cursor = keysetCursor<Row, number>(
  'audit log',
  (row) => row.id,
  (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined),
);

const decoded = (c: string) => Buffer.from(c, 'base64url').toString();
const encoded = (text: string) => Buffer.from(text).toString('base64url');

/** What `fetch` was asked for, answering with `rows`. */
function recorder(rows: Row[] = []) {
  const pages: KeysetPage<number>[] = [];
  return {
    pages,
    fetch: async (page: KeysetPage<number>) => {
      pages.push(page);
      return rows;
    },
  };
}

describe('keyset cursors', () => {
  it('round-trips the sort key through an opaque base64url cursor prefixed with the list', () => {
    const c = cursor.toCursor({ id: 42, name: 'x' });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decoded(c)).toBe('audit-log:42');
    expect(cursor.fromCursor(c)).toBe(42);
  });

  it('joins every run of white space in the list name with one hyphen', () => {
    const spaced = keysetCursor<Row, number>(
      'tenant \t list',
      (r) => r.id,
      (v) => v as number,
    );
    expect(decoded(spaced.toCursor({ id: 1, name: '' }))).toBe('tenant-list:1');
  });

  it('keeps a falsy key (0) as a key, not as "no cursor"', () => {
    expect(cursor.fromCursor(cursor.toCursor({ id: 0, name: '' }))).toBe(0);
  });

  it('reads no cursor (null or undefined) as no position', () => {
    expect(cursor.fromCursor(undefined)).toBeUndefined();
    expect(cursor.fromCursor(null)).toBeUndefined();
  });

  it.each([
    ['a cursor of another list', encoded('tenants:42')],
    ['a key its list would not have', encoded('audit-log:-1')],
    ['a tampered key that is not JSON', encoded('audit-log:{42')],
    ['a prefix alone', encoded('audit-log:')],
    ['something that is no cursor at all', 'hello'],
  ])('refuses %s with a ValidationError naming the list', (_what, bad) => {
    let error: unknown;
    try {
      cursor.fromCursor(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(`"${bad}" is not a cursor of the audit log`);
  });
});

describe('keyset connections', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `r${i + 1}` }));

  it('asks for one row more than the default page of 50, forwards, from the start', async () => {
    const r = recorder(rows(51));
    const connection = await keysetConnection({}, cursor, r.fetch);
    expect(r.pages).toEqual([{ after: undefined, before: undefined, limit: 51, inverted: false }]);
    expect(connection.edges).toHaveLength(50);
    expect(connection.pageInfo.hasNextPage).toBe(true);
  });

  it('turns `after` and `before` cursors into keys for the query, and rows into cursors for the answer', async () => {
    const r = recorder(rows(2));
    const after = cursor.toCursor({ id: 7, name: '' });
    const before = cursor.toCursor({ id: 3, name: '' });
    const connection = await keysetConnection({ first: 2, after, before }, cursor, r.fetch);
    expect(r.pages[0]).toMatchObject({ after: 7, before: 3, limit: 3, inverted: false });
    expect(connection.edges.map((e) => e?.cursor)).toEqual(rows(2).map((row) => cursor.toCursor(row)));
    expect(connection.pageInfo.hasNextPage).toBe(false);
  });

  it('pages backwards with `last`', async () => {
    const r = recorder(rows(3));
    const connection = await keysetConnection({ last: 2 }, cursor, r.fetch);
    expect(r.pages[0]).toMatchObject({ limit: 3, inverted: true });
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
  });

  it('reads a backwards page in list order, its start and end cursors those of its first and last rows', async () => {
    // Fetched backwards from the end: newest key first, one row more than asked.
    const r = recorder([
      { id: 9, name: '' },
      { id: 8, name: '' },
      { id: 7, name: '' },
    ]);
    const connection = await keysetConnection({ last: 2 }, cursor, r.fetch);
    expect(connection.edges.map((e) => e.node.id)).toEqual([8, 9]);
    expect(connection.pageInfo).toEqual({
      startCursor: cursor.toCursor({ id: 8, name: '' }),
      endCursor: cursor.toCursor({ id: 9, name: '' }),
      hasPreviousPage: true,
      hasNextPage: false,
    });
  });

  it('an empty page starts and ends at the cursor it was asked from', async () => {
    const after = cursor.toCursor({ id: 7, name: '' });
    const connection = await keysetConnection({ first: 5, after }, cursor, recorder().fetch);
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo).toMatchObject({ startCursor: after, endCursor: after });
    const unplaced = await keysetConnection({ first: 5 }, cursor, recorder().fetch);
    expect(unplaced.pageInfo).toMatchObject({ startCursor: '', endCursor: '' });
  });

  it("encodes an edge's cursor only when it is read, once", async () => {
    let encoded = 0;
    const counting = {
      ...cursor,
      toCursor: (row: Row) => {
        encoded++;
        return cursor.toCursor(row);
      },
    };
    const connection = await keysetConnection({ first: 10 }, counting, recorder(rows(10)).fetch);
    expect(encoded).toBe(2); // pageInfo's start and end
    const third = connection.edges[2]!;
    expect(third.cursor).toBe(cursor.toCursor(rows(10)[2]!));
    expect(third.cursor).toBe(cursor.toCursor(rows(10)[2]!));
    expect(encoded).toBe(3);
  });

  it.each([0, 1, MAX_PAGE_SIZE])('serves first and last of %i', async (size) => {
    await expect(keysetConnection({ first: size }, cursor, recorder().fetch)).resolves.toBeDefined();
    await expect(keysetConnection({ last: size }, cursor, recorder().fetch)).resolves.toBeDefined();
    await expect(
      keysetConnection({ first: null, last: null }, cursor, recorder().fetch),
    ).resolves.toBeDefined();
  });

  it.each([
    ['first', -1],
    ['first', MAX_PAGE_SIZE + 1],
    ['last', -1],
    ['last', MAX_PAGE_SIZE + 1],
  ])('refuses %s = %i before querying, naming the argument and the bounds', async (name, size) => {
    const r = recorder();
    let error: unknown;
    try {
      await keysetConnection({ [name]: size }, cursor, r.fetch);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      message: `${name} must be between 0 and ${MAX_PAGE_SIZE} (got ${size})`,
      issues: [{ path: name, message: `must be between 0 and ${MAX_PAGE_SIZE}` }],
    });
    expect(r.pages).toEqual([]);
  });

  it('the page bound is 500', () => {
    expect(MAX_PAGE_SIZE).toBe(500);
  });
});
