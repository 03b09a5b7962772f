import { z } from 'zod';
import { tokenDaysSchema, tokenNameSchema } from '../../domain/auth/tokens.ts';
import { adminEmailSchema, tenantNameSchema } from '../../domain/tenants/operations/lifecycle.ts';
import { slugSchema } from '../../domain/tenants/slug.ts';
import { BACKUP, backupRoutes } from './backup-routes.ts';
import { infrastructureRoutes } from './infrastructure-routes.ts';
import { licenseRoutes } from './license-routes.ts';
import { route } from './route.ts';
import { alertRuleFields, settingsRoutes } from './settings-routes.ts';
import { tenantDetailRoutes } from './tenant-detail-routes.ts';
import { workerRoutes } from './worker-routes.ts';

const AUDIT_ACTOR = `kind id label name email tokenName`;
const AUDIT_ENTRY = `id at action details requestId actor { ${AUDIT_ACTOR} } target { kind id name }`;
const ALERT_SETTINGS = `licenseExpiring capacityWarnings dailyReports alertEmail licenseLeadDays capacityThresholds
  unhealthyMinutes reportHour reportTimeZone updatedAt updatedBy`;
const API_TOKEN = `id name prefix createdAt expiresAt lastUsedAt revokedAt`;
const ERROR = `... on Error { __typename code message }`;
const ERROR_FIELDS = `${ERROR} ... on ValidationError { issues { path message } }`;

const TENANT = `id slug name adminEmail state createdBy createdAt updatedAt deletedAt drift driftCheckedAt
  overview { status statusError backendVersion users groups apps activeUsers lastSeenAt checkedAt }
  operation { id kind state currentStep attempts lastError nextAttemptAt createdAt finishedAt steps { name state startedAt finishedAt error } }`;
const TENANT_STATES = ['provisioning', 'active', 'deleting', 'deleted'] as const;
const TENANT_SORTS = ['slug', 'name', 'state', 'created_at'] as const;
const DIRECTIONS = ['asc', 'desc'] as const;

const isoInstant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 instant such as 2026-11-28T12:00:00Z',
});

