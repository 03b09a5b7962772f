import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';

/** A value of `type` that passes validation: enough to reach execution, where authorization runs. */
export function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sampleValue(f.type)]),
    );
  }
  const samples: Record<string, unknown> = {
    String: 'x',
    // A well-formed global ID, so argument parsing passes and authorization is what answers.
    ID: Buffer.from('Tenant:00000000-0000-0000-0000-000000000000').toString('base64'),
    Int: 1,
    Float: 1,
    Boolean: true,
    DateTime: '2026-01-01T00:00:00Z',
    JSON: {},
  };
  return samples[getNamedType(type).name] ?? 'x';
}

/** One valid operation per root field, with every required argument given as a variable. */
export function operationsFor(root: GraphQLObjectType, keyword: 'query' | 'mutation' | 'subscription') {
  return Object.values(root.getFields()).map((field: GraphQLField<unknown, unknown>) => {
    const required = field.args.filter((a) => isNonNullType(a.type));
    const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
    const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
    return {
      name: field.name,
      query: `${keyword} Probe${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
      variables: Object.fromEntries(required.map((a) => [a.name, sampleValue(a.type)])),
    };
  });
}
