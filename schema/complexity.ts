import { type GraphQLOutputType, getNamedType, isListType, isNonNullType } from 'graphql';
import { DEFAULT_PAGE_SIZE } from './connection.ts';

/**
 * What one request may ask for, counted over its shape before anything runs (Pothos's
 * complexity plugin): a field costs 1, what a list field selects costs as many times as the list
 * can hold (a connection: its `first`/`last`, else the default page), and a read of a tenant's own
 * database or backend costs {@link TENANT_READ_COMPLEXITY}. The tenant list's biggest page with
 * every field the UI shows stays well inside; hundreds of aliases of it do not.
 */
export const COMPLEXITY_LIMITS = { complexity: 60_000, depth: 14, breadth: 1_500 };

/** A field that reads a tenant's database, backend or Secret: worth many plain fields. */
export const TENANT_READ_COMPLEXITY = 25;

/** Lists that are not connections: the steps of an operation, a tenant's secrets… small and bounded. */
const LIST_MULTIPLIER = 10;

/** The cost of a field without a `complexity` option of its own. */
export function fieldComplexity(
  args: Record<string, unknown>,
  _ctx: unknown,
  field: { name: string; type: GraphQLOutputType },
): number | { field: number; multiplier: number } {
  const named = getNamedType(field.type).name;
  if (named.endsWith('Connection')) {
    const size = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
    return { field: 1, multiplier: Number.isFinite(size) ? Math.max(size, 1) : DEFAULT_PAGE_SIZE };
  }
  // The connection counted its page already; its edges and nodes lists are that page.
  if (named.endsWith('Edge') || field.name === 'nodes') return { field: 0, multiplier: 1 };
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(type) ? { field: 1, multiplier: LIST_MULTIPLIER } : 1;
}
