import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snakeCase, toSnakeKeys } from '../../../../../server/http/rest/case.ts';

describe('snake_case conversion', () => {
  it('renames nested keys in objects and arrays, leaving values alone', () => {
    expect(
      toSnakeKeys({ pageInfo: { hasNextPage: true, endCursor: 'abC' }, list: [{ userCap: 5 }] }),
    ).toEqual({
      page_info: { has_next_page: true, end_cursor: 'abC' },
      list: [{ user_cap: 5 }],
    });
  });

  it('produces keys without upper-case letters, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        const once = snakeCase(key);
        expect(once).toBe(once.replace(/[A-Z]/g, ''));
        expect(snakeCase(once)).toBe(once);
      }),
    );
  });

  it('keeps a __proto__ key from parsed JSON as a key, never as the prototype', () => {
    const parsed = JSON.parse('{"details": {"__proto__": {"isAdmin": true}, "someKey": 1}}');
    const out = toSnakeKeys(parsed) as { details: Record<string, unknown> };
    expect(Object.getPrototypeOf(out.details)).toBe(Object.prototype);
    expect((out.details as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"details":{"__proto__":{"is_admin":true},"some_key":1}}');
  });
});
