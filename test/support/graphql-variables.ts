import {
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type TypeNode,
  typeFromAST,
} from 'graphql';

/** `target_kind` → `targetKind`: a REST field's name in GraphQL. */
export const snakeToCamel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A REST value as GraphQL takes it, by the GraphQL type: query-string text or a parsed value in,
 * numbers, booleans, lists (comma-separated text) and upper-case enum values out.
 */
export function coerce(value: unknown, type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return coerce(value, type.ofType);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : String(value).split(',');
    return items.map((v) => coerce(v, type.ofType));
  }
  const named = getNamedType(type);
  if (isEnumType(named)) return String(value).toUpperCase();
  if (typeof value !== 'string') return value;
  if (named.name === 'Int' || named.name === 'Float') return Number(value);
  if (named.name === 'Boolean') return value === 'true';
  return value;
}

/**
 * The GraphQL variables that should carry REST field `field` = `value`, found from the document
 * and the schema alone (never through a route's own mapping, which is what tests check): a
 * variable named after the field, or a field of that name in an input-object variable such as
 * `filter` or `input`.
 */
export function variablesFor(
  schema: GraphQLSchema,
  document: DocumentNode,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const name = snakeToCamel(field);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('the document has no operation');
  const typeOf = (node: TypeNode) => typeFromAST(schema, node as never) as GraphQLInputType;
  for (const v of operation.variableDefinitions ?? []) {
    if (v.variable.name.value === name) return { [name]: coerce(value, typeOf(v.type)) };
  }
  for (const v of operation.variableDefinitions ?? []) {
    const input = getNamedType(typeOf(v.type));
    const inner = isInputObjectType(input) ? input.getFields()[name] : undefined;
    if (inner) return { [v.variable.name.value]: { [name]: coerce(value, inner.type) } };
  }
  throw new Error(`${field} has no variable or input field named ${name} in the GraphQL document`);
}
