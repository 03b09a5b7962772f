import {
  DEFAULT_DEPRECATION_REASON,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql';

/**
 * The schema's conventions as a contract for clients, checked on the built `GraphQLSchema`: every
 * type, field, argument, input field and enum value described; names in the usual GraphQL cases;
 * mutations named verbNoun and answering `MutationXxxResult`; no type that no operation can reach;
 * every page size with its maximum in its description.
 */
export type LintIssue = {
  rule: 'description' | 'naming' | 'unreachable' | 'page-size' | 'deprecation';
  /** Where: `Type`, `Type.field`, `Type.field(arg:)` or `Enum.VALUE`. */
  at: string;
  message: string;
};

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL_CASE = /^[a-z][A-Za-z0-9]*$/;
const SCREAMING_CASE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** The verbs a mutation name may start with. A new kind of change adds its verb here, on purpose. */
export const MUTATION_VERBS = [
  'activate',
  'add',
  'apply',
  'assign',
  'cancel',
  'clear',
  'create',
  'delete',
  'disable',
  'enable',
  'remove',
  'renew',
  'repair',
  'reset',
  'retry',
  'reveal',
  'rollback',
  'revoke',
  'rotate',
  'scale',
  'send',
  'set',
  'sync',
  'test',
  'update',
  'upgrade',
  'verify',
];
const VERB_NOUN = new RegExp(`^(${MUTATION_VERBS.join('|')})[A-Z][A-Za-z0-9]*$`);

/**
 * Input types named before the `XxxInput` rule. Renaming one breaks every client that declares a
 * variable of it (`$filter: AuditFilter`), so it waits for a release that may break clients.
 */
const INPUT_NAMES_BEFORE_THE_RULE = new Set(['AuditFilter']);

/** Page-size arguments: their description must state the largest value accepted. */
const PAGE_SIZE_ARGS = new Set(['first', 'last']);
/** "at most 500", "1–100", "0–500", "maximum 50": a number the caller can read as the limit. */
const STATES_A_MAXIMUM = /\bat most \d|\d\s*[–-]\s*\d|\bmax(imum)?\b\D*\d/i;

/** Every issue in the schema; an empty list means it keeps the conventions. */
export function lintSchema(schema: GraphQLSchema): LintIssue[] {
  const issues: LintIssue[] = [];
  const reachable = reachableTypes(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    issues.push(...typeIssues(type));
    if (!reachable.has(type.name)) {
      issues.push({
        rule: 'unreachable',
        at: type.name,
        message: 'no query, mutation or subscription can reach this type: use it or remove it',
      });
    }
  }
  issues.push(...mutationIssues(schema));
  return issues;
}

function typeIssues(type: GraphQLNamedType): LintIssue[] {
  const issues = [
    ...described(type.name, type.description),
    ...named(type.name, type.name, PASCAL_CASE, 'PascalCase'),
  ];
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) issues.push(...fieldIssues(type.name, field));
  } else if (isInputObjectType(type)) {
    if (!type.name.endsWith('Input') && !INPUT_NAMES_BEFORE_THE_RULE.has(type.name)) {
      issues.push({ rule: 'naming', at: type.name, message: 'an input type is named XxxInput' });
    }
    for (const field of Object.values(type.getFields())) {
      const at = `${type.name}.${field.name}`;
      issues.push(
        ...described(at, field.description),
        ...named(at, field.name, CAMEL_CASE, 'camelCase'),
        ...deprecation(at, field.deprecationReason),
      );
    }
  } else if (isEnumType(type)) {
    for (const value of type.getValues()) {
      const at = `${type.name}.${value.name}`;
      issues.push(
        ...described(at, value.description),
        ...named(at, value.name, SCREAMING_CASE, 'SCREAMING_CASE'),
        ...deprecation(at, value.deprecationReason),
      );
    }
  }
  return issues;
}

function fieldIssues(typeName: string, field: GraphQLField<unknown, unknown>): LintIssue[] {
  const at = `${typeName}.${field.name}`;
  const issues = [
    ...described(at, field.description),
    ...named(at, field.name, CAMEL_CASE, 'camelCase'),
    ...deprecation(at, field.deprecationReason),
  ];
  for (const arg of field.args) issues.push(...argumentIssues(`${at}(${arg.name}:)`, arg));
  return issues;
}

function argumentIssues(at: string, arg: GraphQLArgument): LintIssue[] {
  const issues = [
    ...described(at, arg.description),
    ...named(at, arg.name, CAMEL_CASE, 'camelCase'),
    ...deprecation(at, arg.deprecationReason),
  ];
  if (PAGE_SIZE_ARGS.has(arg.name) && !STATES_A_MAXIMUM.test(arg.description ?? '')) {
    issues.push({
      rule: 'page-size',
      at,
      message: 'a page size states its maximum in its description ("at most 500", "1–100")',
    });
  }
  return issues;
}

function mutationIssues(schema: GraphQLSchema): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const at = `Mutation.${field.name}`;
    if (!VERB_NOUN.test(field.name)) {
      issues.push({
        rule: 'naming',
        at,
        message: `a mutation is named verbNoun, starting with one of: ${MUTATION_VERBS.join(', ')}`,
      });
    }
    const result = getNamedType(field.type);
    const expected = `Mutation${field.name[0]!.toUpperCase()}${field.name.slice(1)}Result`;
    if (!isUnionType(result) || result.name !== expected) {
      issues.push({
        rule: 'naming',
        at,
        message: `a mutation answers the union ${expected} of its success and error types (declare its errors), not ${result.name}`,
      });
    }
  }
  return issues;
}

function described(at: string, description: string | null | undefined): LintIssue[] {
  return description?.trim()
    ? []
    : [
        {
          rule: 'description',
          at,
          message: 'has no description: say what it is and what a caller must know',
        },
      ];
}

function named(at: string, name: string, pattern: RegExp, convention: string): LintIssue[] {
  return pattern.test(name) ? [] : [{ rule: 'naming', at, message: `"${name}" is not ${convention}` }];
}

function deprecation(at: string, reason: string | null | undefined): LintIssue[] {
  return reason === DEFAULT_DEPRECATION_REASON
    ? [{ rule: 'deprecation', at, message: 'is deprecated without a reason: say what to use instead' }]
    : [];
}

/**
 * Types an operation can reach from the root types: through fields, arguments, input fields,
 * union members, an object's interfaces and an interface's implementations.
 */
function reachableTypes(schema: GraphQLSchema): Set<string> {
  const seen = new Set<string>();
  const pending: GraphQLNamedType[] = [
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ].filter((root) => root !== null && root !== undefined);
  for (let type = pending.pop(); type; type = pending.pop()) {
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        pending.push(getNamedType(field.type), ...field.args.map((arg) => getNamedType(arg.type)));
      }
      pending.push(...type.getInterfaces());
      if (isInterfaceType(type)) pending.push(...schema.getPossibleTypes(type));
    } else if (isUnionType(type)) {
      pending.push(...type.getTypes());
    } else if (isInputObjectType(type)) {
      pending.push(...Object.values(type.getFields()).map((field) => getNamedType(field.type)));
    }
  }
  return seen;
}
