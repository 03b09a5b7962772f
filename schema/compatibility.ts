import {
  type Change,
  ChangeType,
  CriticalityLevel,
  DiffRule,
  diff,
  type Rule,
} from '@graphql-inspector/core';
import { type GraphQLSchema, isInterfaceType, isObjectType } from 'graphql';

/** The changes between the released schema and the current one, by what they do to existing clients. */
export type SchemaComparison = {
  /** Queries that worked against the release can fail: refused unless deprecated first. */
  breaking: Change[];
  /** Queries still validate but may behave differently (a new enum value, a deprecated field removed). */
  dangerous: Change[];
  safe: Change[];
};

/**
 * graphql 16 lets arguments be deprecated too, but inspector's deprecation rule covers only fields,
 * enum values and input fields: treat a deprecated argument's removal like theirs.
 */
const suppressRemovalOfDeprecatedArgument: Rule = ({ changes, oldSchema }) =>
  changes.map((change) => {
    if (change.type !== ChangeType.FieldArgumentRemoved || !change.path) return change;
    const [typeName = '', fieldName = '', argName] = change.path.split('.');
    const type = oldSchema?.getType(typeName);
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
    const arg = field?.args.find((a) => a.name === argName);
    return arg?.deprecationReason
      ? { ...change, criticality: { ...change.criticality, level: CriticalityLevel.Dangerous } }
      : change;
  });

/**
 * Compares the current schema with the released one (`@graphql-inspector/core`). Removing a field,
 * enum value, input field or argument is breaking unless the release already marked it
 * `@deprecated`: then clients had a release's notice, and the removal is only dangerous.
 */
export async function compareSchemas(
  released: GraphQLSchema,
  current: GraphQLSchema,
): Promise<SchemaComparison> {
  const changes = await diff(released, current, [
    DiffRule.suppressRemovalOfDeprecatedField,
    suppressRemovalOfDeprecatedArgument,
  ]);
  const at = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  return {
    breaking: at(CriticalityLevel.Breaking),
    dangerous: at(CriticalityLevel.Dangerous),
    safe: at(CriticalityLevel.NonBreaking),
  };
}
