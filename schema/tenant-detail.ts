import type { GraphQLContext } from '../server/context.ts';
import type { TenantRow, TenantSecretRow } from '../server/db/schema.ts';
import { mapConcurrent } from '../server/domain/concurrency.ts';
import { ConflictError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import {
  applyTenantMigrations,
  revealDatabasePassword,
  type TenantDatabaseInfo,
  tenantDatabaseInfo,
  tenantMigrations,
} from '../server/domain/tenants/database/info.ts';
import { resetAdminPassword, revealAdminPassword } from '../server/domain/tenants/secrets/admin-password.ts';
import {
  type BootstrapTokenView,
  bootstrapTokenView,
  revealBootstrapToken,
  revokeBootstrapToken,
  rotateBootstrapToken,
} from '../server/domain/tenants/secrets/bootstrap-token.ts';
import { secretRowsOf } from '../server/domain/tenants/secrets/metadata.ts';
import type { Revealed } from '../server/domain/tenants/secrets/reveal.ts';
import {
  clockOf,
  type SecretStatus,
  secretStatus,
  TENANT_SECRET_NAMES,
} from '../server/domain/tenants/secrets/rotatable.ts';
import { rotateCpToken, rotateTenantSecret } from '../server/domain/tenants/secrets/rotate-secret.ts';
import type { TenantServices } from '../server/domain/tenants/services.ts';
import type {
  AppliedMigration,
  TenantMigrations as TenantMigrationsValue,
} from '../server/tenant-api/types.ts';
import { builder } from './builder.ts';
import { TENANT_READ_COMPLEXITY } from './complexity.ts';
import { mutationErrors } from './errors.ts';
import { Tenant } from './tenant.ts';

/**
 * The tenant detail page's sections beyond the overview: secrets and their rotation, the admin
 * password, the database and its migrations, the bootstrap and CP tokens. Values are only ever
 * returned by the `reveal…` mutations (each one audited); every other field shows metadata.
 */

const JWT = 'Signs the tokens the tenant backend issues (JWT_SECRET).';
const LOGIN_WORKER_TOKEN = 'Authenticates the login worker to the tenant backend (LOGIN_WORKER_TOKEN).';
const PROXY_TOKEN = 'Authenticates the proxy to the tenant backend (PROXY_TOKEN).';

const TenantSecretName = builder.enumType('TenantSecretName', {
  description: "A secret in the tenant's Kubernetes Secret.",
  values: {
    JWT: { value: 'jwt', description: JWT },
    LOGIN_WORKER_TOKEN: { value: 'login-worker-token', description: LOGIN_WORKER_TOKEN },
    PROXY_TOKEN: { value: 'proxy-token', description: PROXY_TOKEN },
    CP_TOKEN: {
      value: 'cp-token',
      description: "The control plane's own token for the tenant API (rotateTenantCpToken).",
    },
    BOOTSTRAP_TOKEN: {
      value: 'bootstrap-token',
      description: 'The Terraform bootstrap token (rotateTenantBootstrapToken, revokeTenantBootstrapToken).',
    },
    ADMIN_PASSWORD: {
      value: 'admin-password',
      description: "The tenant's initial admin password (resetTenantAdminPassword).",
    },
  } as const,
});

const RotatableTenantSecret = builder.enumType('RotatableTenantSecret', {
  description: 'The secrets rotateTenantSecret rotates; the others have operations of their own.',
  values: {
    JWT: { value: 'jwt', description: JWT },
    LOGIN_WORKER_TOKEN: { value: 'login-worker-token', description: LOGIN_WORKER_TOKEN },
    PROXY_TOKEN: { value: 'proxy-token', description: PROXY_TOKEN },
  } as const,
});

const TenantSecret = builder.objectRef<SecretStatus>('TenantSecret').implement({
  description: 'What is known of one tenant secret, never its value.',
  fields: (t) => ({
    secret: t.field({ type: TenantSecretName, description: 'Which secret.', resolve: (s) => s.name }),
    version: t.exposeInt('version', { description: '1 = the value made at provisioning; +1 per rotation.' }),
    rotatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last got a new value; null if never since provisioning.',
      resolve: (s) => s.rotatedAt,
    }),
    rotatedBy: t.exposeString('rotatedBy', {
      nullable: true,
      description: 'Who rotated it last (AuditActor.label); null if never.',
    }),
    graceUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While a grace period runs: until when the previous value is still accepted.',
      resolve: (s) => s.graceUntil,
    }),
    graceActive: t.boolean({
      description: 'Whether the previous value is still accepted (graceUntil is set).',
      resolve: (s) => s.graceUntil !== null,
    }),
    pending: t.exposeBoolean('pending', {
      description:
        'A rotation stopped half-way: the current value is still in use and the control plane finishes it automatically.',
    }),
    pendingError: t.exposeString('pendingError', {
      nullable: true,
      description: 'Why the pending rotation stopped; null unless pending.',
    }),
  }),
});

