import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLContext, SignedInContext } from '../server/context.ts';
import { ADMIN_REQUIRED, AUTHENTICATION_REQUIRED } from '../server/domain/auth/principal.ts';
import { DependencyError, DomainError } from '../server/domain/errors.ts';
import { COMPLEXITY_LIMITS, fieldComplexity } from './complexity.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  AuthScopes: { operator: boolean; admin: boolean };
  // Behind t.withAuth({ operator: true }) a resolver's ctx.principal is not null.
  AuthContexts: { operator: SignedInContext; admin: SignedInContext };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  // Checked before the first root field resolves: an oversized request costs no database work.
  complexity: {
    fieldComplexity,
    limit: COMPLEXITY_LIMITS,
    complexityError: (kind, result) => {
      const measure = kind.toLowerCase() as keyof typeof COMPLEXITY_LIMITS;
      return createGraphQLError(
        `this request is too large: its ${measure} is ${result[measure]}, the most allowed is ${COMPLEXITY_LIMITS[measure]}; ask for fewer items, fields or aliases`,
        { extensions: { code: 'REQUEST_TOO_LARGE', http: { status: 400 } } },
      );
    },
  },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      operator: ctx.principal !== null,
      admin: ctx.principal?.role === 'admin',
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.principal
        ? createGraphQLError(ADMIN_REQUIRED, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } })
        : createGraphQLError(AUTHENTICATION_REQUIRED, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          }),
  },
  // The relay plugin makes these types and fields itself; their descriptions are given here so the
  // printed schema documents them like every hand-written one.
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeTypeOptions: {
      description: 'An object with a global ID, which node and nodes fetch again.',
    },
    idFieldOptions: {
      description: 'Global ID: opaque, stable, unique across types. Pass it to node or nodes.',
    },
    nodeQueryOptions: {
      description: 'Any object by its global ID, or null when there is none. Any signed-in operator.',
      args: { id: { description: 'A global ID from any id field.' } },
    },
    nodesQueryOptions: {
      description:
        'Objects by global ID, in the order asked; null where there is none. Any signed-in operator.',
      args: { ids: { description: 'Global IDs from id fields.' } },
    },
    pageInfoTypeOptions: {
      description: 'Where a page of a connection sits in the whole list, and the cursors to page on from it.',
    },
    hasNextPageFieldOptions: {
      description:
        'Items follow this page: page on with after: endCursor. Paging backwards, true whenever before was given.',
    },
    hasPreviousPageFieldOptions: {
      description:
        'Items precede this page: page back with last and before: startCursor. Paging forwards, true whenever after was given.',
    },
    startCursorFieldOptions: { description: 'The cursor of the first item; null when the page is empty.' },
    endCursorFieldOptions: { description: 'The cursor of the last item; null when the page is empty.' },
    edgesFieldOptions: { description: 'The items of this page, in list order, each with its cursor.' },
    pageInfoFieldOptions: { description: 'Whether there are more pages, and the cursors to reach them.' },
    cursorFieldOptions: {
      description: 'Opaque position of this item; only valid for the list it came from.',
    },
    nodeFieldOptions: { description: 'The item itself.' },
    firstArgOptions: {
      description: `Page size forwards, 0–${MAX_PAGE_SIZE} (${DEFAULT_PAGE_SIZE} when neither first nor last is given). More than ${MAX_PAGE_SIZE} is a VALIDATION_FAILED error, never silently capped.`,
    },
    afterArgOptions: { description: 'Items after this cursor (an endCursor of the same list).' },
    lastArgOptions: {
      description: `Page size backwards, from the end or from before, 0–${MAX_PAGE_SIZE}. More than ${MAX_PAGE_SIZE} is a VALIDATION_FAILED error.`,
    },
    beforeArgOptions: { description: 'Items before this cursor (a startCursor of the same list).' },
  },
  errors: {
    defaultTypes: [DomainError, DependencyError],
  },
});
// The plugins extend @pothos/core's SchemaBuilder class when they are imported. Two copies of
// @pothos/core in node_modules (an install that did not follow package-lock.json) would leave this
// builder without their methods, and the first schema file would fail with "builder.loadableNode is
// not a function": say what is wrong instead.
if (typeof (builder as { loadableNode?: unknown }).loadableNode !== 'function')
  throw new Error(
    'the Pothos plugins extended another copy of @pothos/core than the one the schema uses: `npm ls @pothos/core` lists the copies; reinstall with `npm ci`',
  );
