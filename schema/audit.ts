import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { filter, pipe } from 'graphql-yoga';
import type { GraphQLContext } from '../server/context.ts';
import type { AuditLogRow } from '../server/db/schema.ts';
import { MAX_ACTOR_MATCHES, searchActors } from '../server/domain/audit/actors.ts';
import { nameKey, type ResolvedName, resolveNames, tokenNameInLabel } from '../server/domain/audit/names.ts';
import { getAuditEntries, listAudit } from '../server/domain/audit/query.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { freshLoadersPerEvent, loadOncePerEvent } from './event-load.ts';

type ActorSource = Pick<AuditLogRow, 'actor_kind' | 'actor_id' | 'actor_label' | 'actor_token_id'>;

/**
 * The names behind the ids of a request's audit entries, loaded together: however many entries a
 * page holds and whatever their actors and targets, one query (server/domain/audit/names.ts).
 */
const namesOf = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, ResolvedName | null>((keys) => resolveNames(ctx.services.db, keys)),
);

/** The operator behind an operator or token actor, by their id. */
function actorOperator(actor: ActorSource, ctx: GraphQLContext): Promise<ResolvedName | null> | null {
  if ((actor.actor_kind !== 'operator' && actor.actor_kind !== 'token') || !actor.actor_id) return null;
  return namesOf(ctx).load(nameKey({ kind: 'operator', id: actor.actor_id }));
}

const AuditActor = builder.objectRef<ActorSource>('AuditActor').implement({
  description: 'Who acted: an operator, an API token, or the control plane itself.',
  fields: (t) => ({
    kind: t.exposeString('actor_kind', {
      description:
        'operator (a session), token (an API token), system (the control plane or its CLI) or anonymous (a failed sign-in).',
    }),
    id: t.exposeString('actor_id', {
      nullable: true,
      description:
        "The operator's id (for a token too: its operator's); for system, which part; null for anonymous.",
    }),
    label: t.exposeString('actor_label', {
      description:
        'How the actor was named when the entry was written: e-mail or name, with the token name for a token.',
    }),
    name: t.string({
      nullable: true,
      description:
        "The operator's name as their identity provider last gave it (for a token: its operator's); null when it gave none, and for system and anonymous actors.",
      resolve: async (actor, _, ctx) => (await actorOperator(actor, ctx))?.name ?? null,
    }),
    email: t.string({
      nullable: true,
      description:
        "The operator's e-mail as their identity provider last gave it (for a token: its operator's); null when it gave none, and for system and anonymous actors.",
      resolve: async (actor, _, ctx) => (await actorOperator(actor, ctx))?.email ?? null,
    }),
    tokenName: t.string({
      nullable: true,
      description: "For a token actor, the API token's name (revoked tokens keep theirs); null otherwise.",
      resolve: async (actor, _, ctx) => {
        if (actor.actor_kind !== 'token') return null;
        const token = actor.actor_token_id
          ? await namesOf(ctx).load(nameKey({ kind: 'token', id: actor.actor_token_id }))
          : null;
        // Entries written before tokens were recorded by id name the token in their label only.
        return token?.name ?? tokenNameInLabel(actor.actor_label);
      },
    }),
  }),
});

const AuditTarget = builder.objectRef<{ kind: string; id: string }>('AuditTarget').implement({
  description: 'What an audited action was done to.',
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description: 'tenant, settings, license, pool, operator, token or workers.',
    }),
    id: t.exposeString('id', { description: "Which one of its kind: a tenant's slug, a token's id, …" }),
    name: t.string({
      nullable: true,
      description:
        "Its name now: a tenant's (by slug; the tenant holding the slug now, else the latest deleted one), an API token's, an operator's name or else e-mail. Null for kinds whose id is their name (pool, settings, license, workers) and when it is gone.",
      resolve: async (target, _, ctx) => {
        const key =
          target.kind === 'tenant'
            ? nameKey({ kind: 'tenant', slug: target.id })
            : target.kind === 'token' || target.kind === 'operator'
              ? nameKey({ kind: target.kind, id: target.id })
              : null;
        if (!key) return null;
        const found = await namesOf(ctx).load(key);
        return found ? (found.name ?? found.email) : null;
      },
    }),
  }),
});