const TenantDatabase = builder.objectRef<TenantDatabaseInfo>('TenantDatabase').implement({
  description:
    "How the tenant's backend reaches its database, and its figures now. The password only through revealTenantDatabasePassword.",
  fields: (t) => ({
    host: t.exposeString('host', { description: "Host, from DATABASE_URL in the tenant's Secret." }),
    port: t.exposeInt('port', { description: "TCP port, from DATABASE_URL in the tenant's Secret." }),
    database: t.exposeString('database', {
      description: 'Database name (tenant_<slug>), from DATABASE_URL.',
    }),
    user: t.exposeString('user', {
      description: "The tenant's own role (tenant_<slug>), owner of the database, from DATABASE_URL.",
    }),
    sizeBytes: t.exposeFloat('sizeBytes', {
      nullable: true,
      description: 'Size on disk in bytes (a Float: it can pass 2^31); null when statsError says why.',
    }),
    connections: t.exposeInt('connections', {
      nullable: true,
      description: 'Open connections to it now; null when statsError says why.',
    }),
    serverVersion: t.exposeString('serverVersion', {
      nullable: true,
      description: "PostgreSQL's version string; null when statsError says why.",
    }),
    statsError: t.exposeString('statsError', {
      nullable: true,
      description: 'Why size, connections and version are missing.',
    }),
  }),
});

const TenantMigration = builder.objectRef<AppliedMigration>('TenantMigration').implement({
  description: 'A migration applied to the tenant database.',
  fields: (t) => ({
    id: t.exposeString('id', { description: "The migration's id, as the backend names it." }),
    appliedAt: t.field({
      type: 'DateTime',
      description: 'When it was applied.',
      resolve: (m) => m.appliedAt,
    }),
  }),
});

const TenantMigrations = builder.objectRef<TenantMigrationsValue>('TenantMigrations').implement({
  description: "The tenant database's migrations, as its backend reports them.",
  fields: (t) => ({
    applied: t.field({
      type: [TenantMigration],
      description: 'Migrations applied, as the backend lists them.',
      resolve: (m) => m.applied,
    }),
    pending: t.exposeStringList('pending', { description: 'In the order they would be applied.' }),
  }),
});

const TenantBootstrapToken = builder.objectRef<BootstrapTokenView>('TenantBootstrapToken').implement({
  description: 'The Terraform bootstrap token, masked. The value only through revealTenantBootstrapToken.',
  fields: (t) => ({
    set: t.exposeBoolean('set', { description: 'False after a revocation, until a new token is issued.' }),
    masked: t.exposeString('masked', { nullable: true, description: 'Prefix and last four characters.' }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it stops working; null: it does not expire.',
      resolve: (b) => b.expiresAt,
    }),
    expired: t.exposeBoolean('expired', { description: 'Whether expiresAt has passed.' }),
    version: t.exposeInt('version', { description: '1 = the token made at provisioning; +1 per new token.' }),
    rotatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the current token was issued; null if it is the one made at provisioning.',
      resolve: (b) => b.rotatedAt,
    }),
    rotatedBy: t.exposeString('rotatedBy', {
      nullable: true,
      description: 'Who issued it (AuditActor.label); null for the one made at provisioning.',
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked; null unless revoked.',
      resolve: (b) => b.revokedAt,
    }),
  }),
});

const RevealedTenantSecret = builder.objectRef<Revealed>('RevealedTenantSecret').implement({
  description: 'A secret value, shown once to the operator who asked; the reveal is in the audit log.',
  fields: (t) => ({
    tenant: t.field({ type: Tenant, description: 'Whose secret it is.', resolve: (r) => r.tenant }),
    value: t.exposeString('value', {
      description: 'The secret value itself. Never log it or keep it longer than needed.',
    }),
  }),
});

function statusesOf(rows: TenantSecretRow[], now: Date): SecretStatus[] {
  return TENANT_SECRET_NAMES.map((name) =>
    secretStatus(
      name,
      rows.find((r) => r.name === name),
      now,
    ),
  );
}

