import {
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { selects } from '../../../schema/selection.ts';

/** The resolve info of the document's first root field, as far as `selects` reads it. */
function infoOf(document: string): GraphQLResolveInfo {
  const parsed = parse(document);
  const operation = parsed.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = operation.selectionSet.selections[0]!;
  if (root.kind !== Kind.FIELD) throw new Error('the first selection must be a field');
  return { fieldNodes: [root], fragments } as unknown as GraphQLResolveInfo;
}

const PATH = ['edges', 'node', 'operation'];

describe('selects', () => {
  it.each([
    ['directly', '{ tenants { edges { node { slug operation { state } } } } }'],
    ['as a leaf', '{ tenants { edges { node { operation } } } }'],
    ['under an alias', '{ tenants { e: edges { n: node { op: operation { state } } } } }'],
    [
      'through a fragment spread',
      '{ tenants { edges { node { ...T } } } } fragment T on Tenant { operation { state } }',
    ],
    [
      'through nested fragments',
      '{ tenants { ...C } } fragment C on QueryTenantsConnection { edges { ...E } } fragment E on Edge { node { ...T } } fragment T on Tenant { operation { state } }',
    ],
    [
      'through an inline fragment',
      '{ tenants { edges { node { ... on Tenant { operation { state } } } } } }',
    ],
    [
      'under @skip (not evaluated: read ahead for nothing)',
      '{ tenants { edges { node { operation @skip(if: true) { state } } } } }',
    ],
  ])('finds the path %s', (_how, document) => {
    expect(selects(infoOf(document), PATH)).toBe(true);
  });

  it.each([
    ['when it is absent', '{ tenants { edges { node { slug } } } }'],
    ['when only its first part is there', '{ tenants { edges { cursor } } }'],
    ['at another depth', '{ tenants { edges { operation { state } } } }'],
    ['when a fragment it would be in is not defined', '{ tenants { edges { node { ...Missing } } } }'],
    ['when the field has no selection', '{ tenants }'],
  ])('does not find it %s', (_how, document) => {
    expect(selects(infoOf(document), PATH)).toBe(false);
  });
});
