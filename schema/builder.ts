import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLContext, SignedInContext } from '../server/context.ts';
import { ADMIN_REQUIRED, AUTHENTICATION_REQUIRED } from '../server/domain/auth/principal.ts';
import { DependencyError, DomainError } from '../server/domain/errors.ts';

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
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
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
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  errors: {
    defaultTypes: [DomainError, DependencyError],
  },
});
