import { filter, pipe } from 'graphql-yoga';
import type { TenantBackupRow } from '../server/db/schema.ts';
import {
  createTenantBackup,
  deleteTenantBackup,
  tenantBackup,
  verifyTenantBackup,
} from '../server/domain/backups/backups.ts';
import { type BackupKey, getBackup, listBackups } from '../server/domain/backups/repository.ts';
import {
  type BackupSettings,
  backupSettingsOf,
  setBackupSettings,
} from '../server/domain/backups/settings.ts';
import { ConflictError, DependencyError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import type { Topics } from '../server/events/topics.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { mutationErrors } from './errors.ts';
import { loadOncePerEvent } from './event-load.ts';
import { Tenant } from './tenant.ts';

const BackupState = builder.enumType('BackupState', {
  description: 'Where a backup is.',
  values: {
    RUNNING: { value: 'running', description: 'pg_dump is running; progressBytes grows.' },
    SUCCEEDED: { value: 'succeeded', description: 'Complete: its file is stored, checksummed and listed.' },
    FAILED: { value: 'failed', description: 'It ended without a file; error says why.' },
  } as const,
});

const BackupTrigger = builder.enumType('BackupTrigger', {
  description: 'What started a backup.',
  values: {
    MANUAL: { value: 'manual', description: 'An operator (createTenantBackup).' },
    SCHEDULE: { value: 'schedule', description: "The tenant's daily schedule." },
  } as const,
});

const BackupVerification = builder.enumType('BackupVerification', {
  description: 'Whether a backup was proven restorable.',
  values: {
    NONE: { value: 'none', description: 'Not verified (yet).' },
    RUNNING: { value: 'running', description: 'Being restored into a scratch database.' },
    PASSED: {
      value: 'passed',
      description: 'Restored, and every table has the rows recorded at backup time.',
    },
    FAILED: {
      value: 'failed',
      description: 'Corrupt, not restorable, or row counts differ: verifyError says.',
    },
  } as const,
});

type TableCount = { table: string; rows: number };

const BackupTableCount = builder.objectRef<TableCount>('BackupTableCount').implement({
  description: 'Rows of one table in the snapshot a backup was taken from.',
  fields: (t) => ({
    table: t.exposeString('table', { description: 'schema.table' }),
    rows: t.exposeInt('rows', { description: 'Its rows.' }),
  }),
});

const num = (v: string | null) => (v === null ? null : Number(v));

export const TenantBackup = builder.objectRef<TenantBackupRow>('TenantBackup').implement({
  description:
    "A logical backup (pg_dump, custom format) of a tenant's database: restore it with pg_restore. Live through tenantBackupChanged.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id (REST paths take it).' }),
    state: t.field({
      type: BackupState,
      description: 'Running, succeeded or failed.',
      resolve: (b) => b.state,
    }),
    trigger: t.field({ type: BackupTrigger, description: 'Manual or scheduled.', resolve: (b) => b.trigger }),
    requestedBy: t.exposeString('requested_by', { description: 'Who asked (AuditActor.label).' }),
    phase: t.exposeString('phase', {
      nullable: true,
      description: 'While running: counting (rows per table), dumping, storing.',
    }),
    progressBytes: t.field({
      type: 'Float',
      description: 'Bytes written so far (updated about every second while running).',
      resolve: (b) => Number(b.progress_bytes),
    }),
    startedAt: t.field({ type: 'DateTime', description: 'When it started.', resolve: (b) => b.started_at }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it ended.',
      resolve: (b) => b.finished_at,
    }),
    sizeBytes: t.field({
      type: 'Float',
      nullable: true,
      description: 'Size of the file in bytes, once succeeded.',
      resolve: (b) => num(b.size_bytes),
    }),
    sha256: t.exposeString('sha256', {
      nullable: true,
      description: "The file's SHA-256, hex, once succeeded.",
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed.' }),
    tables: t.field({
      type: [BackupTableCount],
      description: 'Rows per table at backup time (what verification compares), by table name.',
      resolve: (b) =>
        Object.entries(b.table_counts ?? {})
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
          .map(([table, rows]) => ({ table, rows })),
    }),
    serverVersion: t.exposeString('server_version', {
      nullable: true,
      description: 'Version of the PostgreSQL server dumped.',
    }),
    pgDumpVersion: t.exposeString('pg_dump_version', {
      nullable: true,
      description: 'Version of the pg_dump that made it (pg_restore must be at least as new).',
    }),
    verification: t.field({
      type: BackupVerification,
      description: 'Whether it was proven restorable.',
      resolve: (b) => b.verify_state,
    }),
    verifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the last verification ended.',
      resolve: (b) => b.verified_at,
    }),
    verifyError: t.exposeString('verify_error', { nullable: true, description: 'Why verification failed.' }),
  }),
});