/** The REST compatibility routes: the spec's documented endpoints, each one GraphQL operation. */
export const restRoutes = [
  route({
    method: 'GET',
    path: '/audit',
    summary: 'List the audit log, newest first',
    tag: 'audit',
    query: z
      .object({
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(200).optional(),
        action: z.string().max(200).optional(),
        target_kind: z.string().max(64).optional(),
        target_id: z.string().max(200).optional(),
        actor_id: z.string().max(200).optional(),
        from: isoInstant.optional(),
        to: isoInstant.optional(),
      })
      .strict(),
    document: `query Rest_Audit($first: Int, $after: String, $filter: AuditFilter) {
      auditLog(first: $first, after: $after, filter: $filter) {
        edges { node { ${AUDIT_ENTRY} } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    field: 'auditLog',
    variables: ({ query }) => ({
      first: query.first,
      after: query.after,
      filter: {
        action: query.action,
        targetKind: query.target_kind,
        targetId: query.target_id,
        actorId: query.actor_id,
        from: query.from,
        to: query.to,
      },
    }),
    respond: (value) => {
      const connection = value as { edges: { node: unknown }[]; pageInfo: unknown };
      return { entries: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
    },
  }),
  route({
    method: 'GET',
    path: '/audit/actors',
    summary: 'Find actors of the audit log by name or e-mail, to filter the log by one (actor_id)',
    tag: 'audit',
    query: z
      .object({
        search: z.string().max(200).optional(),
        first: z.coerce.number().int().min(1).max(50).optional(),
      })
      .strict(),
    document: `query Rest_AuditActors($search: String, $first: Int) {
      auditActors(search: $search, first: $first) { ${AUDIT_ACTOR} }
    }`,
    field: 'auditActors',
    variables: ({ query }) => ({ search: query.search, first: query.first }),
    respond: (value) => ({ actors: value }),
  }),
  route({
    method: 'GET',
    path: '/infrastructure',
    summary:
      'Every component’s pods (phase, readiness, restarts, node, version, age) with version drift, and the tenants’ database server',
    tag: 'infrastructure',
    document: `query Rest_Infrastructure {
      infrastructure {
        components { component versions requestedVersion versionDrift
          pods { name component phase ready restarts node version startedAt lastTransitionAt tenant pool } }
        database { serverVersion startedAt connections maxConnections sizeBytes tenants { slug sizeBytes } }
        databaseError
        agentPools { name labels agents { name phase ready node version startedAt } }
        upgrades { id component version previousVersion state error createdAt finishedAt }
      }
    }`,
    field: 'infrastructure',
    variables: () => ({}),
  }),
  route({
    method: 'GET',
    path: '/dashboard',
    summary:
      'The deployment at a glance: tenants by state, users, backend health, failing operations and the most severe alerts',
    tag: 'dashboard',
    query: z.object({ alerts: z.coerce.number().int().min(1).max(100).optional() }).strict(),
    document: `query Rest_Dashboard($alerts: Int!) {
      dashboard {
        tenants { total provisioning active deleting deleted }
        users { total active reportingTenants }
        health { ok degraded unreachable notYetChecked }
        failedOperations retryingOperations alertCount
        alerts(first: $alerts) { kind severity tenantId slug operationKind attempts detail }
      }
    }`,
    field: 'dashboard',
    variables: ({ query }) => ({ alerts: query.alerts ?? 20 }),
  }),
  route({
    method: 'GET',
    path: '/settings/alerts',
    summary: 'Read the alert rules',
    tag: 'settings',
    document: `query Rest_AlertSettings { alertSettings { ${ALERT_SETTINGS} } }`,
    field: 'alertSettings',
    variables: () => ({}),
  }),
  route({
    method: 'PUT',
    path: '/settings/alerts',
    summary: 'Change the alert rules (fields left out keep their value)',
    tag: 'settings',
    body: z
      .object({
        license_expiring: z.boolean().optional(),
        capacity_warnings: z.boolean().optional(),
        daily_reports: z.boolean().optional(),
        alert_email: z.email({ message: 'must be an email address' }).max(254).nullable().optional(),
        ...alertRuleFields,
      })
      .strict(),
    document: `mutation Rest_UpdateAlertSettings($input: AlertSettingsInput!) {
      updateAlertSettings(input: $input) {
        __typename
        ... on MutationUpdateAlertSettingsSuccess { data { ${ALERT_SETTINGS} } }
        ${ERROR_FIELDS}
      }
    }`,
    field: 'updateAlertSettings',
    variables: ({ body }) => ({
      input: {
        licenseExpiring: body.license_expiring,
        capacityWarnings: body.capacity_warnings,
        dailyReports: body.daily_reports,
        alertEmail: body.alert_email,
        licenseLeadDays: body.license_lead_days,
        capacityThresholds: body.capacity_thresholds,
        unhealthyMinutes: body.unhealthy_minutes,
        reportHour: body.report_hour,
        reportTimeZone: body.report_time_zone,
      },
    }),
  }),
  route({
    method: 'POST',
    path: '/tenants',
    summary: 'Create a tenant: its database, Secret and registry entry (provisioned in the background)',
    tag: 'tenants',
    body: z.object({ slug: slugSchema, name: tenantNameSchema, admin_email: adminEmailSchema }).strict(),
    document: `mutation Rest_CreateTenant($input: CreateTenantInput!) {
      createTenant(input: $input) {
        __typename
        ... on MutationCreateTenantSuccess { data { ${TENANT} } }
        ${ERROR_FIELDS}
      }
    }`,
    field: 'createTenant',
    variables: ({ body }) => ({ input: { slug: body.slug, name: body.name, adminEmail: body.admin_email } }),
    status: 201,
  }),
  route({
    method: 'GET',
    path: '/tenants',
    summary:
      'List tenants by slug or in another order (sort: slug, name, state or created_at; direction: asc or desc), with search, state filter and cursor pagination',
    tag: 'tenants',
    query: z
      .object({
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(500).optional(),
        search: z.string().max(100).optional(),
        sort: z.enum(TENANT_SORTS, { message: `must be one of ${TENANT_SORTS.join(', ')}` }).optional(),
        direction: z.enum(DIRECTIONS, { message: `must be one of ${DIRECTIONS.join(', ')}` }).optional(),
        state: z
          .string()
          .optional()
          .transform((v) => (v ? v.split(',') : undefined))
          .pipe(
            z
              .array(z.enum(TENANT_STATES, { message: `must be one of ${TENANT_STATES.join(', ')}` }))
              .optional(),
          ),
      })
      .strict(),
    document: `query Rest_Tenants($first: Int, $after: String, $search: String, $state: [TenantState!],
        $sort: TenantOrderField = SLUG, $direction: OrderDirection = ASC) {
      tenants(first: $first, after: $after, search: $search, state: $state,
          orderBy: { field: $sort, direction: $direction }) {
        edges { node { ${TENANT} } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    field: 'tenants',
    variables: ({ query }) => ({
      first: query.first,
      after: query.after,
      search: query.search,
      state: query.state?.map((s) => s.toUpperCase()),
      sort: query.sort?.toUpperCase(),
      direction: query.direction?.toUpperCase(),
    }),
    respond: (value) => {
      const connection = value as { edges: { node: unknown }[]; pageInfo: unknown };
      return { tenants: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
    },
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug',
    summary: 'A tenant: overview, state and current operation',
    tag: 'tenants',
    document: `query Rest_Tenant($slug: String!) { tenant(slug: $slug) { ${TENANT} } }`,
    field: 'tenant',
    variables: ({ params }) => ({ slug: params.slug }),
  }),
  route({
    method: 'DELETE',
    path: '/tenants/:slug',
    summary:
      'Delete a tenant irreversibly; the body must repeat the slug as {"confirm": "<slug>"}; "purge_backups": true removes its backups with it',
    tag: 'tenants',
    body: z
      .object({
        confirm: z.string({ message: 'is required: repeat the slug to confirm' }),
        purge_backups: z.boolean({ message: 'must be true or false' }).optional(),
      })
      .strict(),
    document: `mutation Rest_DeleteTenant($slug: String!, $confirm: String!, $purgeBackups: Boolean) {
      deleteTenant(slug: $slug, confirm: $confirm, purgeBackups: $purgeBackups) {
        __typename
        ... on MutationDeleteTenantSuccess { data { ${TENANT} } }
        ${ERROR_FIELDS}
      }
    }`,
    field: 'deleteTenant',
    variables: ({ params, body }) => ({
      slug: params.slug,
      confirm: body.confirm,
      purgeBackups: body.purge_backups,
    }),
    status: 202,
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/tombstone',
    summary:
      'The latest deleted tenant with this slug: who deleted it and when, its audit entries and its kept backups',
    tag: 'tenants',
    document: `query Rest_TenantTombstone($slug: String!) {
      deletedTenant(slug: $slug) {
        slug name createdBy createdAt deletedAt deleteRequestedAt deletedBy backupsPurged backupsRemovedAt slugInUse
        auditLog(first: 100) { edges { node { ${AUDIT_ENTRY} } } pageInfo { hasNextPage endCursor } }
        backups(first: 100) { edges { node { ${BACKUP} } } pageInfo { hasNextPage endCursor } }
      }
    }`,
    field: 'deletedTenant',
    // The newest 100 of each, with their page info; GraphQL deletedTenant pages further.
    variables: ({ params }) => ({ slug: params.slug }),
    respond: (value) => {
      type Page = { edges: { node: unknown }[]; pageInfo: unknown };
      const { auditLog, backups, ...tombstone } = value as { auditLog: Page; backups: Page };
      return {
        ...tombstone,
        audit: auditLog.edges.map((e) => e.node),
        auditPageInfo: auditLog.pageInfo,
        backups: backups.edges.map((e) => e.node),
        backupsPageInfo: backups.pageInfo,
      };
    },
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/repair',
    summary:
      'Re-create what an active tenant lost (Secret values, database and role, registry entry), in the background',
    tag: 'tenants',
    document: `mutation Rest_RepairTenant($slug: String!) {
      repairTenant(slug: $slug) {
        __typename
        ... on MutationRepairTenantSuccess { data { ${TENANT} } }
        ${ERROR_FIELDS}
      }
    }`,
    field: 'repairTenant',
    variables: ({ params }) => ({ slug: params.slug }),
    status: 202,
  }),
  route({
    method: 'POST',
    path: '/me/tokens',
    summary: 'Create an API token for automation; the token is in the answer, this once',
    tag: 'auth',
    body: z.object({ name: tokenNameSchema, expires_in_days: tokenDaysSchema }).strict(),
    document: `mutation Rest_CreateApiToken($input: CreateApiTokenInput!) {
      createApiToken(input: $input) {
        __typename
        ... on MutationCreateApiTokenSuccess { data { token apiToken { ${API_TOKEN} } } }
        ${ERROR_FIELDS}
      }
    }`,
    field: 'createApiToken',
    variables: ({ body }) => ({ input: { name: body.name, expiresInDays: body.expires_in_days } }),
    respond: (value) => {
      const created = value as { token: string; apiToken: Record<string, unknown> };
      return { ...created.apiToken, token: created.token };
    },
    status: 201,
  }),
  route({
    method: 'GET',
    path: '/me/tokens',
    summary: "List the signed-in operator's API tokens (prefixes only)",
    tag: 'auth',
    document: `query Rest_ApiTokens { apiTokens { ${API_TOKEN} } }`,
    field: 'apiTokens',
    variables: () => ({}),
    respond: (value) => ({ tokens: value }),
  }),
  route({
    method: 'DELETE',
    path: '/me/tokens/:id',
    summary: 'Revoke an API token; connections using it are closed',
    tag: 'auth',
    document: `mutation Rest_RevokeApiToken($id: String!) {
      revokeApiToken(id: $id) {
        __typename
        ... on MutationRevokeApiTokenSuccess { data { ${API_TOKEN} } }
        ${ERROR}
      }
    }`,
    field: 'revokeApiToken',
    variables: ({ params }) => ({ id: params.id }),
  }),
  ...tenantDetailRoutes,
  ...licenseRoutes,
  ...workerRoutes,
  ...infrastructureRoutes,
  ...backupRoutes,
  ...settingsRoutes,
];
