import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the request selects `path` under the field being resolved (`['edges', 'node',
 * 'operation']` under a connection), through fragments and inline fragments. Directives are not
 * evaluated: a field under `@skip` counts as selected, so a resolver that reads ahead for it does
 * some work for nothing, never less than it should.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return info.fieldNodes.some((node) => node.selectionSet && within(info, node.selectionSet, path, 0));
}

function within(
  info: GraphQLResolveInfo,
  set: SelectionSetNode,
  path: readonly string[],
  depth: number,
): boolean {
  for (const selection of set.selections) {
    let next: SelectionSetNode | undefined;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== path[depth]) continue;
      if (depth === path.length - 1) return true;
      if (selection.selectionSet && within(info, selection.selectionSet, path, depth + 1)) return true;
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) next = selection.selectionSet;
    else next = info.fragments[selection.name.value]?.selectionSet;
    if (next && within(info, next, path, depth)) return true;
  }
  return false;
}
