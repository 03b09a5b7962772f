import { z } from 'zod';
import { mutation } from './documents.ts';
import { route } from './route.ts';

/**
 * REST routes of tenant backups (spec: tenant detail "Backups"). The download,
 * `GET /tenants/:slug/backups/:id/download`, streams a file rather than running a document: it
 * is served by server/http/backup-download.ts.
 */

export const BACKUP = `id state trigger requestedBy phase progressBytes startedAt finishedAt sizeBytes sha256 error
  tables { table rows } serverVersion pgDumpVersion verification verifiedAt verifyError`;
const SETTINGS = `schedule keep custom updatedAt updatedBy`;

const byId = ({ params }: { params: Record<string, string> }) => ({ slug: params.slug, id: params.id });

export const backupRoutes = [
  route({
    method: 'POST',
    path: '/tenants/:slug/backups',
    summary: "Start a backup of the tenant's database (pg_dump, custom format); 202 with the running backup",
    tag: 'backups',
    document: mutation('Rest_CreateTenantBackup', 'createTenantBackup', BACKUP, undefined, undefined, false),
    field: 'createTenantBackup',
    variables: ({ params }) => ({ slug: params.slug }),
    status: 202,
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/backups',
    summary: "The tenant's backups, newest first, with cursor pagination",
    tag: 'backups',
    query: z
      .object({
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(500).optional(),
      })
      .strict(),
    document: `query Rest_TenantBackups($slug: String!, $first: Int, $after: String) {
      tenant(slug: $slug) {
        backups(first: $first, after: $after) { edges { node { ${BACKUP} } } pageInfo { hasNextPage endCursor } }
      }
    }`,
    field: 'tenant',
    variables: ({ params, query }) => ({ slug: params.slug, first: query.first, after: query.after }),
    respond: (value) => {
      const { backups } = value as { backups: { edges: { node: unknown }[]; pageInfo: unknown } };
      return { backups: backups.edges.map((e) => e.node), pageInfo: backups.pageInfo };
    },
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/backups/:id',
    summary: 'One backup: state, size, sha256, row counts, verification',
    tag: 'backups',
    document: `query Rest_TenantBackup($slug: String!, $id: ID!) { tenant(slug: $slug) { backup(id: $id) { ${BACKUP} } } }`,
    field: 'tenant',
    variables: byId,
    respond: (value) => (value as { backup: unknown }).backup,
  }),
  route({
    method: 'DELETE',
    path: '/tenants/:slug/backups/:id',
    summary: 'Delete a backup and its file',
    tag: 'backups',
    document: mutation(
      'Rest_DeleteTenantBackup',
      'deleteTenantBackup',
      BACKUP,
      '$slug: String!, $id: ID!',
      'slug: $slug, id: $id',
      false,
    ),
    field: 'deleteTenantBackup',
    variables: byId,
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/backups/:id/verify',
    summary: 'Prove a backup restorable (restore into a scratch database, compare row counts); 202',
    tag: 'backups',
    document: mutation(
      'Rest_VerifyTenantBackup',
      'verifyTenantBackup',
      BACKUP,
      '$slug: String!, $id: ID!',
      'slug: $slug, id: $id',
      false,
    ),
    field: 'verifyTenantBackup',
    variables: byId,
    status: 202,
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/backup-settings',
    summary: "The tenant's backup schedule (daily, UTC) and retention",
    tag: 'backups',
    document: `query Rest_TenantBackupSettings($slug: String!) { tenant(slug: $slug) { backupSettings { ${SETTINGS} } } }`,
    field: 'tenant',
    variables: ({ params }) => ({ slug: params.slug }),
    respond: (value) => (value as { backupSettings: unknown }).backupSettings,
  }),
  route({
    method: 'PUT',
    path: '/tenants/:slug/backup-settings',
    summary: 'Set the backup schedule and retention: {"schedule": "HH:MM" | null, "keep": N}',
    tag: 'backups',
    body: z
      .object({
        schedule: z.string().max(10).nullable().optional(),
        keep: z.number({ message: 'must be a whole number' }).int('must be a whole number'),
      })
      .strict(),
    document: mutation(
      'Rest_SetTenantBackupSettings',
      'setTenantBackupSettings',
      SETTINGS,
      '$slug: String!, $input: TenantBackupSettingsInput!',
      'slug: $slug, input: $input',
    ),
    field: 'setTenantBackupSettings',
    variables: ({ params, body }) => ({
      slug: params.slug,
      input: { schedule: body.schedule ?? null, keep: body.keep },
    }),
  }),
];
