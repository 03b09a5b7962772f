import type { GraphQLContext } from '../server/context.ts';
import type { TenantRow, TenantSecretRow } from '../server/db/schema.ts';
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
import type {
  AppliedMigration,
  TenantMigrations as TenantMigrationsValue,
} from '../server/tenant-api/types.ts';
import { builder } from './builder.ts';
import { Tenant } from './tenant.ts';

/**
 * The tenant detail page's sections beyond the overview: secrets and their rotation, the admin
 * password, the database and its migrations, the bootstrap and CP tokens. Values are only ever
 * returned by the `reveal…` mutations (each one audited); every other field shows metadata.
 */

const TenantSecretName = builder.enumType('TenantSecretName', {
  values: {
    JWT: { value: 'jwt' },
    LOGIN_WORKER_TOKEN: { value: 'login-worker-token' },
    PROXY_TOKEN: { value: 'proxy-token' },
    CP_TOKEN: { value: 'cp-token' },
    BOOTSTRAP_TOKEN: { value: 'bootstrap-token' },
    ADMIN_PASSWORD: { value: 'admin-password' },
  } as const,
});

const RotatableTenantSecret = builder.enumType('RotatableTenantSecret', {
  description: 'The secrets rotateTenantSecret rotates; the others have operations of their own.',
  values: {
    JWT: { value: 'jwt' },
    LOGIN_WORKER_TOKEN: { value: 'login-worker-token' },
    PROXY_TOKEN: { value: 'proxy-token' },
  } as const,
});

const TenantSecret = builder.objectRef<SecretStatus>('TenantSecret').implement({
  description: 'What is known of one tenant secret, never its value.',
  fields: (t) => ({
    secret: t.field({ type: TenantSecretName, resolve: (s) => s.name }),
    version: t.exposeInt('version', { description: '1 = the value made at provisioning; +1 per rotation.' }),
    rotatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.rotatedAt }),
    rotatedBy: t.exposeString('rotatedBy', { nullable: true }),
    graceUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While a grace period runs: until when the previous value is still accepted.',
      resolve: (s) => s.graceUntil,
    }),
    graceActive: t.boolean({ resolve: (s) => s.graceUntil !== null }),
    pending: t.exposeBoolean('pending', {
      description:
        'A rotation stopped half-way: the current value is still in use and the control plane finishes it automatically.',
    }),
    pendingError: t.exposeString('pendingError', { nullable: true }),
  }),
});

const TenantDatabase = builder.objectRef<TenantDatabaseInfo>('TenantDatabase').implement({
  description:
    "How the tenant's backend reaches its database, and its figures now. The password only through revealTenantDatabasePassword.",
  fields: (t) => ({
    host: t.exposeString('host'),
    port: t.exposeInt('port'),
    database: t.exposeString('database'),
    user: t.exposeString('user'),
    sizeBytes: t.exposeFloat('sizeBytes', { nullable: true }),
    connections: t.exposeInt('connections', { nullable: true }),
    serverVersion: t.exposeString('serverVersion', { nullable: true }),
    statsError: t.exposeString('statsError', {
      nullable: true,
      description: 'Why size, connections and version are missing.',
    }),
  }),
});

const TenantMigration = builder.objectRef<AppliedMigration>('TenantMigration').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    appliedAt: t.field({ type: 'DateTime', resolve: (m) => m.appliedAt }),
  }),
});

const TenantMigrations = builder.objectRef<TenantMigrationsValue>('TenantMigrations').implement({
  description: "The tenant database's migrations, as its backend reports them.",
  fields: (t) => ({
    applied: t.field({ type: [TenantMigration], resolve: (m) => m.applied }),
    pending: t.exposeStringList('pending', { description: 'In the order they would be applied.' }),
  }),
});

const TenantBootstrapToken = builder.objectRef<BootstrapTokenView>('TenantBootstrapToken').implement({
  description: 'The Terraform bootstrap token, masked. The value only through revealTenantBootstrapToken.',
  fields: (t) => ({
    set: t.exposeBoolean('set', { description: 'False after a revocation, until a new token is issued.' }),
    masked: t.exposeString('masked', { nullable: true, description: 'Prefix and last four characters.' }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.expiresAt }),
    expired: t.exposeBoolean('expired'),
    version: t.exposeInt('version'),
    rotatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.rotatedAt }),
    rotatedBy: t.exposeString('rotatedBy', { nullable: true }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.revokedAt }),
  }),
});