const statusOf = (row: TenantSecretRow, ctx: GraphQLContext) =>
  secretStatus(row.name, row, clockOf(ctx.services.tenants));

/** Detail fields that read the cluster or the backend exist only while the tenant is active. */
const active = (tenant: TenantRow) => tenant.state === 'active';

builder.objectField(Tenant, 'secrets', (t) =>
  t.loadableList({
    type: TenantSecret,
    description: 'Version, last rotation and grace period of each secret (never values).',
    load: async (ids: string[], ctx) =>
      (await secretRowsOf(ctx.services.db, ids)).map((rows) =>
        statusesOf(rows, clockOf(ctx.services.tenants)),
      ),
    resolve: (tenant) => tenant.id,
  }),
);

/** Reads of tenant databases and backends at once, per request, however many tenants it lists. */
const TENANT_READS_AT_ONCE = 4;

/**
 * A detail read (database, backend, Secret) as a per-request loader: each tenant's is made once
 * however many times the request selects it (aliases, repeated lists), at most
 * {@link TENANT_READS_AT_ONCE} at a time; null unless the tenant is active. A failed read is that
 * tenant's field error.
 */
function perTenantRead<T>(read: (services: TenantServices, tenant: TenantRow) => Promise<T>) {
  return {
    load: (tenants: TenantRow[], ctx: GraphQLContext) =>
      mapConcurrent(tenants, TENANT_READS_AT_ONCE, (tenant) =>
        active(tenant)
          ? read(ctx.services.tenants, tenant).catch((error: Error) => error)
          : Promise.resolve(null),
      ),
    loaderOptions: { cacheKeyFn: (tenant: TenantRow) => tenant.id },
    resolve: (tenant: TenantRow) => tenant,
  };
}

builder.objectField(Tenant, 'database', (t) =>
  t.loadable({
    type: TenantDatabase,
    nullable: true,
    description: 'Connection info (no password) and figures of the tenant database; null unless active.',
    complexity: TENANT_READ_COMPLEXITY,
    ...perTenantRead(tenantDatabaseInfo),
  }),
);

builder.objectField(Tenant, 'migrations', (t) =>
  t.loadable({
    type: TenantMigrations,
    nullable: true,
    description: "Asked of the tenant's backend (a call per tenant: for detail views); null unless active.",
    complexity: TENANT_READ_COMPLEXITY,
    ...perTenantRead(tenantMigrations),
  }),
);

builder.objectField(Tenant, 'bootstrapToken', (t) =>
  t.loadable({
    type: TenantBootstrapToken,
    nullable: true,
    description: 'The Terraform bootstrap token, masked; null unless active.',
    complexity: TENANT_READ_COMPLEXITY,
    ...perTenantRead(bootstrapTokenView),
  }),
);

const ERROR_TYPES = [ValidationError, NotFoundError, ConflictError];

/** The refusals every mutation below shares, before its own. */
const REFUSALS =
  'NotFoundError TENANT_NOT_FOUND for an unknown slug; ConflictError TENANT_NOT_ACTIVE unless the tenant is ACTIVE';
/** Reveals also work while a tenant is provisioning, to debug a create that does not finish. */
const REVEAL_REFUSALS =
  'NotFoundError TENANT_NOT_FOUND for an unknown slug, SECRET_NOT_SET when there is no such value; ConflictError TENANT_NOT_ACTIVE unless PROVISIONING or ACTIVE';
const IN_PROGRESS = 'ConflictError ROTATION_IN_PROGRESS while another change of the same secret runs';
const SLUG = { required: true, description: "The tenant's slug." } as const;

builder.mutationField('revealTenantAdminPassword', (t) =>
  t.field({
    type: RevealedTenantSecret,
    description: `Shows the tenant's admin password (the initial one, or the last reset). Never cache the answer. ${REVEAL_REFUSALS}. Admin role. Audited (tenant.secret.revealed; the value is never recorded).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The tenant and its admin password.'),
    resolve: (_, { slug }, ctx) => revealAdminPassword(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('resetTenantAdminPassword', (t) =>
  t.field({
    type: TenantSecret,
    description: `Sets a new random admin password on the backend and in the Secret (reveal it afterwards with revealTenantAdminPassword); the old one works until the backend has the new one. ${REFUSALS}; ${IN_PROGRESS}; DependencyError when the backend or the cluster fails, with the state it left. Admin role. Audited (tenant.secret.rotated).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The admin password secret after the reset (never its value).'),
    resolve: async (_, { slug }, ctx) =>
      statusOf(await resetAdminPassword(ctx.services.tenants, ctx, slug), ctx),
  }),
);

