import { filter, pipe } from 'graphql-yoga';
import type { AuditLogRow } from '../server/db/schema.ts';
import { getAuditEntries, listAudit } from '../server/domain/audit/query.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { freshLoadersPerEvent, loadOncePerEvent } from './event-load.ts';

const AuditActor = builder.objectRef<AuditLogRow>('AuditActor').implement({
  description: 'Who acted: an operator, an API token, or the control plane itself.',
  fields: (t) => ({
    kind: t.exposeString('actor_kind', { description: 'operator, token, system or anonymous' }),
    id: t.exposeString('actor_id', { nullable: true }),
    label: t.exposeString('actor_label'),
  }),
});

const AuditTarget = builder.objectRef<{ kind: string; id: string }>('AuditTarget').implement({
  fields: (t) => ({
    kind: t.exposeString('kind'),
    id: t.exposeString('id'),
  }),
});

export const AuditEntry = builder.loadableNode('AuditEntry', {
  description: 'One audited action. Details are typed per action and never hold secret values.',
  id: { resolve: (row: AuditLogRow) => row.id },
  load: (ids: string[], ctx) => getAuditEntries(ctx.services.db, ids),
  sort: (row) => row.id,
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (row) => row.at }),
    action: t.exposeString('action'),
    actor: t.field({ type: AuditActor, resolve: (row) => row }),
    target: t.field({
      type: AuditTarget,
      nullable: true,
      resolve: (row) =>
        row.target_kind && row.target_id ? { kind: row.target_kind, id: row.target_id } : null,
    }),
    details: t.field({ type: 'JSON', resolve: (row) => row.details }),
    requestId: t.exposeString('request_id', { nullable: true }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    action: t.string({ description: 'An exact action, or a prefix ending in * (tenant.*)' }),
    targetKind: t.string(),
    targetId: t.string(),
    actorId: t.string(),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime' }),
  }),
});

const auditCursor = keysetCursor<AuditLogRow, string>(
  'audit log',
  (row) => row.id,
  (value) => (typeof value === 'string' && /^\d{1,19}$/.test(value) ? value : undefined),
);

builder.queryField('auditLog', (t) =>
  t.connection({
    type: AuditEntry,
    description: 'The control plane audit log, newest first.',
    args: { filter: t.arg({ type: AuditFilter }) },
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
  }),
);

builder.subscriptionField('auditEvents', (t) =>
  t.field({
    type: AuditEntry,
    description: 'Each new audit entry as it is recorded, on any replica.',
    args: { action: t.arg.string({ description: 'An exact action, or a prefix ending in *' }) },
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
