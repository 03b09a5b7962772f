import type { Cache, CacheExchangeOpts, KeyGenerator, UpdateResolver } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { possibleTypes } from '../gql/possible-types.ts';

const embedded: KeyGenerator = () => null;

type CreateTenantResult = {
  createTenant?: {
    __typename?: string;
    data?: { state?: string; slug?: string; name?: string };
  };
};

/**
 * After a tenant is created, lists that show every matching tenant on one page are fetched again
 * so it appears in its place. Longer, paged lists are left alone: refetching only their last page
 * would drop the pages before it, and the pages add the tenant live from `tenantUpdated`.
 */
const createTenant: UpdateResolver = (result, _args, cache) => {
  const payload = (result as CreateTenantResult).createTenant;
  if (payload?.__typename !== 'MutationCreateTenantSuccess') return;
  const lists = cache.inspectFields('Query').filter((field) => field.fieldName === 'tenants');
  const byFilter = new Map<string, typeof lists>();
  for (const field of lists) {
    const { search, state, orderBy } = field.arguments ?? {};
    const key = JSON.stringify([search ?? null, state ?? null, orderBy ?? null]);
    byFilter.set(key, [...(byFilter.get(key) ?? []), field]);
  }
  for (const fields of byFilter.values()) {
    const [only] = fields;
    if (fields.length !== 1 || !only || only.arguments?.after || only.arguments?.before) continue;
    const connection = cache.resolve('Query', only.fieldKey);
    const pageInfo = typeof connection === 'string' ? cache.resolve(connection, 'pageInfo') : null;
    const complete = typeof pageInfo === 'string' && cache.resolve(pageInfo, 'hasNextPage') === false;
    if (complete) cache.invalidate('Query', 'tenants', only.arguments ?? undefined);
  }
};

/**
 * After a change to a tenant's secrets, tokens or migrations, the fields that show them are
 * dropped from the tenant's cached record, so every query reading them fetches them again. This
 * runs for failures too: a rotation that stopped half-way leaves the secret pending.
 */
const refreshTenant =
  (...fields: string[]): UpdateResolver =>
  (_result, args, cache) => {
    const tenant = cache.resolve('Query', 'tenant', { slug: args.slug as string });
    if (typeof tenant === 'string') for (const field of fields) cache.invalidate(tenant, field);
  };

/** Drops every cached page of `agentPools`, so lists showing pools fetch them again. */
function refetchPoolLists(cache: Cache): void {
  for (const field of cache.inspectFields('Query'))
    if (field.fieldName === 'agentPools') cache.invalidate('Query', field.fieldKey);
}

/** A pool is gone: every query showing it (its page, the lists) fetches again and no longer finds it. */
function dropPool(cache: Cache, name: unknown): void {
  if (typeof name !== 'string') return;
  cache.invalidate({ __typename: 'AgentPool', name });
  refetchPoolLists(cache);
}

type Payloads = Record<string, { __typename?: string } | null | undefined>;

/** After a pool is created, the lists fetch again to show it in its place (by name). */
const createAgentPool: UpdateResolver = (result, _args, cache) => {
  if ((result as Payloads).createAgentPool?.__typename === 'MutationCreateAgentPoolSuccess')
    refetchPoolLists(cache);
};

/** After a pool is deleted here; a refusal (POOL_IN_USE) leaves it where it is. */
const deleteAgentPool: UpdateResolver = (result, args, cache) => {
  if ((result as Payloads).deleteAgentPool?.__typename === 'MutationDeleteAgentPoolSuccess')
    dropPool(cache, args.name);
};

/** agentPoolChanged answers null once the pool is deleted (by anyone). */
const agentPoolChanged: UpdateResolver = (result, args, cache) => {
  if ((result as Payloads).agentPoolChanged === null) dropPool(cache, args.name);
};

/**
 * The normalized cache: entities with an `id` are stored once, so a subscription that delivers a
 * tenant updates every list and page showing it. Connections merge their pages (`relayPagination`).
 */
