import { buildSchema, extendSchema, type GraphQLSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSdl, schema } from '../../../schema/index.ts';
import { lintSchema } from '../../../schema/lint.ts';

/** A copy of today's schema with `sdl` added to it. */
function extended(sdl: string): GraphQLSchema {
  return extendSchema(buildSchema(printSdl()), parse(sdl));
}

const issuesAt = (s: GraphQLSchema) => lintSchema(s).map(({ rule, at }) => ({ rule, at }));

describe('schema lint', () => {
  it('finds nothing in the schema as built: every part described and named by the conventions', () => {
    expect(lintSchema(schema)).toEqual([]);
  });

  it('names an undescribed field added to a copy of the schema, and nothing else', () => {
    const issues = lintSchema(extended('extend type Query { undocumented: String }'));
    expect(issues).toEqual([{ rule: 'description', at: 'Query.undocumented', message: expect.any(String) }]);
  });

  it('names undescribed types, arguments, input fields and enum values', () => {
    const s = extended(`
      extend type Query { """d""" things(kind: ThingKind, filter: ThingInput): [Thing!]! }
      type Thing { """d""" name: String }
      enum ThingKind { """d""" BIG SMALL }
      input ThingInput { size: Int }
    `);
    expect(issuesAt(s)).toEqual(
      expect.arrayContaining([
        { rule: 'description', at: 'Thing' },
        { rule: 'description', at: 'ThingKind' },
        { rule: 'description', at: 'ThingKind.SMALL' },
        { rule: 'description', at: 'ThingInput' },
        { rule: 'description', at: 'ThingInput.size' },
        { rule: 'description', at: 'Query.things(kind:)' },
        { rule: 'description', at: 'Query.things(filter:)' },
      ]),
    );
    expect(issuesAt(s)).toHaveLength(7);
  });

  it('names fields, arguments, types and enum values in the wrong case, and inputs not named XxxInput', () => {
    const s = extended(`
      extend type Query { """d""" Bad_field("""d""" Arg_name: Int, """d""" f: badEnum, """d""" g: Filters): Int }
      """d""" enum badEnum { """d""" lowerCase """d""" GOOD_VALUE }
      """d""" input Filters { """d""" x: Int }
    `);
    expect(issuesAt(s)).toEqual([
      { rule: 'naming', at: 'Query.Bad_field' },
      { rule: 'naming', at: 'Query.Bad_field(Arg_name:)' },
      { rule: 'naming', at: 'badEnum' },
      { rule: 'naming', at: 'badEnum.lowerCase' },
      { rule: 'naming', at: 'Filters' },
    ]);
  });

  it('names a mutation not named verbNoun, and one that does not answer its MutationXxxResult union', () => {
    const s = extended(`
      extend type Mutation {
        """d""" tenantCreate: MutationTenantCreateResult!
        """d""" updateThing: Int!
      }
      """d""" union MutationTenantCreateResult = BaseError
    `);
    expect(issuesAt(s)).toEqual([
      { rule: 'naming', at: 'Mutation.tenantCreate' },
      { rule: 'naming', at: 'Mutation.updateThing' },
    ]);
  });

  it('names a type no operation can reach', () => {
    const s = extended('"""d""" type Orphan { """d""" a: Int }');
    expect(issuesAt(s)).toEqual([{ rule: 'unreachable', at: 'Orphan' }]);
  });

  it('names a first argument whose description gives no maximum, and accepts one that does', () => {
    const s = extended(`
      extend type Query {
        """d""" loose("""How many to return.""" first: Int): [String!]!
        """d""" bounded("""How many, at most 50.""" first: Int): [String!]!
      }
    `);
    expect(issuesAt(s)).toEqual([{ rule: 'page-size', at: 'Query.loose(first:)' }]);
  });

  it('names a deprecation that does not say what to use instead', () => {
    const s = extended('extend type Query { """d""" old: Int @deprecated }');
    expect(issuesAt(s)).toEqual([{ rule: 'deprecation', at: 'Query.old' }]);
  });
});
