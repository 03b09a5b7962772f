import type { ApiTokenRow } from '../server/db/schema.ts';
import type { Principal } from '../server/domain/auth/principal.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../server/domain/auth/tokens.ts';
import { NotFoundError, ValidationError } from '../server/domain/errors.ts';
import { builder } from './builder.ts';
import { mutationErrors } from './errors.ts';

/**
 * Mutations of the caller's own account, open to every signed-in operator, viewers included (the
 * root Mutation type asks for the admin role): a viewer manages their own API tokens, which carry
 * their own role. REST authorizes its routes by the same list.
 */
export const SELF_SERVICE_MUTATIONS: readonly string[] = ['createApiToken', 'revokeApiToken'];

const Role = builder.enumType('Role', {
  description: "What an operator may do; from the identity provider's role claim at sign-in.",
  values: {
    ADMIN: { value: 'admin', description: 'Reads, subscriptions and every mutation.' },
    VIEWER: {
      value: 'viewer',
      description:
        'Reads and subscriptions, and their own API tokens (createApiToken, revokeApiToken); every other mutation is refused with FORBIDDEN.',
    },
  } as const,
});

const Me = builder.objectRef<Principal>('Me').implement({
  description: 'The signed-in operator, and how this request was authenticated.',
  fields: (t) => ({
    id: t.string({
      description: "The operator's id, as AuditActor.id shows it.",
      resolve: (p) => p.operator.id,
    }),
    email: t.string({
      nullable: true,
      description: 'From the identity provider; null when it gave none.',
      resolve: (p) => p.operator.email,
    }),
    name: t.string({
      nullable: true,
      description: 'From the identity provider; null when it gave none.',
      resolve: (p) => p.operator.name,
    }),
    role: t.field({ type: Role, description: 'What this request may do.', resolve: (p) => p.role }),
    authenticatedBy: t.string({
      description: 'session (the cp_session cookie) or token (an Authorization: Bearer API token).',
      resolve: (p) => p.via.kind,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When the session or token stops working (a session may end sooner when idle).',
      resolve: (p) => p.via.expiresAt,
    }),
  }),
});

const ApiToken = builder.objectRef<ApiTokenRow>('ApiToken').implement({
  description: 'An API token of the signed-in operator. Only its prefix is ever shown again.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'What revokeApiToken takes.' }),
    name: t.exposeString('name', { description: 'What the token is for, as given at creation.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters, to recognise it (cpt_…)' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (r) => r.created_at,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When it stops working (401 from then on).',
      resolve: (r) => r.expires_at,
    }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last request made with it, to the minute; null if never used.',
      resolve: (r) => r.last_used_at,
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked; null while it is not.',
      resolve: (r) => r.revoked_at,
    }),
  }),
});

const CreatedApiToken = builder.objectRef<{ token: string; row: ApiTokenRow }>('CreatedApiToken').implement({
  description: 'A new API token: the token itself, shown this once, and what lists will show of it.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The token itself, shown this once: store it now.' }),
    apiToken: t.field({
      type: ApiToken,
      description: 'The token as apiTokens lists it.',
      resolve: (r) => r.row,
    }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  description: 'A new API token for the calling operator.',
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'What the token is for, as lists show it; 1–100 characters.',
    }),
    expiresInDays: t.int({ required: true, description: 'Lifetime in whole days, 1–365.' }),
  }),
});

builder.queryField('me', (t) =>
  t.withAuth({ operator: true }).field({
    type: Me,
    description:
      'Who is calling, with which role, and how this request was authenticated. Any signed-in operator.',
    resolve: (_, __, ctx) => ctx.principal,
  }),
);

builder.queryField('apiTokens', (t) =>
  t.withAuth({ operator: true }).field({
    type: [ApiToken],
    description:
      "The caller's own API tokens, newest first, revoked and expired ones included (prefixes only, never the tokens). Any signed-in operator.",
    resolve: (_, __, ctx) => listApiTokens(ctx.services.db, ctx.principal.operator.id),
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.withAuth({ operator: true }).field({
    skipTypeScopes: true,
    type: CreatedApiToken,
    description:
      'Creates an API token (cpt_…) for the calling operator, acting with their role; the answer is the only time the token is shown. Any signed-in operator, viewers included (their own account). Audited (token.created).',
    args: {
      input: t.arg({ type: CreateApiTokenInput, required: true, description: 'Its name and lifetime.' }),
    },
    errors: mutationErrors([ValidationError], 'The token, to store now, and its listing.'),
    resolve: (_, { input }, ctx) => createApiToken(ctx.services, ctx, ctx.principal.operator.id, input),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.withAuth({ operator: true }).field({
    skipTypeScopes: true,
    type: ApiToken,
    description:
      "Revokes one of the caller's own API tokens at once; connections using it are closed. NotFoundError TOKEN_NOT_FOUND when the caller has no active token with this id. Any signed-in operator, viewers included (their own account). Audited (token.revoked).",
    args: { id: t.arg.string({ required: true, description: 'ApiToken.id of the token.' }) },
    errors: mutationErrors([NotFoundError], 'The token, now with revokedAt set.'),
    resolve: async (_, { id }, ctx) => {
      const row = await revokeApiToken(ctx.services, ctx, ctx.principal.operator.id, id);
      ctx.services.auth.forget({ kind: 'token', id: row.id });
      return row;
    },
  }),
);
