import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../../../../schema/index.ts';
import { restRoutes } from '../../../../../server/http/rest/routes.ts';

describe('REST route table', () => {
  it.each(restRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s runs a document valid against the schema',
    (_name, route) => {
      const errors = validate(schema, parse(route.document));
      expect(errors.map((e) => e.message)).toEqual([]);
    },
  );

  it('has no two routes with the same method and path', () => {
    const keys = restRoutes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