export const cacheConfig: CacheExchangeOpts = {
  possibleTypes,
  keys: {
    // One set of alert settings per deployment: a saved change replaces what the page shows.
    AlertSettings: () => 'deployment',
    SmtpSettings: () => 'deployment',
    SmtpSync: embedded,
    SmtpTestResult: embedded,
    QueryAlertHistoryConnection: embedded,
    QueryAlertHistoryConnectionEdge: embedded,
    // One dashboard per deployment: dashboardChanged replaces what the query showed.
    Dashboard: () => 'deployment',
    DashboardTenantCounts: embedded,
    DashboardUserCounts: embedded,
    DashboardHealth: embedded,
    DashboardAlert: embedded,
    // One license per deployment: licenseChanged and each license mutation replace what pages show.
    License: () => 'deployment',
    LicenseSyncCounts: embedded,
    LicenseRenewal: embedded,
    // A tenant's line of the license, by slug: unique among the tenants the list holds (not deleted).
    LicenseTenant: (line) => line.slug as string,
    LicenseTenantsConnection: embedded,
    LicenseTenantsConnectionEdge: embedded,
    DependencyError: embedded,
    AuditActor: embedded,
    AuditTarget: embedded,
    PageInfo: embedded,
    QueryAuditLogConnection: embedded,
    QueryAuditLogConnectionEdge: embedded,
    QueryTenantsConnection: embedded,
    QueryTenantsConnectionEdge: embedded,
    TenantOverview: embedded,
    TenantOperationStep: embedded,
    FieldIssue: embedded,
    BaseError: embedded,
    ConflictError: embedded,
    NotFoundError: embedded,
    ValidationError: embedded,
    MutationCreateTenantSuccess: embedded,
    MutationDeleteTenantSuccess: embedded,
    MutationRepairTenantSuccess: embedded,
    MutationRetryTenantOperationSuccess: embedded,
    // A slug checked as it is typed: always asked again (network-only), never kept.
    SlugAvailability: embedded,
    MutationUpdateAlertSettingsSuccess: embedded,
    MutationUpdateSmtpSettingsSuccess: embedded,
    MutationClearSmtpSettingsSuccess: embedded,
    MutationSendSmtpTestEmailSuccess: embedded,
    MutationActivateLicenseSuccess: embedded,
    MutationClearLicenseSuccess: embedded,
    MutationRenewLicenseSuccess: embedded,
    MutationSetLicenseAllocationSuccess: embedded,
    // Agent pools by name: unique, and what agentPoolChanged, the lists and a tenant's pool share.
    AgentPool: (pool) => pool.name as string,
    // Pods come and go with every scale or restart: each pool's list of them is replaced whole.
    AgentPod: embedded,
    // One shared agent pool per deployment: sharedAgentPoolChanged and its mutations replace it.
    SharedAgentPool: () => 'deployment',
    // The infrastructure view: one per deployment, its parts inside it.
    Infrastructure: () => 'deployment',
    InfrastructureComponentStatus: embedded,
    InfrastructurePod: embedded,
    DatabaseServerStatus: embedded,
    TenantDatabaseSize: embedded,
    InfrastructureChange: embedded,
    UpgradeDeploymentProgress: embedded,
    QueryAgentPoolsConnection: embedded,
    QueryAgentPoolsConnectionEdge: embedded,
    QueryWorkerUpgradesConnection: embedded,
    QueryWorkerUpgradesConnectionEdge: embedded,
    MutationUpgradeWorkersSuccess: embedded,
    MutationRollbackWorkerUpgradeSuccess: embedded,
    // A tenant's worker settings live inside its record, so a change answered by a mutation or
    // tenantUpdated shows wherever the tenant does.
    TenantWorkerConfig: embedded,
    LoginWorkerConfig: embedded,
    MutationCreateAgentPoolSuccess: embedded,
    MutationUpdateAgentPoolSuccess: embedded,
    MutationDeleteAgentPoolSuccess: embedded,
    MutationCreateSharedAgentPoolSuccess: embedded,
    MutationScaleSharedAgentPoolSuccess: embedded,
    MutationRotateSharedAgentPoolKeySuccess: embedded,
    MutationSetTenantWorkerModeSuccess: embedded,
    MutationSetTenantConcurrencySuccess: embedded,
    MutationSetTenantLoginWorkerSuccess: embedded,
    MutationSetTenantPoolSuccess: embedded,
    // Tenant details without an id of their own live inside their tenant's record.
    TenantSecret: embedded,
    TenantDatabase: embedded,
    TenantMigrations: embedded,
    TenantMigration: embedded,
    TenantBootstrapToken: embedded,
    RevealedTenantSecret: embedded,
    CreatedApiToken: embedded,
    MutationApplyTenantMigrationsSuccess: embedded,
    MutationCreateApiTokenSuccess: embedded,
    MutationResetTenantAdminPasswordSuccess: embedded,
    MutationRevealTenantAdminPasswordSuccess: embedded,
    MutationRevealTenantBootstrapTokenSuccess: embedded,
    MutationRevealTenantDatabasePasswordSuccess: embedded,
    MutationRevokeApiTokenSuccess: embedded,
    MutationRevokeTenantBootstrapTokenSuccess: embedded,
    MutationRotateTenantBootstrapTokenSuccess: embedded,
    MutationRotateTenantCpTokenSuccess: embedded,
    MutationRotateTenantSecretSuccess: embedded,
    // Backups have ids; their row counts, a tenant's settings and change events live inside.
    BackupTableCount: embedded,
    TenantBackupSettings: embedded,
    TenantBackupEvent: embedded,
    TenantBackupsConnection: embedded,
    TenantBackupsConnectionEdge: embedded,
    MutationCreateTenantBackupSuccess: embedded,
    MutationDeleteTenantBackupSuccess: embedded,
    MutationVerifyTenantBackupSuccess: embedded,
    MutationSetTenantBackupSettingsSuccess: embedded,
    // A deleted tenant's tombstone, read by slug; it changes only by retention removing backups.
    DeletedTenant: embedded,
    DeletedTenantAuditLogConnection: embedded,
    DeletedTenantAuditLogConnectionEdge: embedded,
    DeletedTenantBackupsConnection: embedded,
    DeletedTenantBackupsConnectionEdge: embedded,
  },
  resolvers: {
    Query: {
      tenants: relayPagination(),
      auditLog: relayPagination(),
    },
  },
  updates: {
    Mutation: {
      createTenant,
      resetTenantAdminPassword: refreshTenant('secrets'),
      rotateTenantSecret: refreshTenant('secrets'),
      rotateTenantCpToken: refreshTenant('secrets'),
      rotateTenantBootstrapToken: refreshTenant('bootstrapToken', 'secrets'),
      revokeTenantBootstrapToken: refreshTenant('bootstrapToken', 'secrets'),
      applyTenantMigrations: refreshTenant('migrations', 'database'),
      createAgentPool,
      deleteAgentPool,
    },
    Subscription: {
      agentPoolChanged,
    },
  },
};
