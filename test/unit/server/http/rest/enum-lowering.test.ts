import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { toSnakeKeys } from '../../../../../server/http/rest/case.ts';
import { enumLowering } from '../../../../../server/http/rest/enum-values.ts';

/** A schema small enough to hold every shape the REST answers can take. */
const schema = buildSchema(`
  enum State { ACTIVE DELETED }
  interface Thing { state: State }
  type Tenant implements Thing { state: State  states: [State!]  name: String  owner: Tenant }
  type Query { tenant: Tenant  tenants: [Tenant!]!  thing: Thing }
`);

describe('enum lowering: shapes beyond the route documents of today', () => {
  it('follows named fragments, wherever they are written in the document', () => {
    const lower = enumLowering(
      schema,
      `fragment T on Tenant { state owner { ...O } }
       query { tenant { ...T } }
       fragment O on Tenant { state }`,
    );
    expect(lower({ tenant: { state: 'ACTIVE', owner: { state: 'DELETED' } } })).toEqual({
      tenant: { state: 'active', owner: { state: 'deleted' } },
    });
  });

  it('lowers lists of enum values, and leaves a missing enum value missing', () => {
    const lower = enumLowering(schema, '{ tenants { states state name } }');
    expect(
      lower({
        tenants: [
          { states: ['ACTIVE', 'DELETED'], state: null, name: 'ACME' },
          { states: null, state: 'ACTIVE', name: null },
        ],
      }),
    ).toEqual({
      tenants: [
        { states: ['active', 'deleted'], state: null, name: 'ACME' },
        { states: null, state: 'active', name: null },
      ],
    });
  });

  it('takes no data, or a null object, as it comes', () => {
    const lower = enumLowering(schema, '{ tenant { state owner { state } } }');
    expect(lower(null)).toBeNull();
    expect(lower(undefined)).toBeUndefined();
    expect(lower({ tenant: { state: 'ACTIVE', owner: null } })).toEqual({
      tenant: { state: 'active', owner: null },
    });
  });

  it('reads enum fields through an interface and an inline fragment on its type', () => {
    const lower = enumLowering(schema, '{ thing { state ... on Tenant { states } } }');
    expect(lower({ thing: { state: 'DELETED', states: ['ACTIVE'] } })).toEqual({
      thing: { state: 'deleted', states: ['active'] },
    });
  });

  it('skips a spread of a fragment the document does not define', () => {
    const lower = enumLowering(schema, '{ tenant { ...Missing state } }');
    expect(lower({ tenant: { state: 'ACTIVE' } })).toEqual({ tenant: { state: 'active' } });
  });

  it('refuses a document without an operation, or for a root type the schema lacks', () => {
    expect(() => enumLowering(schema, 'fragment T on Tenant { state }')).toThrow(
      'a REST route document needs an operation',
    );
    expect(() => enumLowering(schema, 'mutation { x }')).toThrow('the schema has no mutation type');
  });
});

describe('snake_case keys', () => {
  it('leaves null, numbers, booleans and strings as they are', () => {
    expect(toSnakeKeys({ aB: null, cD: 0, eF: false, gH: 'iJ', list: [null, 'kL'] })).toEqual({
      a_b: null,
      c_d: 0,
      e_f: false,
      g_h: 'iJ',
      list: [null, 'kL'],
    });
    expect(toSnakeKeys(null)).toBeNull();
  });
});