const TenantBackupSettings = builder.objectRef<BackupSettings>('TenantBackupSettings').implement({
  description: "A tenant's backup schedule and retention.",
  fields: (t) => ({
    schedule: t.exposeString('schedule', {
      nullable: true,
      description: 'Daily at this UTC time (HH:MM), run by the leader; null: no scheduled backups.',
    }),
    keep: t.exposeInt('keep', {
      description: 'Succeeded backups kept (1–1000); older ones are deleted, with older failed attempts.',
    }),
    custom: t.exposeBoolean('custom', {
      description: 'False while the tenant follows the defaults (BACKUP_SCHEDULE, BACKUP_KEEP).',
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last change; null: the defaults.',
      resolve: (v) => v.updatedAt,
    }),
    updatedBy: t.exposeString('updatedBy', { nullable: true, description: 'Who made the last change.' }),
  }),
});

export const backupCursor = keysetCursor<TenantBackupRow, BackupKey>(
  'tenant backup list',
  (row) => ({ startedAt: row.started_at.toISOString(), id: row.id }),
  (value) => {
    const v = value as Partial<BackupKey> | null;
    return v &&
      typeof v.startedAt === 'string' &&
      typeof v.id === 'string' &&
      !Number.isNaN(Date.parse(v.startedAt))
      ? { startedAt: v.startedAt, id: v.id }
      : undefined;
  },
);

builder.objectField(Tenant, 'backups', (t) =>
  t.connection(
    {
      type: TenantBackup,
      description: "The tenant's backups, newest first, running and failed ones included.",
      resolve: (tenant, args, ctx) =>
        keysetConnection(args, backupCursor, (page) => listBackups(ctx.services.db, tenant.id, page)),
    },
    { description: 'A page of backups, newest first.' },
    { description: 'A backup and its cursor.' },
  ),
);

builder.objectField(Tenant, 'backup', (t) =>
  t.field({
    type: TenantBackup,
    nullable: true,
    description: "One of the tenant's backups by id; null when it has none with that id.",
    args: { id: t.arg.id({ required: true, description: 'The backup id.' }) },
    resolve: (tenant, { id }, ctx) =>
      tenantBackup(ctx.services.backups, tenant.slug, String(id)).then(
        (found) => (found.tenant.id === tenant.id ? found.backup : null),
        () => null,
      ),
  }),
);

builder.objectField(Tenant, 'backupSettings', (t) =>
  t.field({
    type: TenantBackupSettings,
    description: 'Backup schedule and retention (the configured defaults until changed).',
    resolve: (tenant, _, ctx) => backupSettingsOf(ctx.services.db, tenant, ctx.services.config.backups),
  }),
);

builder.mutationField('createTenantBackup', (t) =>
  t.field({
    type: TenantBackup,
    description:
      "Starts a backup of the tenant's database (pg_dump, custom format) and answers it RUNNING; follow it with tenantBackupChanged. One per tenant at a time: ConflictError BACKUP_RUNNING while one runs, TENANT_NOT_ACTIVE unless active; DependencyError PG_DUMP_UNAVAILABLE names the pg_dump to install. Admin role. Audited (tenant.backup.requested, then .completed or .failed).",
    args: { slug: t.arg.string({ required: true, description: "The tenant's slug." }) },
    errors: mutationErrors([NotFoundError, ConflictError, DependencyError], 'The backup, running.'),
    resolve: (_, { slug }, ctx) => createTenantBackup(ctx.services.backups, ctx, slug),
  }),
);

