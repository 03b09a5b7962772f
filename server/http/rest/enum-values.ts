import {
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
} from 'graphql';

/** Which response keys of a selection hold enum values, and what is nested under the others. */
type Plan = { enums: Set<string>; nested: Map<string, Plan> };

/**
 * REST answers in snake_case, values included: GraphQL's enum values (`ACTIVE`) become the lower-case
 * words the query parameters already use (`active`). Which values are enums is read from the schema
 * and the route's document once, so a name or a slug that happens to be upper-case is left alone.
 */
export function enumLowering(schema: GraphQLSchema, document: string): (data: unknown) => unknown {
  const ast = parse(document);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of ast.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = ast.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION)
    throw new Error('a REST route document needs an operation');
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  const plan = planOf(schema, root, operation.selectionSet, fragments);
  return (data) => apply(plan, data);
}

function planOf(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  selections: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  into: Plan = { enums: new Set(), nested: new Map() },
): Plan {
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const type = fields[selection.name.value]?.type;
      if (!type) continue;
      const named = getNamedType(type);
      if (isEnumType(named)) into.enums.add(key);
      else if (isCompositeType(named) && selection.selectionSet) {
        into.nested.set(key, planOf(schema, named, selection.selectionSet, fragments, into.nested.get(key)));
      }
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment) continue;
      const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
      if (on && isCompositeType(on)) planOf(schema, on, fragment.selectionSet, fragments, into);
    }
  }
  return into;
}

/** Lowers the enum values `plan` names, in place: `value` is an answer just parsed, nobody else's. */
function apply(plan: Plan, value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = apply(plan, value[i]);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const key of plan.enums) if (Object.hasOwn(record, key)) record[key] = lower(record[key]);
  for (const [key, nested] of plan.nested)
    if (Object.hasOwn(record, key)) record[key] = apply(nested, record[key]);
  return record;
}

function lower(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lower);
  return typeof value === 'string' ? value.toLowerCase() : value;
}
