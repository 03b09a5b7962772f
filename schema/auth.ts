import type { ApiTokenRow } from '../server/db/schema.ts';
import type { Principal } from '../server/domain/auth/principal.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../server/domain/auth/tokens.ts';
import { NotFoundError, ValidationError } from '../server/domain/errors.ts';
import { builder } from './builder.ts';

const Role = builder.enumType('Role', {
  values: { ADMIN: { value: 'admin' }, VIEWER: { value: 'viewer' } } as const,
});

const Me = builder.objectRef<Principal>('Me').implement({
  description: 'The signed-in operator, and how this request was authenticated.',
  fields: (t) => ({
    id: t.string({ resolve: (p) => p.operator.id }),
    email: t.string({ nullable: true, resolve: (p) => p.operator.email }),
    name: t.string({ nullable: true, resolve: (p) => p.operator.name }),
    role: t.field({ type: Role, resolve: (p) => p.role }),
    authenticatedBy: t.string({ description: 'session or token', resolve: (p) => p.via.kind }),
    expiresAt: t.field({ type: 'DateTime', resolve: (p) => p.via.expiresAt }),
  }),
});

const ApiToken = builder.objectRef<ApiTokenRow>('ApiToken').implement({
  description: 'An API token of the signed-in operator. Only its prefix is ever shown again.',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters, to recognise it (cpt_…)' }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
    expiresAt: t.field({ type: 'DateTime', resolve: (r) => r.expires_at }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.last_used_at }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.revoked_at }),
  }),
});

const CreatedApiToken = builder.objectRef<{ token: string; row: ApiTokenRow }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The token itself, shown this once: store it now.' }),
    apiToken: t.field({ type: ApiToken, resolve: (r) => r.row }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    expiresInDays: t.int({ required: true, description: '1–365' }),
  }),
});

builder.queryField('me', (t) =>
  t.withAuth({ operator: true }).field({ type: Me, resolve: (_, __, ctx) => ctx.principal }),
);

builder.queryField('apiTokens', (t) =>
  t.withAuth({ operator: true }).field({
    type: [ApiToken],
    resolve: (_, __, ctx) => listApiTokens(ctx.services.db, ctx.principal.operator.id),
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.withAuth({ operator: true }).field({
    type: CreatedApiToken,
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    errors: { types: [ValidationError] },
    resolve: (_, { input }, ctx) => createApiToken(ctx.services, ctx, ctx.principal.operator.id, input),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.withAuth({ operator: true }).field({
    type: ApiToken,
    args: { id: t.arg.string({ required: true }) },
    errors: { types: [NotFoundError] },
    resolve: (_, { id }, ctx) => revokeApiToken(ctx.services, ctx, ctx.principal.operator.id, id),
  }),
);
