import { filter, pipe } from 'graphql-yoga';
import type { AuditLogRow } from '../server/db/schema.ts';
import { getAuditEntries, listAudit } from '../server/domain/audit/query.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { freshLoadersPerEvent, loadOncePerEvent } from './event-load.ts';

const AuditActor = builder.objectRef<AuditLogRow>('AuditActor').implement({
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
      description: 'How to show the actor: name or email, with the token name for a token.',
    }),
  }),
});

const AuditTarget = builder.objectRef<{ kind: string; id: string }>('AuditTarget').implement({
  description: 'What an audited action was done to.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'tenant, settings, license, pool, operator or token.' }),
    id: t.exposeString('id', { description: "Which one of its kind: a tenant's slug, a token's id, …" }),
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