export const AuditEntry = builder.loadableNode('AuditEntry', {
  description: 'One audited action. Details are typed per action and never hold secret values.',
  id: { resolve: (row: AuditLogRow) => row.id, description: 'Global ID of the entry.' },
  load: (ids: string[], ctx) => getAuditEntries(ctx.services.db, ids),
  sort: (row) => row.id,
  fields: (t) => ({
    at: t.field({ type: 'DateTime', description: 'When the action was recorded.', resolve: (row) => row.at }),
    action: t.exposeString('action', {
      description:
        'What was done, as a dotted name: tenant.create.requested, token.revoked, settings.alerts.updated, …',
    }),
    actor: t.field({ type: AuditActor, description: 'Who did it.', resolve: (row) => row }),
    target: t.field({
      type: AuditTarget,
      nullable: true,
      description: 'What it was done to; null for actions on no object, such as a sign-in.',
      resolve: (row) =>
        row.target_kind && row.target_id ? { kind: row.target_kind, id: row.target_id } : null,
    }),
    details: t.field({
      type: 'JSON',
      description: "The action's details, an object whose shape is fixed per action; never a secret value.",
      resolve: (row) => row.details,
    }),
    requestId: t.exposeString('request_id', {
      nullable: true,
      description:
        'The request that did it (its x-request-id), to find it in the logs; null for background work.',
    }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  description: 'Narrows the audit log to entries matching every field given; fields left out match all.',
  fields: (t) => ({
    action: t.string({ description: 'An exact action, or a prefix ending in * (tenant.*)' }),
    targetKind: t.string({ description: 'Only targets of this kind (tenant, token, …).' }),
    targetId: t.string({ description: "Only this target, e.g. a tenant's slug." }),
    actorId: t.string({ description: 'Only actions of this actor (AuditActor.id).' }),
    from: t.field({ type: 'DateTime', description: 'Only entries at or after this instant.' }),
    to: t.field({
      type: 'DateTime',
      description: 'Only entries at or before this instant; not before from.',
    }),
  }),
});

export const auditCursor = keysetCursor<AuditLogRow, string>(
  'audit log',
  (row) => row.id,
  (value) => (typeof value === 'string' && /^\d{1,19}$/.test(value) ? value : undefined),
);

builder.queryField('auditLog', (t) =>
  t.connection(
    {
      type: AuditEntry,
      description:
        "The control plane's audit log, newest first: every change, reveal and sign-in, whoever made it. Any signed-in operator.",
      args: { filter: t.arg({ type: AuditFilter, description: 'Which entries; all when left out.' }) },
      resolve: (_, args, ctx) =>
        keysetConnection(args, auditCursor, ({ after, before, limit, inverted }) =>
          listAudit(ctx.services.db, args.filter ?? {}, {
            // Newest first: "after" a cursor means older entries, "before" means newer ones.
            olderThan: after,
            newerThan: before,
            limit,
            oldestFirst: inverted,
          }),
        ),
    },
    { description: 'A page of the audit log, newest first.' },
    { description: 'An audit entry and its cursor.' },
  ),
);

builder.queryField('auditActors', (t) =>
  t.field({
    type: [AuditActor],
    description:
      "Actors of the audit log found by name or e-mail, to choose one to filter by (AuditFilter.actorId takes their id): each word of search begins a word of the operator's name or e-mail (alice, doe j, alice@exa), or search is an operator's id; System for the control plane's own parts. An operator stands for their sessions and tokens alike, so kind is operator or system. Those who acted last first; operators who never acted are left out. Any signed-in operator.",
    args: {
      search: t.arg.string({
        description:
          'What to look for, at most 200 characters; left out or empty: the actors who acted last.',
      }),
      first: t.arg.int({
        required: true,
        defaultValue: 10,
        description: `How many, 1–${MAX_ACTOR_MATCHES}; outside that range is a VALIDATION_FAILED error.`,
      }),
    },
    resolve: async (_, args, ctx) => {
      const matches = await searchActors(ctx.services.db, args.search ?? '', args.first);
      const names = namesOf(ctx);
      for (const m of matches) {
        if (m.kind === 'operator')
          names.prime(nameKey({ kind: 'operator', id: m.id }), { name: m.name, email: m.email });
      }
      return matches.map(
        (m): ActorSource => ({
          actor_kind: m.kind,
          actor_id: m.id,
          actor_label: m.label,
          actor_token_id: null,
        }),
      );
    },
  }),
);

builder.subscriptionField('auditEvents', (t) =>
  t.field({
    type: AuditEntry,
    description:
      'Each new audit entry as it is recorded, on any replica. Any signed-in operator. Entries recorded while not subscribed are not replayed: read auditLog for those.',
    args: {
      action: t.arg.string({
        description: 'Only this exact action, or a prefix ending in * (tenant.*); all when left out.',
      }),
    },
    subscribe: (_, args, ctx) =>
      pipe(
        ctx.services.bus.subscribe('audit.recorded'),
        filter((event) => matchesAction(args.action, event.action)),
      ),
    resolve: async (event, _, ctx) => {
      freshLoadersPerEvent(ctx);
      const [row] = await loadOncePerEvent(event, () => getAuditEntries(ctx.services.db, [event.id]));
      if (!row) throw new Error(`audit entry ${event.id} is not readable`);
      return row;
    },
  }),
);

function matchesAction(wanted: string | null | undefined, action: string): boolean {
  if (!wanted) return true;
  return wanted.endsWith('*') ? action.startsWith(wanted.slice(0, -1)) : action === wanted;
}
