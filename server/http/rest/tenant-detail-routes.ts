import { z } from 'zod';
import { mutation } from './documents.ts';
import { route } from './route.ts';

/**
 * REST routes of the tenant detail page (spec: "Tenant detail"). Reveals answer with the value
 * and are audited like the GraphQL mutations they run; `GET /tenants/:slug/admin-password` is the
 * documented reveal, the other reveals are POSTs because each one is a recorded action.
 */

const SECRET = `secret version rotatedAt rotatedBy graceUntil graceActive pending pendingError`;
const MIGRATIONS = `applied { id appliedAt } pending`;
const BOOTSTRAP = `set masked expiresAt expired version rotatedAt rotatedBy revokedAt`;
const DATABASE = `host port database user sizeBytes connections serverVersion statsError`;

/** The `:name` of `/secrets/:name/rotate` and the GraphQL enum value it stands for. */
const SECRET_NAMES: Record<string, string> = {
  jwt: 'JWT',
  'login-worker-token': 'LOGIN_WORKER_TOKEN',
  'proxy-token': 'PROXY_TOKEN',
};

const tenantQuery = (name: string, selection: string) =>
  `query ${name}($slug: String!) { tenant(slug: $slug) { ${selection} } }`;

/** Picks one field of `tenant`; a tenant that exists but is not active has none (404). */
const pick = (field: string) => (value: unknown) => (value as Record<string, unknown>)[field] ?? null;

const bySlug = ({ params }: { params: Record<string, string> }) => ({ slug: params.slug });

export const tenantDetailRoutes = [
  route({
    method: 'GET',
    path: '/tenants/:slug/admin-password',
    summary: "Reveal the tenant's initial admin password (audited)",
    tag: 'tenants',
    document: mutation('Rest_RevealTenantAdminPassword', 'revealTenantAdminPassword', 'value'),
    field: 'revealTenantAdminPassword',
    variables: bySlug,
    respond: (value) => ({ password: (value as { value: string }).value }),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/admin-password/reset',
    summary: 'Set a new random admin password on the backend and in the Secret (audited)',
    tag: 'tenants',
    document: mutation('Rest_ResetTenantAdminPassword', 'resetTenantAdminPassword', SECRET),
    field: 'resetTenantAdminPassword',
    variables: bySlug,
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/database',
    summary: 'Connection info (no password), size, connections and server version of the tenant database',
    tag: 'tenants',
    document: tenantQuery('Rest_TenantDatabase', `database { ${DATABASE} }`),
    field: 'tenant',
    variables: bySlug,
    respond: pick('database'),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/database/reveal',
    summary: "Reveal the password of the tenant database's role (audited)",
    tag: 'tenants',
    document: mutation('Rest_RevealTenantDatabasePassword', 'revealTenantDatabasePassword', 'value'),
    field: 'revealTenantDatabasePassword',
    variables: bySlug,
    respond: (value) => ({ password: (value as { value: string }).value }),
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/migrations',
    summary: "The tenant database's migrations as its backend reports them: applied and pending",
    tag: 'tenants',
    document: tenantQuery('Rest_TenantMigrations', `migrations { ${MIGRATIONS} }`),
    field: 'tenant',
    variables: bySlug,
    respond: pick('migrations'),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/migrations/apply',
    summary: 'Apply the pending migrations of the tenant database (audited)',
    tag: 'tenants',
    document: mutation('Rest_ApplyTenantMigrations', 'applyTenantMigrations', MIGRATIONS),
    field: 'applyTenantMigrations',
    variables: bySlug,
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/secrets',
    summary: 'Version, last rotation and grace period of each tenant secret (never values)',
    tag: 'tenants',
    document: tenantQuery('Rest_TenantSecrets', `secrets { ${SECRET} }`),
    field: 'tenant',
    variables: bySlug,
    respond: (value) => ({ secrets: pick('secrets')(value) }),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/secrets/:name/rotate',
    summary:
      'Rotate jwt, login-worker-token or proxy-token; the previous value stays valid for the grace period (audited)',
    tag: 'tenants',
    document: mutation(
      'Rest_RotateTenantSecret',
      'rotateTenantSecret',
      SECRET,
      '$slug: String!, $secret: RotatableTenantSecret!',
      'slug: $slug, secret: $secret',
    ),
    field: 'rotateTenantSecret',
    // An unknown name goes through as it is and is refused (400) as not a RotatableTenantSecret.
    variables: ({ params }) => ({ slug: params.slug, secret: SECRET_NAMES[params.name!] ?? params.name }),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/cp-token/rotate',
    summary: "Rotate the control plane's token for the tenant backend, with a handshake (audited)",
    tag: 'tenants',
    document: mutation('Rest_RotateTenantCpToken', 'rotateTenantCpToken', SECRET),
    field: 'rotateTenantCpToken',
    variables: bySlug,
  }),
  route({
    method: 'GET',
    path: '/tenants/:slug/bootstrap-token',
    summary: 'The Terraform bootstrap token, masked, with its expiry',
    tag: 'tenants',
    document: tenantQuery('Rest_TenantBootstrapToken', `bootstrapToken { ${BOOTSTRAP} }`),
    field: 'tenant',
    variables: bySlug,
    respond: pick('bootstrapToken'),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/bootstrap-token/reveal',
    summary: 'Reveal the Terraform bootstrap token (audited)',
    tag: 'tenants',
    document: mutation('Rest_RevealTenantBootstrapToken', 'revealTenantBootstrapToken', 'value'),
    field: 'revealTenantBootstrapToken',
    variables: bySlug,
    respond: (value) => ({ token: (value as { value: string }).value }),
  }),
  route({
    method: 'POST',
    path: '/tenants/:slug/bootstrap-token/rotate',
    summary: 'Issue a new bootstrap token, optionally expiring; the old one stops working (audited)',
    tag: 'tenants',
    body: z
      .object({
        expires_at: z.iso
          .datetime({ offset: true, message: 'must be an ISO 8601 instant such as 2026-12-31T00:00:00Z' })
          .nullish(),
      })
      .strict(),
    document: mutation(
      'Rest_RotateTenantBootstrapToken',
      'rotateTenantBootstrapToken',
      BOOTSTRAP,
      '$slug: String!, $expiresAt: DateTime',
      'slug: $slug, expiresAt: $expiresAt',
    ),
    field: 'rotateTenantBootstrapToken',
    variables: ({ params, body }) => ({ slug: params.slug, expiresAt: body.expires_at ?? null }),
  }),
  route({
    method: 'DELETE',
    path: '/tenants/:slug/bootstrap-token',
    summary: 'Revoke the bootstrap token until a new one is issued (audited)',
    tag: 'tenants',
    document: mutation('Rest_RevokeTenantBootstrapToken', 'revokeTenantBootstrapToken', BOOTSTRAP),
    field: 'revokeTenantBootstrapToken',
    variables: bySlug,
  }),
];
