import type { AuditLogRow, TenantRow } from '../server/db/schema.ts';
import { listAudit } from '../server/domain/audit/query.ts';
import { listBackups } from '../server/domain/backups/repository.ts';
import {
  backupsRemovedAt,
  deleteRequestOf,
  findDeletedTenant,
  purgeRequested,
  slugInUse,
  tenantAuditFilter,
} from '../server/domain/backups/tombstone.ts';
import { AuditEntry, auditCursor } from './audit.ts';
import { backupCursor, TenantBackup } from './backups.ts';
import { builder } from './builder.ts';
import { keysetConnection } from './connection.ts';

type Tombstone = { tenant: TenantRow; request: AuditLogRow | undefined; slugInUse: boolean };

const DeletedTenant = builder.objectRef<Tombstone>('DeletedTenant').implement({
  description:
    'What stays of a deleted tenant: its record, who deleted it, its audit entries and the backups kept after it (read-only).',
  fields: (t) => ({
    slug: t.string({ description: 'The slug it had.', resolve: (d) => d.tenant.slug }),
    name: t.string({ description: 'Its display name.', resolve: (d) => d.tenant.name }),
    createdBy: t.string({
      description: 'Who created it (AuditActor.label).',
      resolve: (d) => d.tenant.created_by,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (d) => d.tenant.created_at,
    }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its deletion finished.',
      resolve: (d) => d.tenant.deleted_at,
    }),
    deleteRequestedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its deletion was asked for (tenant.delete.requested); null if no entry is found.',
      resolve: (d) => d.request?.at ?? null,
    }),
    deletedBy: t.string({
      nullable: true,
      description:
        'Who asked for the deletion (AuditActor.label of tenant.delete.requested); null if no entry is found.',
      resolve: (d) => d.request?.actor_label ?? null,
    }),
    backupsPurged: t.boolean({
      description: 'True when the deletion asked for its backups to be removed with it (purgeBackups).',
      resolve: (d) => purgeRequested(d.request),
    }),
    backupsRemovedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the leader removes its kept backups: deletedAt plus DELETED_TENANT_BACKUP_RETENTION_DAYS (at once when backupsPurged).',
      resolve: (d, _, ctx) =>
        purgeRequested(d.request)
          ? d.tenant.deleted_at
          : backupsRemovedAt(d.tenant, ctx.services.config.backups.deletedTenantRetentionDays),
    }),
    slugInUse: t.boolean({
      description: 'True when a tenant not deleted has this slug again (tenant(slug) answers that one).',
      resolve: (d) => d.slugInUse,
    }),
    auditLog: t.connection(
      {
        type: AuditEntry,
        description:
          'Its audit entries, newest first: those naming its slug from its creation until another tenant took the slug.',
        resolve: async (d, args, ctx) => {
          const filter = await tenantAuditFilter(ctx.services.db, d.tenant);
          return keysetConnection(args, auditCursor, ({ after, before, limit, inverted }) =>
            listAudit(ctx.services.db, filter, {
              olderThan: after,
              newerThan: before,
              limit,
              oldestFirst: inverted,
            }),
          );
        },
      },
      { description: 'A page of its audit entries, newest first.' },
      { description: 'An audit entry and its cursor.' },
    ),
    backups: t.connection(
      {
        type: TenantBackup,
        description:
          'Its backups kept after the deletion, newest first; each downloads at /tenants/:slug/backups/:id/download.',
        resolve: (d, args, ctx) =>
          keysetConnection(args, backupCursor, (page) => listBackups(ctx.services.db, d.tenant.id, page)),
      },
      { description: 'A page of its kept backups, newest first.' },
      { description: 'A backup and its cursor.' },
    ),
  }),
});

builder.queryField('deletedTenant', (t) =>
  t.field({
    type: DeletedTenant,
    nullable: true,
    description:
      'The latest deleted tenant that had this slug (its tombstone), even when a new tenant has the slug now; null when none was deleted. Any signed-in operator.',
    args: { slug: t.arg.string({ required: true, description: 'The slug it had.' }) },
    resolve: async (_, { slug }, ctx) => {
      const tenant = await findDeletedTenant(ctx.services.db, slug);
      if (!tenant) return null;
      const [request, inUse] = await Promise.all([
        deleteRequestOf(ctx.services.db, tenant),
        slugInUse(ctx.services.db, slug),
      ]);
      return { tenant, request, slugInUse: inUse };
    },
  }),
);