builder.mutationField('revealTenantDatabasePassword', (t) =>
  t.field({
    type: RevealedTenantSecret,
    description: `Shows the password of the tenant database's role. Never cache the answer. ${REVEAL_REFUSALS}. Admin role. Audited (tenant.secret.revealed; the value is never recorded).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The tenant and its database password.'),
    resolve: (_, { slug }, ctx) => revealDatabasePassword(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('applyTenantMigrations', (t) =>
  t.field({
    type: TenantMigrations,
    description: `Applies the tenant database's pending migrations through its backend (POST /cp/v1/migrations/apply). ${REFUSALS}; DependencyError when the backend refuses or does not answer. Admin role. Audited (tenant.migrations.applied).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The migrations after applying, as the backend reports them.'),
    resolve: (_, { slug }, ctx) => applyTenantMigrations(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('rotateTenantSecret', (t) =>
  t.field({
    type: TenantSecret,
    description: `Rotates a secret with zero downtime: the backend takes the new value and accepts the previous one for the grace period (SECRET_GRACE_SECONDS, 1 hour by default). A rotation stopped half-way stays pending and is finished by the control plane. ${REFUSALS}; ${IN_PROGRESS}; DependencyError when the backend or the cluster fails, with the state it left. Admin role. Audited (tenant.secret.rotated, or tenant.secret.rotation_failed).`,
    args: {
      slug: t.arg.string(SLUG),
      secret: t.arg({ type: RotatableTenantSecret, required: true, description: 'Which secret to rotate.' }),
    },
    errors: mutationErrors(
      ERROR_TYPES,
      'The secret after the rotation, with its grace period (never its value).',
    ),
    resolve: async (_, { slug, secret }, ctx) =>
      statusOf(await rotateTenantSecret(ctx.services.tenants, ctx, slug, secret), ctx),
  }),
);

builder.mutationField('rotateTenantCpToken', (t) =>
  t.field({
    type: TenantSecret,
    description: `Rotates the control plane's token for the tenant's backend, switching only once the backend accepts the new one. ${REFUSALS}; ${IN_PROGRESS}; DependencyError when the backend refuses the new token (the old one stays in use). Admin role. Audited (tenant.secret.rotated, or tenant.secret.rotation_failed).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The CP token secret after the rotation (never its value).'),
    resolve: async (_, { slug }, ctx) => statusOf(await rotateCpToken(ctx.services.tenants, ctx, slug), ctx),
  }),
);

builder.mutationField('revealTenantBootstrapToken', (t) =>
  t.field({
    type: RevealedTenantSecret,
    description: `Shows the Terraform bootstrap token (none after a revocation until a new one is issued: SECRET_NOT_SET). Never cache the answer. ${REVEAL_REFUSALS}. Admin role. Audited (tenant.secret.revealed; the value is never recorded).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The tenant and its bootstrap token.'),
    resolve: (_, { slug }, ctx) => revealBootstrapToken(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('rotateTenantBootstrapToken', (t) =>
  t.field({
    type: TenantBootstrapToken,
    description: `Issues a new bootstrap token (the old one stops working at once), optionally expiring; reveal it with revealTenantBootstrapToken. ValidationError for an expiresAt in the past or more than 366 days away. ${REFUSALS}; ${IN_PROGRESS}. Admin role. Audited (tenant.secret.rotated).`,
    args: {
      slug: t.arg.string(SLUG),
      expiresAt: t.arg({
        type: 'DateTime',
        description: 'In the future, at most 366 days away; none: no expiry',
      }),
    },
    errors: mutationErrors(ERROR_TYPES, 'The new bootstrap token, masked.'),
    resolve: (_, { slug, expiresAt }, ctx) =>
      rotateBootstrapToken(ctx.services.tenants, ctx, slug, expiresAt),
  }),
);

builder.mutationField('revokeTenantBootstrapToken', (t) =>
  t.field({
    type: TenantBootstrapToken,
    description: `Removes the bootstrap token until a new one is issued; it stops working at once. ${REFUSALS}; ${IN_PROGRESS}. Admin role. Audited (tenant.secret.revoked).`,
    args: { slug: t.arg.string(SLUG) },
    errors: mutationErrors(ERROR_TYPES, 'The bootstrap token after the revocation (set: false).'),
    resolve: (_, { slug }, ctx) => revokeBootstrapToken(ctx.services.tenants, ctx, slug),
  }),
);