const RevealedTenantSecret = builder.objectRef<Revealed>('RevealedTenantSecret').implement({
  description: 'A secret value, shown once to the operator who asked; the reveal is in the audit log.',
  fields: (t) => ({
    tenant: t.field({ type: Tenant, resolve: (r) => r.tenant }),
    value: t.exposeString('value'),
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

builder.objectField(Tenant, 'database', (t) =>
  t.field({
    type: TenantDatabase,
    nullable: true,
    description: 'Connection info (no password) and figures of the tenant database; null unless active.',
    resolve: (tenant, _, ctx) => (active(tenant) ? tenantDatabaseInfo(ctx.services.tenants, tenant) : null),
  }),
);

builder.objectField(Tenant, 'migrations', (t) =>
  t.field({
    type: TenantMigrations,
    nullable: true,
    description: "Asked of the tenant's backend (a call per tenant: for detail views); null unless active.",
    resolve: (tenant, _, ctx) => (active(tenant) ? tenantMigrations(ctx.services.tenants, tenant) : null),
  }),
);

builder.objectField(Tenant, 'bootstrapToken', (t) =>
  t.field({
    type: TenantBootstrapToken,
    nullable: true,
    description: 'The Terraform bootstrap token, masked; null unless active.',
    resolve: (tenant, _, ctx) => (active(tenant) ? bootstrapTokenView(ctx.services.tenants, tenant) : null),
  }),
);

const ERRORS = { types: [ValidationError, NotFoundError, ConflictError] };

builder.mutationField('revealTenantAdminPassword', (t) =>
  t.field({
    type: RevealedTenantSecret,
    description: "Shows the tenant's initial admin password. Audited; never cache the answer.",
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: (_, { slug }, ctx) => revealAdminPassword(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('resetTenantAdminPassword', (t) =>
  t.field({
    type: TenantSecret,
    description:
      'Sets a new random admin password on the backend and in the Secret (reveal it afterwards). Audited.',
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: async (_, { slug }, ctx) =>
      statusOf(await resetAdminPassword(ctx.services.tenants, ctx, slug), ctx),
  }),
);

builder.mutationField('revealTenantDatabasePassword', (t) =>
  t.field({
    type: RevealedTenantSecret,
    description: "Shows the password of the tenant database's role. Audited; never cache the answer.",
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: (_, { slug }, ctx) => revealDatabasePassword(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('applyTenantMigrations', (t) =>
  t.field({
    type: TenantMigrations,
    description: "Applies the tenant database's pending migrations through its backend. Audited.",
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: (_, { slug }, ctx) => applyTenantMigrations(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('rotateTenantSecret', (t) =>
  t.field({
    type: TenantSecret,
    description:
      'Rotates a secret with zero downtime: the previous value stays valid for the grace period. Audited.',
    args: {
      slug: t.arg.string({ required: true }),
      secret: t.arg({ type: RotatableTenantSecret, required: true }),
    },
    errors: ERRORS,
    resolve: async (_, { slug, secret }, ctx) =>
      statusOf(await rotateTenantSecret(ctx.services.tenants, ctx, slug, secret), ctx),
  }),
);

builder.mutationField('rotateTenantCpToken', (t) =>
  t.field({
    type: TenantSecret,
    description:
      "Rotates the control plane's token for the tenant's backend, switching only once the backend accepts the new one. Audited.",
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: async (_, { slug }, ctx) => statusOf(await rotateCpToken(ctx.services.tenants, ctx, slug), ctx),
  }),
);

builder.mutationField('revealTenantBootstrapToken', (t) =>
  t.field({
    type: RevealedTenantSecret,
    description: 'Shows the Terraform bootstrap token. Audited; never cache the answer.',
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: (_, { slug }, ctx) => revealBootstrapToken(ctx.services.tenants, ctx, slug),
  }),
);

builder.mutationField('rotateTenantBootstrapToken', (t) =>
  t.field({
    type: TenantBootstrapToken,
    description:
      'Issues a new bootstrap token (the old one stops working at once), optionally expiring. Audited.',
    args: {
      slug: t.arg.string({ required: true }),
      expiresAt: t.arg({
        type: 'DateTime',
        description: 'In the future, at most 366 days away; none: no expiry',
      }),
    },
    errors: ERRORS,
    resolve: (_, { slug, expiresAt }, ctx) =>
      rotateBootstrapToken(ctx.services.tenants, ctx, slug, expiresAt),
  }),
);

builder.mutationField('revokeTenantBootstrapToken', (t) =>
  t.field({
    type: TenantBootstrapToken,
    description: 'Removes the bootstrap token until a new one is issued. Audited.',
    args: { slug: t.arg.string({ required: true }) },
    errors: ERRORS,
    resolve: (_, { slug }, ctx) => revokeBootstrapToken(ctx.services.tenants, ctx, slug),
  }),
);