builder.mutationField('deleteTenantBackup', (t) =>
  t.field({
    type: TenantBackup,
    description:
      "Deletes a backup and its file. NotFoundError BACKUP_NOT_FOUND for an unknown id or another tenant's; ConflictError BACKUP_RUNNING or BACKUP_VERIFYING. Admin role. Audited (tenant.backup.deleted).",
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      id: t.arg.id({ required: true, description: 'The backup id.' }),
    },
    errors: mutationErrors([NotFoundError, ConflictError], 'The backup as it was.'),
    resolve: (_, { slug, id }, ctx) => deleteTenantBackup(ctx.services.backups, ctx, slug, String(id)),
  }),
);

builder.mutationField('verifyTenantBackup', (t) =>
  t.field({
    type: TenantBackup,
    description:
      'Starts proving a backup restorable: its checksum is checked, it is restored with pg_restore into a scratch database, each table’s rows are compared with those recorded at backup time, and the scratch database is dropped. Answers it with verification RUNNING. ConflictError BACKUP_NOT_SUCCEEDED or BACKUP_VERIFYING. Admin role. Audited (tenant.backup.verified).',
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      id: t.arg.id({ required: true, description: 'The backup id.' }),
    },
    errors: mutationErrors([NotFoundError, ConflictError, DependencyError], 'The backup, being verified.'),
    resolve: (_, { slug, id }, ctx) => verifyTenantBackup(ctx.services.backups, ctx, slug, String(id)),
  }),
);

const TenantBackupSettingsInput = builder.inputType('TenantBackupSettingsInput', {
  description: "A tenant's backup schedule and retention.",
  fields: (t) => ({
    schedule: t.string({
      description: 'Daily at this UTC time (HH:MM, e.g. 02:30); null or left out: none.',
    }),
    keep: t.int({ required: true, description: 'Succeeded backups to keep, 1–1000.' }),
  }),
});

builder.mutationField('setTenantBackupSettings', (t) =>
  t.field({
    type: TenantBackupSettings,
    description:
      "Sets a tenant's backup schedule and retention; the leader applies retention on its next round. Admin role. Audited (tenant.backup.settings_updated).",
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      input: t.arg({ type: TenantBackupSettingsInput, required: true, description: 'The settings.' }),
    },
    errors: mutationErrors([ValidationError, NotFoundError, ConflictError], 'The settings now.'),
    resolve: (_, { slug, input }, ctx) =>
      setBackupSettings(
        {
          db: ctx.services.db,
          bus: ctx.services.bus,
          now: ctx.services.now,
          settings: ctx.services.config.backups,
        },
        ctx,
        slug,
        { schedule: input.schedule ?? null, keep: input.keep },
      ),
  }),
);

type BackupEvent = Topics['tenant.backup'];

const BackupChange = builder.enumType('TenantBackupChange', {
  description: 'What happened to a backup.',
  values: {
    CREATED: { value: 'created', description: 'It was requested.' },
    PROGRESS: { value: 'progress', description: 'It moved on (phase, bytes written).' },
    FINISHED: { value: 'finished', description: 'It succeeded or failed.' },
    VERIFICATION: { value: 'verification', description: 'A verification started or ended.' },
    DELETED: { value: 'deleted', description: 'It was deleted (on request or by retention).' },
  } as const,
});

const TenantBackupEvent = builder.objectRef<BackupEvent>('TenantBackupEvent').implement({
  description: 'A change of one backup.',
  fields: (t) => ({
    backupId: t.exposeID('backupId', { description: 'The backup.' }),
    slug: t.exposeString('slug', { description: 'Its tenant.' }),
    change: t.field({ type: BackupChange, description: 'What happened.', resolve: (e) => e.change }),
    backup: t.field({
      type: TenantBackup,
      nullable: true,
      description: 'The backup as it is now; null once deleted.',
      resolve: (e, _, ctx) =>
        loadOncePerEvent(e, () => getBackup(ctx.services.db, e.backupId)).then((b) => b ?? null),
    }),
  }),
});

builder.subscriptionField('tenantBackupChanged', (t) =>
  t.field({
    type: TenantBackupEvent,
    description:
      "Changes of a tenant's backups (requested, progress about every second, finished, verified, deleted), from any replica. Any signed-in operator.",
    args: { slug: t.arg.string({ required: true, description: "The tenant's slug." }) },
    subscribe: (_, { slug }, ctx) =>
      pipe(
        ctx.services.bus.subscribe('tenant.backup'),
        filter((e) => e.slug === slug),
      ),
    resolve: (event) => event,
  }),
);
