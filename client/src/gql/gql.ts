/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AlertHistory_Alerts($first: Int!) {\n    alertHistory(first: $first) {\n      edges {\n        node {\n          id\n          kind\n          severity\n          state\n          tenantSlug\n          subject\n          detail\n          openedAt\n          resolvedAt\n          sentAt\n          sentTo\n          resolvedSentAt\n          sendError\n        }\n      }\n    }\n  }\n": typeof types.AlertHistory_AlertsDocument,
    "\n  fragment AuditActorNames on AuditActor {\n    kind\n    id\n    label\n    name\n    email\n    tokenName\n  }\n": typeof types.AuditActorNamesFragmentDoc,
    "\n  query ActorFilter_Search($search: String, $first: Int!) {\n    auditActors(search: $search, first: $first) {\n      ...AuditActorNames\n    }\n  }\n": typeof types.ActorFilter_SearchDocument,
    "\n  query AuditEntryDrawer_Entry($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on AuditEntry {\n        ...AuditLogTable_Entry\n      }\n    }\n  }\n": typeof types.AuditEntryDrawer_EntryDocument,
    "\n  fragment AuditLogTable_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      ...AuditActorNames\n    }\n    target {\n      kind\n      id\n      name\n    }\n    details\n    requestId\n  }\n": typeof types.AuditLogTable_EntryFragmentDoc,
    "\n  query AuditLogTable_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditLogTable_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditLogTable_ListDocument,
    "\n  subscription AuditLogTable_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditLogTable_Entry\n    }\n  }\n": typeof types.AuditLogTable_EventsDocument,
    "\n  query AuditExport_Page($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            kind\n            id\n            label\n          }\n          target {\n            kind\n            id\n          }\n          details\n          requestId\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditExport_PageDocument,
    "\n  query Operator_Me {\n    me {\n      id\n      name\n      email\n      role\n      authenticatedBy\n    }\n  }\n": typeof types.Operator_MeDocument,
    "\n  fragment BackupsSection_Backup on TenantBackup {\n    id\n    state\n    trigger\n    requestedBy\n    phase\n    progressBytes\n    startedAt\n    finishedAt\n    sizeBytes\n    sha256\n    error\n    verification\n    verifiedAt\n    verifyError\n  }\n": typeof types.BackupsSection_BackupFragmentDoc,
    "\n  query BackupsSection_Backups($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      backups(first: 50) {\n        edges {\n          node {\n            ...BackupsSection_Backup\n          }\n        }\n      }\n      backupSettings {\n        schedule\n        keep\n        custom\n      }\n    }\n  }\n": typeof types.BackupsSection_BackupsDocument,
    "\n  subscription BackupsSection_Changes($slug: String!) {\n    tenantBackupChanged(slug: $slug) {\n      backupId\n      change\n      backup {\n        ...BackupsSection_Backup\n      }\n    }\n  }\n": typeof types.BackupsSection_ChangesDocument,
    "\n  mutation BackupsSection_Create($slug: String!) {\n    createTenantBackup(slug: $slug) {\n      __typename\n      ... on MutationCreateTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BackupsSection_CreateDocument,
    "\n  mutation BackupsSection_Verify($slug: String!, $id: ID!) {\n    verifyTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationVerifyTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BackupsSection_VerifyDocument,
    "\n  mutation BackupsSection_Delete($slug: String!, $id: ID!) {\n    deleteTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationDeleteTenantBackupSuccess {\n        data {\n          id\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BackupsSection_DeleteDocument,
    "\n  mutation BackupsSection_Settings($slug: String!, $input: TenantBackupSettingsInput!) {\n    setTenantBackupSettings(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantBackupSettingsSuccess {\n        data {\n          schedule\n          keep\n          custom\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BackupsSection_SettingsDocument,
    "\n  fragment OperationSteps_Operation on TenantOperation {\n    id\n    kind\n    state\n    currentStep\n    attempts\n    lastError\n    nextAttemptAt\n    requestedBy\n    createdAt\n    finishedAt\n    steps {\n      name\n      state\n      startedAt\n      finishedAt\n      error\n    }\n  }\n": typeof types.OperationSteps_OperationFragmentDoc,
    "\n  fragment LicenseCard_Figures on License {\n    state\n    licensee\n    daysLeft\n    usersInUse\n    maxUsers\n    freeTierMaxUsers\n    sync {\n      failed\n    }\n  }\n": typeof types.LicenseCard_FiguresFragmentDoc,
    "\n  query LicenseCard_License {\n    license {\n      ...LicenseCard_Figures\n    }\n  }\n": typeof types.LicenseCard_LicenseDocument,
    "\n  subscription LicenseCard_Changed {\n    licenseChanged {\n      ...LicenseCard_Figures\n    }\n  }\n": typeof types.LicenseCard_ChangedDocument,
    "\n  fragment RecentActivity_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n  }\n": typeof types.RecentActivity_EntryFragmentDoc,
    "\n  query RecentActivity_List($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          ...RecentActivity_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": typeof types.RecentActivity_ListDocument,
    "\n  subscription RecentActivity_Events {\n    auditEvents {\n      ...RecentActivity_Entry\n    }\n  }\n": typeof types.RecentActivity_EventsDocument,
    "\n  fragment Dashboard_Figures on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n    }\n    users {\n      total\n      active\n      reportingTenants\n    }\n    health {\n      ok\n      degraded\n      unreachable\n      notYetChecked\n    }\n    failedOperations\n    retryingOperations\n    alertCount\n    alerts(first: 8) {\n      kind\n      severity\n      slug\n      operationKind\n      attempts\n      detail\n    }\n  }\n": typeof types.Dashboard_FiguresFragmentDoc,
    "\n  query Dashboard_Summary {\n    dashboard {\n      ...Dashboard_Figures\n    }\n  }\n": typeof types.Dashboard_SummaryDocument,
    "\n  subscription Dashboard_Changed {\n    dashboardChanged {\n      ...Dashboard_Figures\n    }\n  }\n": typeof types.Dashboard_ChangedDocument,
    "\n  fragment MutationProblem_Error on Error {\n    code\n    message\n    ... on ValidationError {\n      issues {\n        path\n        message\n      }\n    }\n  }\n": typeof types.MutationProblem_ErrorFragmentDoc,
    "\n  fragment InfrastructurePage_Pod on InfrastructurePod {\n    name\n    component\n    phase\n    ready\n    restarts\n    node\n    version\n    startedAt\n    lastTransitionAt\n    tenant\n    pool\n  }\n": typeof types.InfrastructurePage_PodFragmentDoc,
    "\n  fragment InfrastructurePage_Database on DatabaseServerStatus {\n    serverVersion\n    startedAt\n    connections\n    maxConnections\n    sizeBytes\n    tenants {\n      slug\n      sizeBytes\n    }\n  }\n": typeof types.InfrastructurePage_DatabaseFragmentDoc,
    "\n  fragment InfrastructurePage_Upgrade on WorkerUpgrade {\n    id\n    component\n    version\n    previousVersion\n    state\n    error\n    requestedBy\n    rollbackOf\n    createdAt\n    updatedAt\n    finishedAt\n    deployments {\n      name\n      tenant\n      pool\n      fromVersion\n      toVersion\n      replicas\n      updatedReplicas\n      readyReplicas\n      totalReplicas\n      done\n      gone\n    }\n  }\n": typeof types.InfrastructurePage_UpgradeFragmentDoc,
    "\n  subscription InfrastructurePage_Changed($after: String) {\n    infrastructureChanged(after: $after) {\n      kind\n      cursor\n      component\n      pods {\n        ...InfrastructurePage_Pod\n      }\n      removedPods\n      versions\n      requestedVersion\n      versionDrift\n      database {\n        ...InfrastructurePage_Database\n      }\n      databaseError\n      snapshot {\n        components {\n          component\n          versions\n          requestedVersion\n          versionDrift\n          pods {\n            ...InfrastructurePage_Pod\n          }\n        }\n        database {\n          ...InfrastructurePage_Database\n        }\n        databaseError\n        upgrades {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n": typeof types.InfrastructurePage_ChangedDocument,
    "\n  query InfrastructurePage_Upgrades($first: Int!) {\n    workerUpgrades(first: $first) {\n      edges {\n        node {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n": typeof types.InfrastructurePage_UpgradesDocument,
    "\n  subscription InfrastructurePage_UpgradeChanged($id: ID!) {\n    workerUpgradeChanged(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n": typeof types.InfrastructurePage_UpgradeChangedDocument,
    "\n  mutation InfrastructurePage_UpgradeWorkers($component: WorkerComponent!, $version: String!) {\n    upgradeWorkers(component: $component, version: $version) {\n      __typename\n      ... on MutationUpgradeWorkersSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.InfrastructurePage_UpgradeWorkersDocument,
    "\n  mutation InfrastructurePage_Rollback($id: ID!) {\n    rollbackWorkerUpgrade(id: $id) {\n      __typename\n      ... on MutationRollbackWorkerUpgradeSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.InfrastructurePage_RollbackDocument,
    "\n  query InfrastructurePage_Upgrade($id: ID!) {\n    workerUpgrade(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n": typeof types.InfrastructurePage_UpgradeDocument,
    "\n  mutation ActivateLicenseCard_Activate($license: String!, $first: Int!, $after: String) {\n    activateLicense(license: $license) {\n      __typename\n      ... on MutationActivateLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.ActivateLicenseCard_ActivateDocument,
    "\n  fragment AllocationTable_Tenant on LicenseTenant {\n    slug\n    name\n    userCap\n    effectiveCap\n    users\n    syncState\n    attempts\n    lastError\n    nextAttemptAt\n    syncedAt\n  }\n": typeof types.AllocationTable_TenantFragmentDoc,
    "\n  mutation AllocationTable_SetAllocation($slug: String!, $userCap: Int, $first: Int!, $after: String) {\n    setLicenseAllocation(slug: $slug, userCap: $userCap) {\n      __typename\n      ... on MutationSetLicenseAllocationSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.AllocationTable_SetAllocationDocument,
    "\n  fragment LicenseStatusCard_License on License {\n    state\n    licenseId\n    licensee\n    features\n    issuedAt\n    validFrom\n    expiresAt\n    daysLeft\n    renewalUrlSet\n    keyId\n    activatedAt\n    activatedBy\n    freeTierMaxUsers\n    renewal {\n      failures\n      lastError\n      lastFailedAt\n      nextAttemptAt\n      renewedAt\n    }\n  }\n": typeof types.LicenseStatusCard_LicenseFragmentDoc,
    "\n  mutation LicenseStatusCard_Renew($first: Int!, $after: String) {\n    renewLicense {\n      __typename\n      ... on MutationRenewLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.LicenseStatusCard_RenewDocument,
    "\n  mutation LicenseStatusCard_Clear($first: Int!, $after: String) {\n    clearLicense {\n      __typename\n      ... on MutationClearLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.LicenseStatusCard_ClearDocument,
    "\n  fragment LicenseUsageCard_License on License {\n    state\n    maxUsers\n    freeTierMaxUsers\n    usersInUse\n    allocated\n    unallocated\n    updatedAt\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n": typeof types.LicenseUsageCard_LicenseFragmentDoc,
    "\n  fragment ApiTokensPage_Token on ApiToken {\n    id\n    name\n    prefix\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n  }\n": typeof types.ApiTokensPage_TokenFragmentDoc,
    "\n  query ApiTokensPage_Tokens {\n    apiTokens {\n      ...ApiTokensPage_Token\n    }\n  }\n": typeof types.ApiTokensPage_TokensDocument,
    "\n  mutation ApiTokensPage_Create($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on MutationCreateApiTokenSuccess {\n        data {\n          token\n          apiToken {\n            id\n            name\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.ApiTokensPage_CreateDocument,
    "\n  mutation ApiTokensPage_Revoke($id: String!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on MutationRevokeApiTokenSuccess {\n        data {\n          ...ApiTokensPage_Token\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.ApiTokensPage_RevokeDocument,
    "\n  fragment LicensePage_License on License {\n    state\n    ...LicenseStatusCard_License\n    ...LicenseUsageCard_License\n    tenants(first: $first, after: $after) {\n      edges {\n        node {\n          ...AllocationTable_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.LicensePage_LicenseFragmentDoc,
    "\n  query LicensePage_Status($first: Int!, $after: String) {\n    license {\n      ...LicensePage_License\n    }\n  }\n": typeof types.LicensePage_StatusDocument,
    "\n  subscription LicensePage_Changed($first: Int!, $after: String) {\n    licenseChanged {\n      ...LicensePage_License\n    }\n  }\n": typeof types.LicensePage_ChangedDocument,
    "\n  query MailPage_Caught {\n    caughtMail(first: 100) {\n      id\n      receivedAt\n      from\n      to\n      subject\n      body\n      size\n    }\n  }\n": typeof types.MailPage_CaughtDocument,
    "\n  fragment PoolPage_Pool on AgentPool {\n    ...PoolsTable_Pool\n    updatedAt\n  }\n": typeof types.PoolPage_PoolFragmentDoc,
    "\n  query PoolPage_Pool($name: String!) {\n    agentPool(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n": typeof types.PoolPage_PoolDocument,
    "\n  subscription PoolPage_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n": typeof types.PoolPage_ChangedDocument,
    "\n  mutation PoolPage_UpdateLabels($name: String!, $labels: [String!]!) {\n    updateAgentPool(name: $name, labels: $labels) {\n      __typename\n      ... on MutationUpdateAgentPoolSuccess {\n        data {\n          ...PoolPage_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.PoolPage_UpdateLabelsDocument,
    "\n  mutation PoolPage_Delete($name: String!) {\n    deleteAgentPool(name: $name) {\n      __typename\n      ... on MutationDeleteAgentPoolSuccess {\n        data {\n          name\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.PoolPage_DeleteDocument,
    "\n  query PoolsPage_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          ...PoolsTable_Pool\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": typeof types.PoolsPage_PoolsDocument,
    "\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n": typeof types.SettingsPage_AlertSettingsFragmentDoc,
    "\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n": typeof types.SettingsPage_AlertsDocument,
    "\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SettingsPage_UpdateAlertsDocument,
    "\n  fragment TenantPage_Fields on Tenant {\n    id\n    slug\n    name\n    adminEmail\n    state\n    createdAt\n    createdBy\n    updatedAt\n    deletedAt\n    drift\n    driftCheckedAt\n    overview {\n      status\n      statusError\n      backendVersion\n      users\n      groups\n      apps\n      activeUsers\n      lastSeenAt\n      checkedAt\n    }\n  }\n": typeof types.TenantPage_FieldsFragmentDoc,
    "\n  fragment TenantPage_Tenant on Tenant {\n    ...TenantPage_Fields\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n": typeof types.TenantPage_TenantFragmentDoc,
    "\n  query TenantPage_Tenant($slug: String!) {\n    tenant(slug: $slug) {\n      ...TenantPage_Tenant\n    }\n  }\n": typeof types.TenantPage_TenantDocument,
    "\n  query TenantPage_Tombstone($slug: String!) {\n    deletedTenant(slug: $slug) {\n      ...TombstoneView_DeletedTenant\n    }\n  }\n": typeof types.TenantPage_TombstoneDocument,
    "\n  subscription TenantPage_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      ...TenantPage_Fields\n    }\n  }\n": typeof types.TenantPage_UpdatesDocument,
    "\n  subscription TenantPage_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n": typeof types.TenantPage_OperationDocument,
    "\n  query TenantsPage_List(\n    $first: Int!\n    $after: String\n    $search: String\n    $state: [TenantState!]\n    $orderBy: TenantOrderInput\n  ) {\n    tenants(first: $first, after: $after, search: $search, state: $state, orderBy: $orderBy) {\n      edges {\n        node {\n          ...TenantRow_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TenantsPage_ListDocument,
    "\n  subscription TenantsPage_Updates {\n    tenantUpdated {\n      ...TenantRow_Tenant\n    }\n  }\n": typeof types.TenantsPage_UpdatesDocument,
    "\n  fragment AlertRulesForm_Rules on AlertSettings {\n    licenseLeadDays\n    capacityThresholds\n    unhealthyMinutes\n    reportHour\n    reportTimeZone\n  }\n": typeof types.AlertRulesForm_RulesFragmentDoc,
    "\n  query AlertRulesForm_Query {\n    alertSettings {\n      ...AlertRulesForm_Rules\n    }\n  }\n": typeof types.AlertRulesForm_QueryDocument,
    "\n  mutation AlertRulesForm_Update($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...AlertRulesForm_Rules\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.AlertRulesForm_UpdateDocument,
    "\n  fragment SmtpSettingsCard_Settings on SmtpSettings {\n    configured\n    host\n    port\n    username\n    passwordSet\n    from\n    tls\n    updatedAt\n    updatedBy\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n": typeof types.SmtpSettingsCard_SettingsFragmentDoc,
    "\n  query SmtpSettingsCard_Query {\n    smtpSettings {\n      ...SmtpSettingsCard_Settings\n    }\n  }\n": typeof types.SmtpSettingsCard_QueryDocument,
    "\n  mutation SmtpSettingsCard_Update($input: SmtpSettingsInput!) {\n    updateSmtpSettings(input: $input) {\n      __typename\n      ... on MutationUpdateSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SmtpSettingsCard_UpdateDocument,
    "\n  mutation SmtpSettingsCard_Clear {\n    clearSmtpSettings {\n      __typename\n      ... on MutationClearSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SmtpSettingsCard_ClearDocument,
    "\n  mutation SmtpSettingsCard_Test($to: String!) {\n    sendSmtpTestEmail(to: $to) {\n      __typename\n      ... on MutationSendSmtpTestEmailSuccess {\n        data {\n          to\n          via\n          response\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SmtpSettingsCard_TestDocument,
    "\n  mutation DeleteTenant_Delete($slug: String!, $confirm: String!) {\n    deleteTenant(slug: $slug, confirm: $confirm) {\n      __typename\n      ... on MutationDeleteTenantSuccess {\n        data {\n          id\n          state\n          updatedAt\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.DeleteTenant_DeleteDocument,
    "\n  mutation NewTenant_Create($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      __typename\n      ... on MutationCreateTenantSuccess {\n        data {\n          ...TenantRow_Tenant\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.NewTenant_CreateDocument,
    "\n  query NewTenant_Progress($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      state\n      operation {\n        ...OperationSteps_Operation\n      }\n    }\n  }\n": typeof types.NewTenant_ProgressDocument,
    "\n  subscription NewTenant_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n": typeof types.NewTenant_OperationDocument,
    "\n  query NewTenant_SlugAvailability($slug: String!) {\n    slugAvailability(slug: $slug) {\n      slug\n      status\n      reason\n    }\n  }\n": typeof types.NewTenant_SlugAvailabilityDocument,
    "\n  mutation RepairActions_Repair($slug: String!) {\n    repairTenant(slug: $slug) {\n      __typename\n      ... on MutationRepairTenantSuccess {\n        data {\n          id\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.RepairActions_RepairDocument,
    "\n  mutation RepairActions_Retry($slug: String!) {\n    retryTenantOperation(slug: $slug) {\n      __typename\n      ... on MutationRetryTenantOperationSuccess {\n        data {\n          ...OperationSteps_Operation\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.RepairActions_RetryDocument,
    "\n  fragment TenantRow_Tenant on Tenant {\n    id\n    slug\n    name\n    state\n    createdAt\n    updatedAt\n    overview {\n      status\n      statusError\n      users\n      activeUsers\n      backendVersion\n      lastSeenAt\n    }\n  }\n": typeof types.TenantRow_TenantFragmentDoc,
    "\n  fragment TombstoneView_DeletedTenant on DeletedTenant {\n    slug\n    name\n    createdBy\n    createdAt\n    deletedAt\n    deleteRequestedAt\n    deletedBy\n    backupsPurged\n    backupsRemovedAt\n    slugInUse\n    auditLog(first: 50) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            label\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    backups(first: 50) {\n      edges {\n        node {\n          id\n          state\n          trigger\n          startedAt\n          sizeBytes\n          sha256\n        }\n      }\n    }\n  }\n": typeof types.TombstoneView_DeletedTenantFragmentDoc,
    "\n  mutation AdminPasswordSection_Reveal($slug: String!) {\n    revealTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantAdminPasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.AdminPasswordSection_RevealDocument,
    "\n  mutation AdminPasswordSection_Reset($slug: String!) {\n    resetTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationResetTenantAdminPasswordSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.AdminPasswordSection_ResetDocument,
    "\n  query BootstrapTokenSection_Token($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      bootstrapToken {\n        set\n        masked\n        version\n        expiresAt\n        expired\n        rotatedAt\n        rotatedBy\n        revokedAt\n      }\n    }\n  }\n": typeof types.BootstrapTokenSection_TokenDocument,
    "\n  mutation BootstrapTokenSection_Reveal($slug: String!) {\n    revealTenantBootstrapToken(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantBootstrapTokenSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BootstrapTokenSection_RevealDocument,
    "\n  mutation BootstrapTokenSection_Rotate($slug: String!, $expiresAt: DateTime) {\n    rotateTenantBootstrapToken(slug: $slug, expiresAt: $expiresAt) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BootstrapTokenSection_RotateDocument,
    "\n  mutation BootstrapTokenSection_Revoke($slug: String!) {\n    revokeTenantBootstrapToken(slug: $slug) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.BootstrapTokenSection_RevokeDocument,
    "\n  mutation CpTokenSection_Rotate($slug: String!) {\n    rotateTenantCpToken(slug: $slug) {\n      __typename\n      ... on MutationRotateTenantCpTokenSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.CpTokenSection_RotateDocument,
    "\n  query DatabaseSection_Database($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      database {\n        host\n        port\n        database\n        user\n        sizeBytes\n        connections\n        serverVersion\n        statsError\n      }\n      migrations {\n        applied {\n          id\n          appliedAt\n        }\n        pending\n      }\n    }\n  }\n": typeof types.DatabaseSection_DatabaseDocument,
    "\n  mutation DatabaseSection_RevealPassword($slug: String!) {\n    revealTenantDatabasePassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantDatabasePasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.DatabaseSection_RevealPasswordDocument,
    "\n  mutation DatabaseSection_ApplyMigrations($slug: String!) {\n    applyTenantMigrations(slug: $slug) {\n      __typename\n      ... on MutationApplyTenantMigrationsSuccess {\n        data {\n          pending\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.DatabaseSection_ApplyMigrationsDocument,
    "\n  mutation SecretsSection_Rotate($slug: String!, $secret: RotatableTenantSecret!) {\n    rotateTenantSecret(slug: $slug, secret: $secret) {\n      __typename\n      ... on MutationRotateTenantSecretSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SecretsSection_RotateDocument,
    "\n  fragment SecretFacts_Secret on TenantSecret {\n    secret\n    version\n    rotatedAt\n    rotatedBy\n    graceActive\n    graceUntil\n    pending\n    pendingError\n  }\n": typeof types.SecretFacts_SecretFragmentDoc,
    "\n  query TenantSecrets_Secrets($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      secrets {\n        ...SecretFacts_Secret\n      }\n    }\n  }\n": typeof types.TenantSecrets_SecretsDocument,
    "\n  fragment TenantCounts_Counts on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n      deleted\n    }\n  }\n": typeof types.TenantCounts_CountsFragmentDoc,
    "\n  query TenantCounts_Query {\n    dashboard {\n      ...TenantCounts_Counts\n    }\n  }\n": typeof types.TenantCounts_QueryDocument,
    "\n  subscription TenantCounts_Changed {\n    dashboardChanged {\n      ...TenantCounts_Counts\n    }\n  }\n": typeof types.TenantCounts_ChangedDocument,
    "\n  fragment AgentsTable_Agent on AgentPod {\n    name\n    phase\n    ready\n    node\n    version\n    startedAt\n  }\n": typeof types.AgentsTable_AgentFragmentDoc,
    "\n  mutation CreatePoolCard_Create($input: CreateAgentPoolInput!) {\n    createAgentPool(input: $input) {\n      __typename\n      ... on MutationCreateAgentPoolSuccess {\n        data {\n          ...PoolsTable_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.CreatePoolCard_CreateDocument,
    "\n  mutation LoginWorkerForm_Set($slug: String!, $input: LoginWorkerInput!) {\n    setTenantLoginWorker(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantLoginWorkerSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.LoginWorkerForm_SetDocument,
    "\n  fragment PoolsTable_Pool on AgentPool {\n    name\n    labels\n    createdAt\n    createdBy\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n": typeof types.PoolsTable_PoolFragmentDoc,
    "\n  subscription PoolsTable_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolsTable_Pool\n    }\n  }\n": typeof types.PoolsTable_ChangedDocument,
    "\n  fragment SharedPoolCard_Pool on SharedAgentPool {\n    initialized\n    replicas\n    readyReplicas\n    image\n    version\n    keyId\n    keyCreatedAt\n    previousKeyId\n    previousKeyExpiresAt\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n": typeof types.SharedPoolCard_PoolFragmentDoc,
    "\n  query SharedPoolCard_Pool {\n    sharedAgentPool {\n      ...SharedPoolCard_Pool\n    }\n  }\n": typeof types.SharedPoolCard_PoolDocument,
    "\n  subscription SharedPoolCard_Changed {\n    sharedAgentPoolChanged {\n      ...SharedPoolCard_Pool\n    }\n  }\n": typeof types.SharedPoolCard_ChangedDocument,
    "\n  mutation SharedPoolCard_Initialize {\n    createSharedAgentPool {\n      __typename\n      ... on MutationCreateSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SharedPoolCard_InitializeDocument,
    "\n  mutation SharedPoolCard_Scale($replicas: Int!) {\n    scaleSharedAgentPool(replicas: $replicas) {\n      __typename\n      ... on MutationScaleSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SharedPoolCard_ScaleDocument,
    "\n  mutation SharedPoolCard_RotateKey {\n    rotateSharedAgentPoolKey {\n      __typename\n      ... on MutationRotateSharedAgentPoolKeySuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.SharedPoolCard_RotateKeyDocument,
    "\n  mutation TaskWorkerForms_SetMode($slug: String!, $mode: TaskWorkerMode!) {\n    setTenantWorkerMode(slug: $slug, mode: $mode) {\n      __typename\n      ... on MutationSetTenantWorkerModeSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.TaskWorkerForms_SetModeDocument,
    "\n  mutation TaskWorkerForms_SetConcurrency($slug: String!, $limit: Int!) {\n    setTenantConcurrency(slug: $slug, limit: $limit) {\n      __typename\n      ... on MutationSetTenantConcurrencySuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.TaskWorkerForms_SetConcurrencyDocument,
    "\n  mutation TaskWorkerForms_SetPool($slug: String!, $pool: String) {\n    setTenantPool(slug: $slug, pool: $pool) {\n      __typename\n      ... on MutationSetTenantPoolSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": typeof types.TaskWorkerForms_SetPoolDocument,
    "\n  fragment WorkersSection_Config on TenantWorkerConfig {\n    taskMode\n    concurrency\n    loginWorker {\n      mode\n      url\n      maxConcurrent\n    }\n    pool {\n      name\n      labels\n    }\n    updatedAt\n    updatedBy\n  }\n": typeof types.WorkersSection_ConfigFragmentDoc,
    "\n  fragment WorkersSection_Tenant on Tenant {\n    id\n    workerConfig {\n      ...WorkersSection_Config\n    }\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n": typeof types.WorkersSection_TenantFragmentDoc,
    "\n  query WorkersSection_Workers($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n": typeof types.WorkersSection_WorkersDocument,
    "\n  query WorkersSection_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          name\n          labels\n        }\n      }\n    }\n    sharedAgentPool {\n      initialized\n    }\n  }\n": typeof types.WorkersSection_PoolsDocument,
    "\n  subscription WorkersSection_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n": typeof types.WorkersSection_UpdatesDocument,
};
const documents: Documents = {
    "\n  query AlertHistory_Alerts($first: Int!) {\n    alertHistory(first: $first) {\n      edges {\n        node {\n          id\n          kind\n          severity\n          state\n          tenantSlug\n          subject\n          detail\n          openedAt\n          resolvedAt\n          sentAt\n          sentTo\n          resolvedSentAt\n          sendError\n        }\n      }\n    }\n  }\n": types.AlertHistory_AlertsDocument,
    "\n  fragment AuditActorNames on AuditActor {\n    kind\n    id\n    label\n    name\n    email\n    tokenName\n  }\n": types.AuditActorNamesFragmentDoc,
    "\n  query ActorFilter_Search($search: String, $first: Int!) {\n    auditActors(search: $search, first: $first) {\n      ...AuditActorNames\n    }\n  }\n": types.ActorFilter_SearchDocument,
    "\n  query AuditEntryDrawer_Entry($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on AuditEntry {\n        ...AuditLogTable_Entry\n      }\n    }\n  }\n": types.AuditEntryDrawer_EntryDocument,
    "\n  fragment AuditLogTable_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      ...AuditActorNames\n    }\n    target {\n      kind\n      id\n      name\n    }\n    details\n    requestId\n  }\n": types.AuditLogTable_EntryFragmentDoc,
    "\n  query AuditLogTable_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditLogTable_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditLogTable_ListDocument,
    "\n  subscription AuditLogTable_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditLogTable_Entry\n    }\n  }\n": types.AuditLogTable_EventsDocument,
    "\n  query AuditExport_Page($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            kind\n            id\n            label\n          }\n          target {\n            kind\n            id\n          }\n          details\n          requestId\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditExport_PageDocument,
    "\n  query Operator_Me {\n    me {\n      id\n      name\n      email\n      role\n      authenticatedBy\n    }\n  }\n": types.Operator_MeDocument,
    "\n  fragment BackupsSection_Backup on TenantBackup {\n    id\n    state\n    trigger\n    requestedBy\n    phase\n    progressBytes\n    startedAt\n    finishedAt\n    sizeBytes\n    sha256\n    error\n    verification\n    verifiedAt\n    verifyError\n  }\n": types.BackupsSection_BackupFragmentDoc,
    "\n  query BackupsSection_Backups($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      backups(first: 50) {\n        edges {\n          node {\n            ...BackupsSection_Backup\n          }\n        }\n      }\n      backupSettings {\n        schedule\n        keep\n        custom\n      }\n    }\n  }\n": types.BackupsSection_BackupsDocument,
    "\n  subscription BackupsSection_Changes($slug: String!) {\n    tenantBackupChanged(slug: $slug) {\n      backupId\n      change\n      backup {\n        ...BackupsSection_Backup\n      }\n    }\n  }\n": types.BackupsSection_ChangesDocument,
    "\n  mutation BackupsSection_Create($slug: String!) {\n    createTenantBackup(slug: $slug) {\n      __typename\n      ... on MutationCreateTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.BackupsSection_CreateDocument,
    "\n  mutation BackupsSection_Verify($slug: String!, $id: ID!) {\n    verifyTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationVerifyTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.BackupsSection_VerifyDocument,
    "\n  mutation BackupsSection_Delete($slug: String!, $id: ID!) {\n    deleteTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationDeleteTenantBackupSuccess {\n        data {\n          id\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.BackupsSection_DeleteDocument,
    "\n  mutation BackupsSection_Settings($slug: String!, $input: TenantBackupSettingsInput!) {\n    setTenantBackupSettings(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantBackupSettingsSuccess {\n        data {\n          schedule\n          keep\n          custom\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.BackupsSection_SettingsDocument,
    "\n  fragment OperationSteps_Operation on TenantOperation {\n    id\n    kind\n    state\n    currentStep\n    attempts\n    lastError\n    nextAttemptAt\n    requestedBy\n    createdAt\n    finishedAt\n    steps {\n      name\n      state\n      startedAt\n      finishedAt\n      error\n    }\n  }\n": types.OperationSteps_OperationFragmentDoc,
    "\n  fragment LicenseCard_Figures on License {\n    state\n    licensee\n    daysLeft\n    usersInUse\n    maxUsers\n    freeTierMaxUsers\n    sync {\n      failed\n    }\n  }\n": types.LicenseCard_FiguresFragmentDoc,
    "\n  query LicenseCard_License {\n    license {\n      ...LicenseCard_Figures\n    }\n  }\n": types.LicenseCard_LicenseDocument,
    "\n  subscription LicenseCard_Changed {\n    licenseChanged {\n      ...LicenseCard_Figures\n    }\n  }\n": types.LicenseCard_ChangedDocument,
    "\n  fragment RecentActivity_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n  }\n": types.RecentActivity_EntryFragmentDoc,
    "\n  query RecentActivity_List($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          ...RecentActivity_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": types.RecentActivity_ListDocument,
    "\n  subscription RecentActivity_Events {\n    auditEvents {\n      ...RecentActivity_Entry\n    }\n  }\n": types.RecentActivity_EventsDocument,
    "\n  fragment Dashboard_Figures on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n    }\n    users {\n      total\n      active\n      reportingTenants\n    }\n    health {\n      ok\n      degraded\n      unreachable\n      notYetChecked\n    }\n    failedOperations\n    retryingOperations\n    alertCount\n    alerts(first: 8) {\n      kind\n      severity\n      slug\n      operationKind\n      attempts\n      detail\n    }\n  }\n": types.Dashboard_FiguresFragmentDoc,
    "\n  query Dashboard_Summary {\n    dashboard {\n      ...Dashboard_Figures\n    }\n  }\n": types.Dashboard_SummaryDocument,
    "\n  subscription Dashboard_Changed {\n    dashboardChanged {\n      ...Dashboard_Figures\n    }\n  }\n": types.Dashboard_ChangedDocument,
    "\n  fragment MutationProblem_Error on Error {\n    code\n    message\n    ... on ValidationError {\n      issues {\n        path\n        message\n      }\n    }\n  }\n": types.MutationProblem_ErrorFragmentDoc,
    "\n  fragment InfrastructurePage_Pod on InfrastructurePod {\n    name\n    component\n    phase\n    ready\n    restarts\n    node\n    version\n    startedAt\n    lastTransitionAt\n    tenant\n    pool\n  }\n": types.InfrastructurePage_PodFragmentDoc,
    "\n  fragment InfrastructurePage_Database on DatabaseServerStatus {\n    serverVersion\n    startedAt\n    connections\n    maxConnections\n    sizeBytes\n    tenants {\n      slug\n      sizeBytes\n    }\n  }\n": types.InfrastructurePage_DatabaseFragmentDoc,
    "\n  fragment InfrastructurePage_Upgrade on WorkerUpgrade {\n    id\n    component\n    version\n    previousVersion\n    state\n    error\n    requestedBy\n    rollbackOf\n    createdAt\n    updatedAt\n    finishedAt\n    deployments {\n      name\n      tenant\n      pool\n      fromVersion\n      toVersion\n      replicas\n      updatedReplicas\n      readyReplicas\n      totalReplicas\n      done\n      gone\n    }\n  }\n": types.InfrastructurePage_UpgradeFragmentDoc,
    "\n  subscription InfrastructurePage_Changed($after: String) {\n    infrastructureChanged(after: $after) {\n      kind\n      cursor\n      component\n      pods {\n        ...InfrastructurePage_Pod\n      }\n      removedPods\n      versions\n      requestedVersion\n      versionDrift\n      database {\n        ...InfrastructurePage_Database\n      }\n      databaseError\n      snapshot {\n        components {\n          component\n          versions\n          requestedVersion\n          versionDrift\n          pods {\n            ...InfrastructurePage_Pod\n          }\n        }\n        database {\n          ...InfrastructurePage_Database\n        }\n        databaseError\n        upgrades {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n": types.InfrastructurePage_ChangedDocument,
    "\n  query InfrastructurePage_Upgrades($first: Int!) {\n    workerUpgrades(first: $first) {\n      edges {\n        node {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n": types.InfrastructurePage_UpgradesDocument,
    "\n  subscription InfrastructurePage_UpgradeChanged($id: ID!) {\n    workerUpgradeChanged(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n": types.InfrastructurePage_UpgradeChangedDocument,
    "\n  mutation InfrastructurePage_UpgradeWorkers($component: WorkerComponent!, $version: String!) {\n    upgradeWorkers(component: $component, version: $version) {\n      __typename\n      ... on MutationUpgradeWorkersSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.InfrastructurePage_UpgradeWorkersDocument,
    "\n  mutation InfrastructurePage_Rollback($id: ID!) {\n    rollbackWorkerUpgrade(id: $id) {\n      __typename\n      ... on MutationRollbackWorkerUpgradeSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.InfrastructurePage_RollbackDocument,
    "\n  query InfrastructurePage_Upgrade($id: ID!) {\n    workerUpgrade(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n": types.InfrastructurePage_UpgradeDocument,
    "\n  mutation ActivateLicenseCard_Activate($license: String!, $first: Int!, $after: String) {\n    activateLicense(license: $license) {\n      __typename\n      ... on MutationActivateLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.ActivateLicenseCard_ActivateDocument,
    "\n  fragment AllocationTable_Tenant on LicenseTenant {\n    slug\n    name\n    userCap\n    effectiveCap\n    users\n    syncState\n    attempts\n    lastError\n    nextAttemptAt\n    syncedAt\n  }\n": types.AllocationTable_TenantFragmentDoc,
    "\n  mutation AllocationTable_SetAllocation($slug: String!, $userCap: Int, $first: Int!, $after: String) {\n    setLicenseAllocation(slug: $slug, userCap: $userCap) {\n      __typename\n      ... on MutationSetLicenseAllocationSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.AllocationTable_SetAllocationDocument,
    "\n  fragment LicenseStatusCard_License on License {\n    state\n    licenseId\n    licensee\n    features\n    issuedAt\n    validFrom\n    expiresAt\n    daysLeft\n    renewalUrlSet\n    keyId\n    activatedAt\n    activatedBy\n    freeTierMaxUsers\n    renewal {\n      failures\n      lastError\n      lastFailedAt\n      nextAttemptAt\n      renewedAt\n    }\n  }\n": types.LicenseStatusCard_LicenseFragmentDoc,
    "\n  mutation LicenseStatusCard_Renew($first: Int!, $after: String) {\n    renewLicense {\n      __typename\n      ... on MutationRenewLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.LicenseStatusCard_RenewDocument,
    "\n  mutation LicenseStatusCard_Clear($first: Int!, $after: String) {\n    clearLicense {\n      __typename\n      ... on MutationClearLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.LicenseStatusCard_ClearDocument,
    "\n  fragment LicenseUsageCard_License on License {\n    state\n    maxUsers\n    freeTierMaxUsers\n    usersInUse\n    allocated\n    unallocated\n    updatedAt\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n": types.LicenseUsageCard_LicenseFragmentDoc,
    "\n  fragment ApiTokensPage_Token on ApiToken {\n    id\n    name\n    prefix\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n  }\n": types.ApiTokensPage_TokenFragmentDoc,
    "\n  query ApiTokensPage_Tokens {\n    apiTokens {\n      ...ApiTokensPage_Token\n    }\n  }\n": types.ApiTokensPage_TokensDocument,
    "\n  mutation ApiTokensPage_Create($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on MutationCreateApiTokenSuccess {\n        data {\n          token\n          apiToken {\n            id\n            name\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.ApiTokensPage_CreateDocument,
    "\n  mutation ApiTokensPage_Revoke($id: String!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on MutationRevokeApiTokenSuccess {\n        data {\n          ...ApiTokensPage_Token\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.ApiTokensPage_RevokeDocument,
    "\n  fragment LicensePage_License on License {\n    state\n    ...LicenseStatusCard_License\n    ...LicenseUsageCard_License\n    tenants(first: $first, after: $after) {\n      edges {\n        node {\n          ...AllocationTable_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.LicensePage_LicenseFragmentDoc,
    "\n  query LicensePage_Status($first: Int!, $after: String) {\n    license {\n      ...LicensePage_License\n    }\n  }\n": types.LicensePage_StatusDocument,
    "\n  subscription LicensePage_Changed($first: Int!, $after: String) {\n    licenseChanged {\n      ...LicensePage_License\n    }\n  }\n": types.LicensePage_ChangedDocument,
    "\n  query MailPage_Caught {\n    caughtMail(first: 100) {\n      id\n      receivedAt\n      from\n      to\n      subject\n      body\n      size\n    }\n  }\n": types.MailPage_CaughtDocument,
    "\n  fragment PoolPage_Pool on AgentPool {\n    ...PoolsTable_Pool\n    updatedAt\n  }\n": types.PoolPage_PoolFragmentDoc,
    "\n  query PoolPage_Pool($name: String!) {\n    agentPool(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n": types.PoolPage_PoolDocument,
    "\n  subscription PoolPage_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n": types.PoolPage_ChangedDocument,
    "\n  mutation PoolPage_UpdateLabels($name: String!, $labels: [String!]!) {\n    updateAgentPool(name: $name, labels: $labels) {\n      __typename\n      ... on MutationUpdateAgentPoolSuccess {\n        data {\n          ...PoolPage_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.PoolPage_UpdateLabelsDocument,
    "\n  mutation PoolPage_Delete($name: String!) {\n    deleteAgentPool(name: $name) {\n      __typename\n      ... on MutationDeleteAgentPoolSuccess {\n        data {\n          name\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.PoolPage_DeleteDocument,
    "\n  query PoolsPage_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          ...PoolsTable_Pool\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": types.PoolsPage_PoolsDocument,
    "\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n": types.SettingsPage_AlertSettingsFragmentDoc,
    "\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n": types.SettingsPage_AlertsDocument,
    "\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SettingsPage_UpdateAlertsDocument,
    "\n  fragment TenantPage_Fields on Tenant {\n    id\n    slug\n    name\n    adminEmail\n    state\n    createdAt\n    createdBy\n    updatedAt\n    deletedAt\n    drift\n    driftCheckedAt\n    overview {\n      status\n      statusError\n      backendVersion\n      users\n      groups\n      apps\n      activeUsers\n      lastSeenAt\n      checkedAt\n    }\n  }\n": types.TenantPage_FieldsFragmentDoc,
    "\n  fragment TenantPage_Tenant on Tenant {\n    ...TenantPage_Fields\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n": types.TenantPage_TenantFragmentDoc,
    "\n  query TenantPage_Tenant($slug: String!) {\n    tenant(slug: $slug) {\n      ...TenantPage_Tenant\n    }\n  }\n": types.TenantPage_TenantDocument,
    "\n  query TenantPage_Tombstone($slug: String!) {\n    deletedTenant(slug: $slug) {\n      ...TombstoneView_DeletedTenant\n    }\n  }\n": types.TenantPage_TombstoneDocument,
    "\n  subscription TenantPage_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      ...TenantPage_Fields\n    }\n  }\n": types.TenantPage_UpdatesDocument,
    "\n  subscription TenantPage_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n": types.TenantPage_OperationDocument,
    "\n  query TenantsPage_List(\n    $first: Int!\n    $after: String\n    $search: String\n    $state: [TenantState!]\n    $orderBy: TenantOrderInput\n  ) {\n    tenants(first: $first, after: $after, search: $search, state: $state, orderBy: $orderBy) {\n      edges {\n        node {\n          ...TenantRow_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TenantsPage_ListDocument,
    "\n  subscription TenantsPage_Updates {\n    tenantUpdated {\n      ...TenantRow_Tenant\n    }\n  }\n": types.TenantsPage_UpdatesDocument,
    "\n  fragment AlertRulesForm_Rules on AlertSettings {\n    licenseLeadDays\n    capacityThresholds\n    unhealthyMinutes\n    reportHour\n    reportTimeZone\n  }\n": types.AlertRulesForm_RulesFragmentDoc,
    "\n  query AlertRulesForm_Query {\n    alertSettings {\n      ...AlertRulesForm_Rules\n    }\n  }\n": types.AlertRulesForm_QueryDocument,
    "\n  mutation AlertRulesForm_Update($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...AlertRulesForm_Rules\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.AlertRulesForm_UpdateDocument,
    "\n  fragment SmtpSettingsCard_Settings on SmtpSettings {\n    configured\n    host\n    port\n    username\n    passwordSet\n    from\n    tls\n    updatedAt\n    updatedBy\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n": types.SmtpSettingsCard_SettingsFragmentDoc,
    "\n  query SmtpSettingsCard_Query {\n    smtpSettings {\n      ...SmtpSettingsCard_Settings\n    }\n  }\n": types.SmtpSettingsCard_QueryDocument,
    "\n  mutation SmtpSettingsCard_Update($input: SmtpSettingsInput!) {\n    updateSmtpSettings(input: $input) {\n      __typename\n      ... on MutationUpdateSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SmtpSettingsCard_UpdateDocument,
    "\n  mutation SmtpSettingsCard_Clear {\n    clearSmtpSettings {\n      __typename\n      ... on MutationClearSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SmtpSettingsCard_ClearDocument,
    "\n  mutation SmtpSettingsCard_Test($to: String!) {\n    sendSmtpTestEmail(to: $to) {\n      __typename\n      ... on MutationSendSmtpTestEmailSuccess {\n        data {\n          to\n          via\n          response\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SmtpSettingsCard_TestDocument,
    "\n  mutation DeleteTenant_Delete($slug: String!, $confirm: String!) {\n    deleteTenant(slug: $slug, confirm: $confirm) {\n      __typename\n      ... on MutationDeleteTenantSuccess {\n        data {\n          id\n          state\n          updatedAt\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.DeleteTenant_DeleteDocument,
    "\n  mutation NewTenant_Create($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      __typename\n      ... on MutationCreateTenantSuccess {\n        data {\n          ...TenantRow_Tenant\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.NewTenant_CreateDocument,
    "\n  query NewTenant_Progress($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      state\n      operation {\n        ...OperationSteps_Operation\n      }\n    }\n  }\n": types.NewTenant_ProgressDocument,
    "\n  subscription NewTenant_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n": types.NewTenant_OperationDocument,
    "\n  query NewTenant_SlugAvailability($slug: String!) {\n    slugAvailability(slug: $slug) {\n      slug\n      status\n      reason\n    }\n  }\n": types.NewTenant_SlugAvailabilityDocument,
    "\n  mutation RepairActions_Repair($slug: String!) {\n    repairTenant(slug: $slug) {\n      __typename\n      ... on MutationRepairTenantSuccess {\n        data {\n          id\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.RepairActions_RepairDocument,
    "\n  mutation RepairActions_Retry($slug: String!) {\n    retryTenantOperation(slug: $slug) {\n      __typename\n      ... on MutationRetryTenantOperationSuccess {\n        data {\n          ...OperationSteps_Operation\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.RepairActions_RetryDocument,
    "\n  fragment TenantRow_Tenant on Tenant {\n    id\n    slug\n    name\n    state\n    createdAt\n    updatedAt\n    overview {\n      status\n      statusError\n      users\n      activeUsers\n      backendVersion\n      lastSeenAt\n    }\n  }\n": types.TenantRow_TenantFragmentDoc,
    "\n  fragment TombstoneView_DeletedTenant on DeletedTenant {\n    slug\n    name\n    createdBy\n    createdAt\n    deletedAt\n    deleteRequestedAt\n    deletedBy\n    backupsPurged\n    backupsRemovedAt\n    slugInUse\n    auditLog(first: 50) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            label\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    backups(first: 50) {\n      edges {\n        node {\n          id\n          state\n          trigger\n          startedAt\n          sizeBytes\n          sha256\n        }\n      }\n    }\n  }\n": types.TombstoneView_DeletedTenantFragmentDoc,
    "\n  mutation AdminPasswordSection_Reveal($slug: String!) {\n    revealTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantAdminPasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.AdminPasswordSection_RevealDocument,
    "\n  mutation AdminPasswordSection_Reset($slug: String!) {\n    resetTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationResetTenantAdminPasswordSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.AdminPasswordSection_ResetDocument,
    "\n  query BootstrapTokenSection_Token($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      bootstrapToken {\n        set\n        masked\n        version\n        expiresAt\n        expired\n        rotatedAt\n        rotatedBy\n        revokedAt\n      }\n    }\n  }\n": types.BootstrapTokenSection_TokenDocument,
    "\n  mutation BootstrapTokenSection_Reveal($slug: String!) {\n    revealTenantBootstrapToken(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantBootstrapTokenSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.BootstrapTokenSection_RevealDocument,
    "\n  mutation BootstrapTokenSection_Rotate($slug: String!, $expiresAt: DateTime) {\n    rotateTenantBootstrapToken(slug: $slug, expiresAt: $expiresAt) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n": types.BootstrapTokenSection_RotateDocument,
    "\n  mutation BootstrapTokenSection_Revoke($slug: String!) {\n    revokeTenantBootstrapToken(slug: $slug) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n": types.BootstrapTokenSection_RevokeDocument,
    "\n  mutation CpTokenSection_Rotate($slug: String!) {\n    rotateTenantCpToken(slug: $slug) {\n      __typename\n      ... on MutationRotateTenantCpTokenSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.CpTokenSection_RotateDocument,
    "\n  query DatabaseSection_Database($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      database {\n        host\n        port\n        database\n        user\n        sizeBytes\n        connections\n        serverVersion\n        statsError\n      }\n      migrations {\n        applied {\n          id\n          appliedAt\n        }\n        pending\n      }\n    }\n  }\n": types.DatabaseSection_DatabaseDocument,
    "\n  mutation DatabaseSection_RevealPassword($slug: String!) {\n    revealTenantDatabasePassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantDatabasePasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.DatabaseSection_RevealPasswordDocument,
    "\n  mutation DatabaseSection_ApplyMigrations($slug: String!) {\n    applyTenantMigrations(slug: $slug) {\n      __typename\n      ... on MutationApplyTenantMigrationsSuccess {\n        data {\n          pending\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.DatabaseSection_ApplyMigrationsDocument,
    "\n  mutation SecretsSection_Rotate($slug: String!, $secret: RotatableTenantSecret!) {\n    rotateTenantSecret(slug: $slug, secret: $secret) {\n      __typename\n      ... on MutationRotateTenantSecretSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SecretsSection_RotateDocument,
    "\n  fragment SecretFacts_Secret on TenantSecret {\n    secret\n    version\n    rotatedAt\n    rotatedBy\n    graceActive\n    graceUntil\n    pending\n    pendingError\n  }\n": types.SecretFacts_SecretFragmentDoc,
    "\n  query TenantSecrets_Secrets($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      secrets {\n        ...SecretFacts_Secret\n      }\n    }\n  }\n": types.TenantSecrets_SecretsDocument,
    "\n  fragment TenantCounts_Counts on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n      deleted\n    }\n  }\n": types.TenantCounts_CountsFragmentDoc,
    "\n  query TenantCounts_Query {\n    dashboard {\n      ...TenantCounts_Counts\n    }\n  }\n": types.TenantCounts_QueryDocument,
    "\n  subscription TenantCounts_Changed {\n    dashboardChanged {\n      ...TenantCounts_Counts\n    }\n  }\n": types.TenantCounts_ChangedDocument,
    "\n  fragment AgentsTable_Agent on AgentPod {\n    name\n    phase\n    ready\n    node\n    version\n    startedAt\n  }\n": types.AgentsTable_AgentFragmentDoc,
    "\n  mutation CreatePoolCard_Create($input: CreateAgentPoolInput!) {\n    createAgentPool(input: $input) {\n      __typename\n      ... on MutationCreateAgentPoolSuccess {\n        data {\n          ...PoolsTable_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.CreatePoolCard_CreateDocument,
    "\n  mutation LoginWorkerForm_Set($slug: String!, $input: LoginWorkerInput!) {\n    setTenantLoginWorker(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantLoginWorkerSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.LoginWorkerForm_SetDocument,
    "\n  fragment PoolsTable_Pool on AgentPool {\n    name\n    labels\n    createdAt\n    createdBy\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n": types.PoolsTable_PoolFragmentDoc,
    "\n  subscription PoolsTable_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolsTable_Pool\n    }\n  }\n": types.PoolsTable_ChangedDocument,
    "\n  fragment SharedPoolCard_Pool on SharedAgentPool {\n    initialized\n    replicas\n    readyReplicas\n    image\n    version\n    keyId\n    keyCreatedAt\n    previousKeyId\n    previousKeyExpiresAt\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n": types.SharedPoolCard_PoolFragmentDoc,
    "\n  query SharedPoolCard_Pool {\n    sharedAgentPool {\n      ...SharedPoolCard_Pool\n    }\n  }\n": types.SharedPoolCard_PoolDocument,
    "\n  subscription SharedPoolCard_Changed {\n    sharedAgentPoolChanged {\n      ...SharedPoolCard_Pool\n    }\n  }\n": types.SharedPoolCard_ChangedDocument,
    "\n  mutation SharedPoolCard_Initialize {\n    createSharedAgentPool {\n      __typename\n      ... on MutationCreateSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SharedPoolCard_InitializeDocument,
    "\n  mutation SharedPoolCard_Scale($replicas: Int!) {\n    scaleSharedAgentPool(replicas: $replicas) {\n      __typename\n      ... on MutationScaleSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SharedPoolCard_ScaleDocument,
    "\n  mutation SharedPoolCard_RotateKey {\n    rotateSharedAgentPoolKey {\n      __typename\n      ... on MutationRotateSharedAgentPoolKeySuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.SharedPoolCard_RotateKeyDocument,
    "\n  mutation TaskWorkerForms_SetMode($slug: String!, $mode: TaskWorkerMode!) {\n    setTenantWorkerMode(slug: $slug, mode: $mode) {\n      __typename\n      ... on MutationSetTenantWorkerModeSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.TaskWorkerForms_SetModeDocument,
    "\n  mutation TaskWorkerForms_SetConcurrency($slug: String!, $limit: Int!) {\n    setTenantConcurrency(slug: $slug, limit: $limit) {\n      __typename\n      ... on MutationSetTenantConcurrencySuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.TaskWorkerForms_SetConcurrencyDocument,
    "\n  mutation TaskWorkerForms_SetPool($slug: String!, $pool: String) {\n    setTenantPool(slug: $slug, pool: $pool) {\n      __typename\n      ... on MutationSetTenantPoolSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n": types.TaskWorkerForms_SetPoolDocument,
    "\n  fragment WorkersSection_Config on TenantWorkerConfig {\n    taskMode\n    concurrency\n    loginWorker {\n      mode\n      url\n      maxConcurrent\n    }\n    pool {\n      name\n      labels\n    }\n    updatedAt\n    updatedBy\n  }\n": types.WorkersSection_ConfigFragmentDoc,
    "\n  fragment WorkersSection_Tenant on Tenant {\n    id\n    workerConfig {\n      ...WorkersSection_Config\n    }\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n": types.WorkersSection_TenantFragmentDoc,
    "\n  query WorkersSection_Workers($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n": types.WorkersSection_WorkersDocument,
    "\n  query WorkersSection_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          name\n          labels\n        }\n      }\n    }\n    sharedAgentPool {\n      initialized\n    }\n  }\n": types.WorkersSection_PoolsDocument,
    "\n  subscription WorkersSection_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n": types.WorkersSection_UpdatesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertHistory_Alerts($first: Int!) {\n    alertHistory(first: $first) {\n      edges {\n        node {\n          id\n          kind\n          severity\n          state\n          tenantSlug\n          subject\n          detail\n          openedAt\n          resolvedAt\n          sentAt\n          sentTo\n          resolvedSentAt\n          sendError\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertHistory_Alerts($first: Int!) {\n    alertHistory(first: $first) {\n      edges {\n        node {\n          id\n          kind\n          severity\n          state\n          tenantSlug\n          subject\n          detail\n          openedAt\n          resolvedAt\n          sentAt\n          sentTo\n          resolvedSentAt\n          sendError\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditActorNames on AuditActor {\n    kind\n    id\n    label\n    name\n    email\n    tokenName\n  }\n"): (typeof documents)["\n  fragment AuditActorNames on AuditActor {\n    kind\n    id\n    label\n    name\n    email\n    tokenName\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActorFilter_Search($search: String, $first: Int!) {\n    auditActors(search: $search, first: $first) {\n      ...AuditActorNames\n    }\n  }\n"): (typeof documents)["\n  query ActorFilter_Search($search: String, $first: Int!) {\n    auditActors(search: $search, first: $first) {\n      ...AuditActorNames\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEntryDrawer_Entry($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on AuditEntry {\n        ...AuditLogTable_Entry\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEntryDrawer_Entry($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on AuditEntry {\n        ...AuditLogTable_Entry\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditLogTable_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      ...AuditActorNames\n    }\n    target {\n      kind\n      id\n      name\n    }\n    details\n    requestId\n  }\n"): (typeof documents)["\n  fragment AuditLogTable_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      ...AuditActorNames\n    }\n    target {\n      kind\n      id\n      name\n    }\n    details\n    requestId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLogTable_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditLogTable_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLogTable_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditLogTable_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditLogTable_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditLogTable_Entry\n    }\n  }\n"): (typeof documents)["\n  subscription AuditLogTable_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditLogTable_Entry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditExport_Page($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            kind\n            id\n            label\n          }\n          target {\n            kind\n            id\n          }\n          details\n          requestId\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditExport_Page($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            kind\n            id\n            label\n          }\n          target {\n            kind\n            id\n          }\n          details\n          requestId\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Operator_Me {\n    me {\n      id\n      name\n      email\n      role\n      authenticatedBy\n    }\n  }\n"): (typeof documents)["\n  query Operator_Me {\n    me {\n      id\n      name\n      email\n      role\n      authenticatedBy\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BackupsSection_Backup on TenantBackup {\n    id\n    state\n    trigger\n    requestedBy\n    phase\n    progressBytes\n    startedAt\n    finishedAt\n    sizeBytes\n    sha256\n    error\n    verification\n    verifiedAt\n    verifyError\n  }\n"): (typeof documents)["\n  fragment BackupsSection_Backup on TenantBackup {\n    id\n    state\n    trigger\n    requestedBy\n    phase\n    progressBytes\n    startedAt\n    finishedAt\n    sizeBytes\n    sha256\n    error\n    verification\n    verifiedAt\n    verifyError\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupsSection_Backups($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      backups(first: 50) {\n        edges {\n          node {\n            ...BackupsSection_Backup\n          }\n        }\n      }\n      backupSettings {\n        schedule\n        keep\n        custom\n      }\n    }\n  }\n"): (typeof documents)["\n  query BackupsSection_Backups($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      backups(first: 50) {\n        edges {\n          node {\n            ...BackupsSection_Backup\n          }\n        }\n      }\n      backupSettings {\n        schedule\n        keep\n        custom\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BackupsSection_Changes($slug: String!) {\n    tenantBackupChanged(slug: $slug) {\n      backupId\n      change\n      backup {\n        ...BackupsSection_Backup\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription BackupsSection_Changes($slug: String!) {\n    tenantBackupChanged(slug: $slug) {\n      backupId\n      change\n      backup {\n        ...BackupsSection_Backup\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BackupsSection_Create($slug: String!) {\n    createTenantBackup(slug: $slug) {\n      __typename\n      ... on MutationCreateTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BackupsSection_Create($slug: String!) {\n    createTenantBackup(slug: $slug) {\n      __typename\n      ... on MutationCreateTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BackupsSection_Verify($slug: String!, $id: ID!) {\n    verifyTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationVerifyTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BackupsSection_Verify($slug: String!, $id: ID!) {\n    verifyTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationVerifyTenantBackupSuccess {\n        data {\n          ...BackupsSection_Backup\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BackupsSection_Delete($slug: String!, $id: ID!) {\n    deleteTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationDeleteTenantBackupSuccess {\n        data {\n          id\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BackupsSection_Delete($slug: String!, $id: ID!) {\n    deleteTenantBackup(slug: $slug, id: $id) {\n      __typename\n      ... on MutationDeleteTenantBackupSuccess {\n        data {\n          id\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BackupsSection_Settings($slug: String!, $input: TenantBackupSettingsInput!) {\n    setTenantBackupSettings(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantBackupSettingsSuccess {\n        data {\n          schedule\n          keep\n          custom\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BackupsSection_Settings($slug: String!, $input: TenantBackupSettingsInput!) {\n    setTenantBackupSettings(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantBackupSettingsSuccess {\n        data {\n          schedule\n          keep\n          custom\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OperationSteps_Operation on TenantOperation {\n    id\n    kind\n    state\n    currentStep\n    attempts\n    lastError\n    nextAttemptAt\n    requestedBy\n    createdAt\n    finishedAt\n    steps {\n      name\n      state\n      startedAt\n      finishedAt\n      error\n    }\n  }\n"): (typeof documents)["\n  fragment OperationSteps_Operation on TenantOperation {\n    id\n    kind\n    state\n    currentStep\n    attempts\n    lastError\n    nextAttemptAt\n    requestedBy\n    createdAt\n    finishedAt\n    steps {\n      name\n      state\n      startedAt\n      finishedAt\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LicenseCard_Figures on License {\n    state\n    licensee\n    daysLeft\n    usersInUse\n    maxUsers\n    freeTierMaxUsers\n    sync {\n      failed\n    }\n  }\n"): (typeof documents)["\n  fragment LicenseCard_Figures on License {\n    state\n    licensee\n    daysLeft\n    usersInUse\n    maxUsers\n    freeTierMaxUsers\n    sync {\n      failed\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LicenseCard_License {\n    license {\n      ...LicenseCard_Figures\n    }\n  }\n"): (typeof documents)["\n  query LicenseCard_License {\n    license {\n      ...LicenseCard_Figures\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LicenseCard_Changed {\n    licenseChanged {\n      ...LicenseCard_Figures\n    }\n  }\n"): (typeof documents)["\n  subscription LicenseCard_Changed {\n    licenseChanged {\n      ...LicenseCard_Figures\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecentActivity_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment RecentActivity_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentActivity_List($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          ...RecentActivity_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentActivity_List($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          ...RecentActivity_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RecentActivity_Events {\n    auditEvents {\n      ...RecentActivity_Entry\n    }\n  }\n"): (typeof documents)["\n  subscription RecentActivity_Events {\n    auditEvents {\n      ...RecentActivity_Entry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Dashboard_Figures on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n    }\n    users {\n      total\n      active\n      reportingTenants\n    }\n    health {\n      ok\n      degraded\n      unreachable\n      notYetChecked\n    }\n    failedOperations\n    retryingOperations\n    alertCount\n    alerts(first: 8) {\n      kind\n      severity\n      slug\n      operationKind\n      attempts\n      detail\n    }\n  }\n"): (typeof documents)["\n  fragment Dashboard_Figures on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n    }\n    users {\n      total\n      active\n      reportingTenants\n    }\n    health {\n      ok\n      degraded\n      unreachable\n      notYetChecked\n    }\n    failedOperations\n    retryingOperations\n    alertCount\n    alerts(first: 8) {\n      kind\n      severity\n      slug\n      operationKind\n      attempts\n      detail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard_Summary {\n    dashboard {\n      ...Dashboard_Figures\n    }\n  }\n"): (typeof documents)["\n  query Dashboard_Summary {\n    dashboard {\n      ...Dashboard_Figures\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Dashboard_Changed {\n    dashboardChanged {\n      ...Dashboard_Figures\n    }\n  }\n"): (typeof documents)["\n  subscription Dashboard_Changed {\n    dashboardChanged {\n      ...Dashboard_Figures\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MutationProblem_Error on Error {\n    code\n    message\n    ... on ValidationError {\n      issues {\n        path\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment MutationProblem_Error on Error {\n    code\n    message\n    ... on ValidationError {\n      issues {\n        path\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InfrastructurePage_Pod on InfrastructurePod {\n    name\n    component\n    phase\n    ready\n    restarts\n    node\n    version\n    startedAt\n    lastTransitionAt\n    tenant\n    pool\n  }\n"): (typeof documents)["\n  fragment InfrastructurePage_Pod on InfrastructurePod {\n    name\n    component\n    phase\n    ready\n    restarts\n    node\n    version\n    startedAt\n    lastTransitionAt\n    tenant\n    pool\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InfrastructurePage_Database on DatabaseServerStatus {\n    serverVersion\n    startedAt\n    connections\n    maxConnections\n    sizeBytes\n    tenants {\n      slug\n      sizeBytes\n    }\n  }\n"): (typeof documents)["\n  fragment InfrastructurePage_Database on DatabaseServerStatus {\n    serverVersion\n    startedAt\n    connections\n    maxConnections\n    sizeBytes\n    tenants {\n      slug\n      sizeBytes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InfrastructurePage_Upgrade on WorkerUpgrade {\n    id\n    component\n    version\n    previousVersion\n    state\n    error\n    requestedBy\n    rollbackOf\n    createdAt\n    updatedAt\n    finishedAt\n    deployments {\n      name\n      tenant\n      pool\n      fromVersion\n      toVersion\n      replicas\n      updatedReplicas\n      readyReplicas\n      totalReplicas\n      done\n      gone\n    }\n  }\n"): (typeof documents)["\n  fragment InfrastructurePage_Upgrade on WorkerUpgrade {\n    id\n    component\n    version\n    previousVersion\n    state\n    error\n    requestedBy\n    rollbackOf\n    createdAt\n    updatedAt\n    finishedAt\n    deployments {\n      name\n      tenant\n      pool\n      fromVersion\n      toVersion\n      replicas\n      updatedReplicas\n      readyReplicas\n      totalReplicas\n      done\n      gone\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InfrastructurePage_Changed($after: String) {\n    infrastructureChanged(after: $after) {\n      kind\n      cursor\n      component\n      pods {\n        ...InfrastructurePage_Pod\n      }\n      removedPods\n      versions\n      requestedVersion\n      versionDrift\n      database {\n        ...InfrastructurePage_Database\n      }\n      databaseError\n      snapshot {\n        components {\n          component\n          versions\n          requestedVersion\n          versionDrift\n          pods {\n            ...InfrastructurePage_Pod\n          }\n        }\n        database {\n          ...InfrastructurePage_Database\n        }\n        databaseError\n        upgrades {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription InfrastructurePage_Changed($after: String) {\n    infrastructureChanged(after: $after) {\n      kind\n      cursor\n      component\n      pods {\n        ...InfrastructurePage_Pod\n      }\n      removedPods\n      versions\n      requestedVersion\n      versionDrift\n      database {\n        ...InfrastructurePage_Database\n      }\n      databaseError\n      snapshot {\n        components {\n          component\n          versions\n          requestedVersion\n          versionDrift\n          pods {\n            ...InfrastructurePage_Pod\n          }\n        }\n        database {\n          ...InfrastructurePage_Database\n        }\n        databaseError\n        upgrades {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InfrastructurePage_Upgrades($first: Int!) {\n    workerUpgrades(first: $first) {\n      edges {\n        node {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InfrastructurePage_Upgrades($first: Int!) {\n    workerUpgrades(first: $first) {\n      edges {\n        node {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InfrastructurePage_UpgradeChanged($id: ID!) {\n    workerUpgradeChanged(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n"): (typeof documents)["\n  subscription InfrastructurePage_UpgradeChanged($id: ID!) {\n    workerUpgradeChanged(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InfrastructurePage_UpgradeWorkers($component: WorkerComponent!, $version: String!) {\n    upgradeWorkers(component: $component, version: $version) {\n      __typename\n      ... on MutationUpgradeWorkersSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation InfrastructurePage_UpgradeWorkers($component: WorkerComponent!, $version: String!) {\n    upgradeWorkers(component: $component, version: $version) {\n      __typename\n      ... on MutationUpgradeWorkersSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InfrastructurePage_Rollback($id: ID!) {\n    rollbackWorkerUpgrade(id: $id) {\n      __typename\n      ... on MutationRollbackWorkerUpgradeSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation InfrastructurePage_Rollback($id: ID!) {\n    rollbackWorkerUpgrade(id: $id) {\n      __typename\n      ... on MutationRollbackWorkerUpgradeSuccess {\n        data {\n          ...InfrastructurePage_Upgrade\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InfrastructurePage_Upgrade($id: ID!) {\n    workerUpgrade(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n"): (typeof documents)["\n  query InfrastructurePage_Upgrade($id: ID!) {\n    workerUpgrade(id: $id) {\n      ...InfrastructurePage_Upgrade\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateLicenseCard_Activate($license: String!, $first: Int!, $after: String) {\n    activateLicense(license: $license) {\n      __typename\n      ... on MutationActivateLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateLicenseCard_Activate($license: String!, $first: Int!, $after: String) {\n    activateLicense(license: $license) {\n      __typename\n      ... on MutationActivateLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AllocationTable_Tenant on LicenseTenant {\n    slug\n    name\n    userCap\n    effectiveCap\n    users\n    syncState\n    attempts\n    lastError\n    nextAttemptAt\n    syncedAt\n  }\n"): (typeof documents)["\n  fragment AllocationTable_Tenant on LicenseTenant {\n    slug\n    name\n    userCap\n    effectiveCap\n    users\n    syncState\n    attempts\n    lastError\n    nextAttemptAt\n    syncedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AllocationTable_SetAllocation($slug: String!, $userCap: Int, $first: Int!, $after: String) {\n    setLicenseAllocation(slug: $slug, userCap: $userCap) {\n      __typename\n      ... on MutationSetLicenseAllocationSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation AllocationTable_SetAllocation($slug: String!, $userCap: Int, $first: Int!, $after: String) {\n    setLicenseAllocation(slug: $slug, userCap: $userCap) {\n      __typename\n      ... on MutationSetLicenseAllocationSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LicenseStatusCard_License on License {\n    state\n    licenseId\n    licensee\n    features\n    issuedAt\n    validFrom\n    expiresAt\n    daysLeft\n    renewalUrlSet\n    keyId\n    activatedAt\n    activatedBy\n    freeTierMaxUsers\n    renewal {\n      failures\n      lastError\n      lastFailedAt\n      nextAttemptAt\n      renewedAt\n    }\n  }\n"): (typeof documents)["\n  fragment LicenseStatusCard_License on License {\n    state\n    licenseId\n    licensee\n    features\n    issuedAt\n    validFrom\n    expiresAt\n    daysLeft\n    renewalUrlSet\n    keyId\n    activatedAt\n    activatedBy\n    freeTierMaxUsers\n    renewal {\n      failures\n      lastError\n      lastFailedAt\n      nextAttemptAt\n      renewedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LicenseStatusCard_Renew($first: Int!, $after: String) {\n    renewLicense {\n      __typename\n      ... on MutationRenewLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation LicenseStatusCard_Renew($first: Int!, $after: String) {\n    renewLicense {\n      __typename\n      ... on MutationRenewLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LicenseStatusCard_Clear($first: Int!, $after: String) {\n    clearLicense {\n      __typename\n      ... on MutationClearLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation LicenseStatusCard_Clear($first: Int!, $after: String) {\n    clearLicense {\n      __typename\n      ... on MutationClearLicenseSuccess {\n        data {\n          ...LicensePage_License\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LicenseUsageCard_License on License {\n    state\n    maxUsers\n    freeTierMaxUsers\n    usersInUse\n    allocated\n    unallocated\n    updatedAt\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n"): (typeof documents)["\n  fragment LicenseUsageCard_License on License {\n    state\n    maxUsers\n    freeTierMaxUsers\n    usersInUse\n    allocated\n    unallocated\n    updatedAt\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokensPage_Token on ApiToken {\n    id\n    name\n    prefix\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiTokensPage_Token on ApiToken {\n    id\n    name\n    prefix\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokensPage_Tokens {\n    apiTokens {\n      ...ApiTokensPage_Token\n    }\n  }\n"): (typeof documents)["\n  query ApiTokensPage_Tokens {\n    apiTokens {\n      ...ApiTokensPage_Token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApiTokensPage_Create($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on MutationCreateApiTokenSuccess {\n        data {\n          token\n          apiToken {\n            id\n            name\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation ApiTokensPage_Create($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on MutationCreateApiTokenSuccess {\n        data {\n          token\n          apiToken {\n            id\n            name\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApiTokensPage_Revoke($id: String!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on MutationRevokeApiTokenSuccess {\n        data {\n          ...ApiTokensPage_Token\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation ApiTokensPage_Revoke($id: String!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on MutationRevokeApiTokenSuccess {\n        data {\n          ...ApiTokensPage_Token\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LicensePage_License on License {\n    state\n    ...LicenseStatusCard_License\n    ...LicenseUsageCard_License\n    tenants(first: $first, after: $after) {\n      edges {\n        node {\n          ...AllocationTable_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment LicensePage_License on License {\n    state\n    ...LicenseStatusCard_License\n    ...LicenseUsageCard_License\n    tenants(first: $first, after: $after) {\n      edges {\n        node {\n          ...AllocationTable_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LicensePage_Status($first: Int!, $after: String) {\n    license {\n      ...LicensePage_License\n    }\n  }\n"): (typeof documents)["\n  query LicensePage_Status($first: Int!, $after: String) {\n    license {\n      ...LicensePage_License\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LicensePage_Changed($first: Int!, $after: String) {\n    licenseChanged {\n      ...LicensePage_License\n    }\n  }\n"): (typeof documents)["\n  subscription LicensePage_Changed($first: Int!, $after: String) {\n    licenseChanged {\n      ...LicensePage_License\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MailPage_Caught {\n    caughtMail(first: 100) {\n      id\n      receivedAt\n      from\n      to\n      subject\n      body\n      size\n    }\n  }\n"): (typeof documents)["\n  query MailPage_Caught {\n    caughtMail(first: 100) {\n      id\n      receivedAt\n      from\n      to\n      subject\n      body\n      size\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PoolPage_Pool on AgentPool {\n    ...PoolsTable_Pool\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment PoolPage_Pool on AgentPool {\n    ...PoolsTable_Pool\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolPage_Pool($name: String!) {\n    agentPool(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n"): (typeof documents)["\n  query PoolPage_Pool($name: String!) {\n    agentPool(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PoolPage_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n"): (typeof documents)["\n  subscription PoolPage_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolPage_Pool\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolPage_UpdateLabels($name: String!, $labels: [String!]!) {\n    updateAgentPool(name: $name, labels: $labels) {\n      __typename\n      ... on MutationUpdateAgentPoolSuccess {\n        data {\n          ...PoolPage_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation PoolPage_UpdateLabels($name: String!, $labels: [String!]!) {\n    updateAgentPool(name: $name, labels: $labels) {\n      __typename\n      ... on MutationUpdateAgentPoolSuccess {\n        data {\n          ...PoolPage_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolPage_Delete($name: String!) {\n    deleteAgentPool(name: $name) {\n      __typename\n      ... on MutationDeleteAgentPoolSuccess {\n        data {\n          name\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation PoolPage_Delete($name: String!) {\n    deleteAgentPool(name: $name) {\n      __typename\n      ... on MutationDeleteAgentPoolSuccess {\n        data {\n          name\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsPage_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          ...PoolsTable_Pool\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query PoolsPage_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          ...PoolsTable_Pool\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n"): (typeof documents)["\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n"): (typeof documents)["\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenantPage_Fields on Tenant {\n    id\n    slug\n    name\n    adminEmail\n    state\n    createdAt\n    createdBy\n    updatedAt\n    deletedAt\n    drift\n    driftCheckedAt\n    overview {\n      status\n      statusError\n      backendVersion\n      users\n      groups\n      apps\n      activeUsers\n      lastSeenAt\n      checkedAt\n    }\n  }\n"): (typeof documents)["\n  fragment TenantPage_Fields on Tenant {\n    id\n    slug\n    name\n    adminEmail\n    state\n    createdAt\n    createdBy\n    updatedAt\n    deletedAt\n    drift\n    driftCheckedAt\n    overview {\n      status\n      statusError\n      backendVersion\n      users\n      groups\n      apps\n      activeUsers\n      lastSeenAt\n      checkedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenantPage_Tenant on Tenant {\n    ...TenantPage_Fields\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n"): (typeof documents)["\n  fragment TenantPage_Tenant on Tenant {\n    ...TenantPage_Fields\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantPage_Tenant($slug: String!) {\n    tenant(slug: $slug) {\n      ...TenantPage_Tenant\n    }\n  }\n"): (typeof documents)["\n  query TenantPage_Tenant($slug: String!) {\n    tenant(slug: $slug) {\n      ...TenantPage_Tenant\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantPage_Tombstone($slug: String!) {\n    deletedTenant(slug: $slug) {\n      ...TombstoneView_DeletedTenant\n    }\n  }\n"): (typeof documents)["\n  query TenantPage_Tombstone($slug: String!) {\n    deletedTenant(slug: $slug) {\n      ...TombstoneView_DeletedTenant\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TenantPage_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      ...TenantPage_Fields\n    }\n  }\n"): (typeof documents)["\n  subscription TenantPage_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      ...TenantPage_Fields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TenantPage_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n"): (typeof documents)["\n  subscription TenantPage_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantsPage_List(\n    $first: Int!\n    $after: String\n    $search: String\n    $state: [TenantState!]\n    $orderBy: TenantOrderInput\n  ) {\n    tenants(first: $first, after: $after, search: $search, state: $state, orderBy: $orderBy) {\n      edges {\n        node {\n          ...TenantRow_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query TenantsPage_List(\n    $first: Int!\n    $after: String\n    $search: String\n    $state: [TenantState!]\n    $orderBy: TenantOrderInput\n  ) {\n    tenants(first: $first, after: $after, search: $search, state: $state, orderBy: $orderBy) {\n      edges {\n        node {\n          ...TenantRow_Tenant\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TenantsPage_Updates {\n    tenantUpdated {\n      ...TenantRow_Tenant\n    }\n  }\n"): (typeof documents)["\n  subscription TenantsPage_Updates {\n    tenantUpdated {\n      ...TenantRow_Tenant\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRulesForm_Rules on AlertSettings {\n    licenseLeadDays\n    capacityThresholds\n    unhealthyMinutes\n    reportHour\n    reportTimeZone\n  }\n"): (typeof documents)["\n  fragment AlertRulesForm_Rules on AlertSettings {\n    licenseLeadDays\n    capacityThresholds\n    unhealthyMinutes\n    reportHour\n    reportTimeZone\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRulesForm_Query {\n    alertSettings {\n      ...AlertRulesForm_Rules\n    }\n  }\n"): (typeof documents)["\n  query AlertRulesForm_Query {\n    alertSettings {\n      ...AlertRulesForm_Rules\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertRulesForm_Update($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...AlertRulesForm_Rules\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation AlertRulesForm_Update($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...AlertRulesForm_Rules\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SmtpSettingsCard_Settings on SmtpSettings {\n    configured\n    host\n    port\n    username\n    passwordSet\n    from\n    tls\n    updatedAt\n    updatedBy\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n"): (typeof documents)["\n  fragment SmtpSettingsCard_Settings on SmtpSettings {\n    configured\n    host\n    port\n    username\n    passwordSet\n    from\n    tls\n    updatedAt\n    updatedBy\n    sync {\n      total\n      pending\n      synced\n      failed\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SmtpSettingsCard_Query {\n    smtpSettings {\n      ...SmtpSettingsCard_Settings\n    }\n  }\n"): (typeof documents)["\n  query SmtpSettingsCard_Query {\n    smtpSettings {\n      ...SmtpSettingsCard_Settings\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SmtpSettingsCard_Update($input: SmtpSettingsInput!) {\n    updateSmtpSettings(input: $input) {\n      __typename\n      ... on MutationUpdateSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SmtpSettingsCard_Update($input: SmtpSettingsInput!) {\n    updateSmtpSettings(input: $input) {\n      __typename\n      ... on MutationUpdateSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SmtpSettingsCard_Clear {\n    clearSmtpSettings {\n      __typename\n      ... on MutationClearSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SmtpSettingsCard_Clear {\n    clearSmtpSettings {\n      __typename\n      ... on MutationClearSmtpSettingsSuccess {\n        data {\n          ...SmtpSettingsCard_Settings\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SmtpSettingsCard_Test($to: String!) {\n    sendSmtpTestEmail(to: $to) {\n      __typename\n      ... on MutationSendSmtpTestEmailSuccess {\n        data {\n          to\n          via\n          response\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SmtpSettingsCard_Test($to: String!) {\n    sendSmtpTestEmail(to: $to) {\n      __typename\n      ... on MutationSendSmtpTestEmailSuccess {\n        data {\n          to\n          via\n          response\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteTenant_Delete($slug: String!, $confirm: String!) {\n    deleteTenant(slug: $slug, confirm: $confirm) {\n      __typename\n      ... on MutationDeleteTenantSuccess {\n        data {\n          id\n          state\n          updatedAt\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteTenant_Delete($slug: String!, $confirm: String!) {\n    deleteTenant(slug: $slug, confirm: $confirm) {\n      __typename\n      ... on MutationDeleteTenantSuccess {\n        data {\n          id\n          state\n          updatedAt\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NewTenant_Create($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      __typename\n      ... on MutationCreateTenantSuccess {\n        data {\n          ...TenantRow_Tenant\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation NewTenant_Create($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      __typename\n      ... on MutationCreateTenantSuccess {\n        data {\n          ...TenantRow_Tenant\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewTenant_Progress($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      state\n      operation {\n        ...OperationSteps_Operation\n      }\n    }\n  }\n"): (typeof documents)["\n  query NewTenant_Progress($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      state\n      operation {\n        ...OperationSteps_Operation\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NewTenant_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n"): (typeof documents)["\n  subscription NewTenant_Operation($slug: String!) {\n    tenantOperation(slug: $slug) {\n      ...OperationSteps_Operation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewTenant_SlugAvailability($slug: String!) {\n    slugAvailability(slug: $slug) {\n      slug\n      status\n      reason\n    }\n  }\n"): (typeof documents)["\n  query NewTenant_SlugAvailability($slug: String!) {\n    slugAvailability(slug: $slug) {\n      slug\n      status\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RepairActions_Repair($slug: String!) {\n    repairTenant(slug: $slug) {\n      __typename\n      ... on MutationRepairTenantSuccess {\n        data {\n          id\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation RepairActions_Repair($slug: String!) {\n    repairTenant(slug: $slug) {\n      __typename\n      ... on MutationRepairTenantSuccess {\n        data {\n          id\n          operation {\n            ...OperationSteps_Operation\n          }\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RepairActions_Retry($slug: String!) {\n    retryTenantOperation(slug: $slug) {\n      __typename\n      ... on MutationRetryTenantOperationSuccess {\n        data {\n          ...OperationSteps_Operation\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation RepairActions_Retry($slug: String!) {\n    retryTenantOperation(slug: $slug) {\n      __typename\n      ... on MutationRetryTenantOperationSuccess {\n        data {\n          ...OperationSteps_Operation\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenantRow_Tenant on Tenant {\n    id\n    slug\n    name\n    state\n    createdAt\n    updatedAt\n    overview {\n      status\n      statusError\n      users\n      activeUsers\n      backendVersion\n      lastSeenAt\n    }\n  }\n"): (typeof documents)["\n  fragment TenantRow_Tenant on Tenant {\n    id\n    slug\n    name\n    state\n    createdAt\n    updatedAt\n    overview {\n      status\n      statusError\n      users\n      activeUsers\n      backendVersion\n      lastSeenAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TombstoneView_DeletedTenant on DeletedTenant {\n    slug\n    name\n    createdBy\n    createdAt\n    deletedAt\n    deleteRequestedAt\n    deletedBy\n    backupsPurged\n    backupsRemovedAt\n    slugInUse\n    auditLog(first: 50) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            label\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    backups(first: 50) {\n      edges {\n        node {\n          id\n          state\n          trigger\n          startedAt\n          sizeBytes\n          sha256\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment TombstoneView_DeletedTenant on DeletedTenant {\n    slug\n    name\n    createdBy\n    createdAt\n    deletedAt\n    deleteRequestedAt\n    deletedBy\n    backupsPurged\n    backupsRemovedAt\n    slugInUse\n    auditLog(first: 50) {\n      edges {\n        node {\n          id\n          at\n          action\n          actor {\n            label\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    backups(first: 50) {\n      edges {\n        node {\n          id\n          state\n          trigger\n          startedAt\n          sizeBytes\n          sha256\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminPasswordSection_Reveal($slug: String!) {\n    revealTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantAdminPasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation AdminPasswordSection_Reveal($slug: String!) {\n    revealTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantAdminPasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminPasswordSection_Reset($slug: String!) {\n    resetTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationResetTenantAdminPasswordSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation AdminPasswordSection_Reset($slug: String!) {\n    resetTenantAdminPassword(slug: $slug) {\n      __typename\n      ... on MutationResetTenantAdminPasswordSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BootstrapTokenSection_Token($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      bootstrapToken {\n        set\n        masked\n        version\n        expiresAt\n        expired\n        rotatedAt\n        rotatedBy\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query BootstrapTokenSection_Token($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      bootstrapToken {\n        set\n        masked\n        version\n        expiresAt\n        expired\n        rotatedAt\n        rotatedBy\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BootstrapTokenSection_Reveal($slug: String!) {\n    revealTenantBootstrapToken(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantBootstrapTokenSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BootstrapTokenSection_Reveal($slug: String!) {\n    revealTenantBootstrapToken(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantBootstrapTokenSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BootstrapTokenSection_Rotate($slug: String!, $expiresAt: DateTime) {\n    rotateTenantBootstrapToken(slug: $slug, expiresAt: $expiresAt) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BootstrapTokenSection_Rotate($slug: String!, $expiresAt: DateTime) {\n    rotateTenantBootstrapToken(slug: $slug, expiresAt: $expiresAt) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BootstrapTokenSection_Revoke($slug: String!) {\n    revokeTenantBootstrapToken(slug: $slug) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation BootstrapTokenSection_Revoke($slug: String!) {\n    revokeTenantBootstrapToken(slug: $slug) {\n      __typename\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CpTokenSection_Rotate($slug: String!) {\n    rotateTenantCpToken(slug: $slug) {\n      __typename\n      ... on MutationRotateTenantCpTokenSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation CpTokenSection_Rotate($slug: String!) {\n    rotateTenantCpToken(slug: $slug) {\n      __typename\n      ... on MutationRotateTenantCpTokenSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatabaseSection_Database($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      database {\n        host\n        port\n        database\n        user\n        sizeBytes\n        connections\n        serverVersion\n        statsError\n      }\n      migrations {\n        applied {\n          id\n          appliedAt\n        }\n        pending\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatabaseSection_Database($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      database {\n        host\n        port\n        database\n        user\n        sizeBytes\n        connections\n        serverVersion\n        statsError\n      }\n      migrations {\n        applied {\n          id\n          appliedAt\n        }\n        pending\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DatabaseSection_RevealPassword($slug: String!) {\n    revealTenantDatabasePassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantDatabasePasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation DatabaseSection_RevealPassword($slug: String!) {\n    revealTenantDatabasePassword(slug: $slug) {\n      __typename\n      ... on MutationRevealTenantDatabasePasswordSuccess {\n        data {\n          value\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DatabaseSection_ApplyMigrations($slug: String!) {\n    applyTenantMigrations(slug: $slug) {\n      __typename\n      ... on MutationApplyTenantMigrationsSuccess {\n        data {\n          pending\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation DatabaseSection_ApplyMigrations($slug: String!) {\n    applyTenantMigrations(slug: $slug) {\n      __typename\n      ... on MutationApplyTenantMigrationsSuccess {\n        data {\n          pending\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecretsSection_Rotate($slug: String!, $secret: RotatableTenantSecret!) {\n    rotateTenantSecret(slug: $slug, secret: $secret) {\n      __typename\n      ... on MutationRotateTenantSecretSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SecretsSection_Rotate($slug: String!, $secret: RotatableTenantSecret!) {\n    rotateTenantSecret(slug: $slug, secret: $secret) {\n      __typename\n      ... on MutationRotateTenantSecretSuccess {\n        data {\n          ...SecretFacts_Secret\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SecretFacts_Secret on TenantSecret {\n    secret\n    version\n    rotatedAt\n    rotatedBy\n    graceActive\n    graceUntil\n    pending\n    pendingError\n  }\n"): (typeof documents)["\n  fragment SecretFacts_Secret on TenantSecret {\n    secret\n    version\n    rotatedAt\n    rotatedBy\n    graceActive\n    graceUntil\n    pending\n    pendingError\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantSecrets_Secrets($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      secrets {\n        ...SecretFacts_Secret\n      }\n    }\n  }\n"): (typeof documents)["\n  query TenantSecrets_Secrets($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      secrets {\n        ...SecretFacts_Secret\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenantCounts_Counts on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n      deleted\n    }\n  }\n"): (typeof documents)["\n  fragment TenantCounts_Counts on Dashboard {\n    tenants {\n      total\n      provisioning\n      active\n      deleting\n      deleted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantCounts_Query {\n    dashboard {\n      ...TenantCounts_Counts\n    }\n  }\n"): (typeof documents)["\n  query TenantCounts_Query {\n    dashboard {\n      ...TenantCounts_Counts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TenantCounts_Changed {\n    dashboardChanged {\n      ...TenantCounts_Counts\n    }\n  }\n"): (typeof documents)["\n  subscription TenantCounts_Changed {\n    dashboardChanged {\n      ...TenantCounts_Counts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AgentsTable_Agent on AgentPod {\n    name\n    phase\n    ready\n    node\n    version\n    startedAt\n  }\n"): (typeof documents)["\n  fragment AgentsTable_Agent on AgentPod {\n    name\n    phase\n    ready\n    node\n    version\n    startedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePoolCard_Create($input: CreateAgentPoolInput!) {\n    createAgentPool(input: $input) {\n      __typename\n      ... on MutationCreateAgentPoolSuccess {\n        data {\n          ...PoolsTable_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePoolCard_Create($input: CreateAgentPoolInput!) {\n    createAgentPool(input: $input) {\n      __typename\n      ... on MutationCreateAgentPoolSuccess {\n        data {\n          ...PoolsTable_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginWorkerForm_Set($slug: String!, $input: LoginWorkerInput!) {\n    setTenantLoginWorker(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantLoginWorkerSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation LoginWorkerForm_Set($slug: String!, $input: LoginWorkerInput!) {\n    setTenantLoginWorker(slug: $slug, input: $input) {\n      __typename\n      ... on MutationSetTenantLoginWorkerSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PoolsTable_Pool on AgentPool {\n    name\n    labels\n    createdAt\n    createdBy\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n"): (typeof documents)["\n  fragment PoolsTable_Pool on AgentPool {\n    name\n    labels\n    createdAt\n    createdBy\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PoolsTable_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolsTable_Pool\n    }\n  }\n"): (typeof documents)["\n  subscription PoolsTable_Changed($name: String!) {\n    agentPoolChanged(name: $name) {\n      ...PoolsTable_Pool\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SharedPoolCard_Pool on SharedAgentPool {\n    initialized\n    replicas\n    readyReplicas\n    image\n    version\n    keyId\n    keyCreatedAt\n    previousKeyId\n    previousKeyExpiresAt\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n"): (typeof documents)["\n  fragment SharedPoolCard_Pool on SharedAgentPool {\n    initialized\n    replicas\n    readyReplicas\n    image\n    version\n    keyId\n    keyCreatedAt\n    previousKeyId\n    previousKeyExpiresAt\n    tenants\n    agents {\n      ...AgentsTable_Agent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SharedPoolCard_Pool {\n    sharedAgentPool {\n      ...SharedPoolCard_Pool\n    }\n  }\n"): (typeof documents)["\n  query SharedPoolCard_Pool {\n    sharedAgentPool {\n      ...SharedPoolCard_Pool\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SharedPoolCard_Changed {\n    sharedAgentPoolChanged {\n      ...SharedPoolCard_Pool\n    }\n  }\n"): (typeof documents)["\n  subscription SharedPoolCard_Changed {\n    sharedAgentPoolChanged {\n      ...SharedPoolCard_Pool\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SharedPoolCard_Initialize {\n    createSharedAgentPool {\n      __typename\n      ... on MutationCreateSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SharedPoolCard_Initialize {\n    createSharedAgentPool {\n      __typename\n      ... on MutationCreateSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SharedPoolCard_Scale($replicas: Int!) {\n    scaleSharedAgentPool(replicas: $replicas) {\n      __typename\n      ... on MutationScaleSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SharedPoolCard_Scale($replicas: Int!) {\n    scaleSharedAgentPool(replicas: $replicas) {\n      __typename\n      ... on MutationScaleSharedAgentPoolSuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SharedPoolCard_RotateKey {\n    rotateSharedAgentPoolKey {\n      __typename\n      ... on MutationRotateSharedAgentPoolKeySuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation SharedPoolCard_RotateKey {\n    rotateSharedAgentPoolKey {\n      __typename\n      ... on MutationRotateSharedAgentPoolKeySuccess {\n        data {\n          ...SharedPoolCard_Pool\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TaskWorkerForms_SetMode($slug: String!, $mode: TaskWorkerMode!) {\n    setTenantWorkerMode(slug: $slug, mode: $mode) {\n      __typename\n      ... on MutationSetTenantWorkerModeSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation TaskWorkerForms_SetMode($slug: String!, $mode: TaskWorkerMode!) {\n    setTenantWorkerMode(slug: $slug, mode: $mode) {\n      __typename\n      ... on MutationSetTenantWorkerModeSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TaskWorkerForms_SetConcurrency($slug: String!, $limit: Int!) {\n    setTenantConcurrency(slug: $slug, limit: $limit) {\n      __typename\n      ... on MutationSetTenantConcurrencySuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation TaskWorkerForms_SetConcurrency($slug: String!, $limit: Int!) {\n    setTenantConcurrency(slug: $slug, limit: $limit) {\n      __typename\n      ... on MutationSetTenantConcurrencySuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TaskWorkerForms_SetPool($slug: String!, $pool: String) {\n    setTenantPool(slug: $slug, pool: $pool) {\n      __typename\n      ... on MutationSetTenantPoolSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"): (typeof documents)["\n  mutation TaskWorkerForms_SetPool($slug: String!, $pool: String) {\n    setTenantPool(slug: $slug, pool: $pool) {\n      __typename\n      ... on MutationSetTenantPoolSuccess {\n        data {\n          ...WorkersSection_Tenant\n        }\n      }\n      ...MutationProblem_Error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkersSection_Config on TenantWorkerConfig {\n    taskMode\n    concurrency\n    loginWorker {\n      mode\n      url\n      maxConcurrent\n    }\n    pool {\n      name\n      labels\n    }\n    updatedAt\n    updatedBy\n  }\n"): (typeof documents)["\n  fragment WorkersSection_Config on TenantWorkerConfig {\n    taskMode\n    concurrency\n    loginWorker {\n      mode\n      url\n      maxConcurrent\n    }\n    pool {\n      name\n      labels\n    }\n    updatedAt\n    updatedBy\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkersSection_Tenant on Tenant {\n    id\n    workerConfig {\n      ...WorkersSection_Config\n    }\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n"): (typeof documents)["\n  fragment WorkersSection_Tenant on Tenant {\n    id\n    workerConfig {\n      ...WorkersSection_Config\n    }\n    operation {\n      ...OperationSteps_Operation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkersSection_Workers($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkersSection_Workers($slug: String!) {\n    tenant(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkersSection_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          name\n          labels\n        }\n      }\n    }\n    sharedAgentPool {\n      initialized\n    }\n  }\n"): (typeof documents)["\n  query WorkersSection_Pools($first: Int!) {\n    agentPools(first: $first) {\n      edges {\n        node {\n          name\n          labels\n        }\n      }\n    }\n    sharedAgentPool {\n      initialized\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkersSection_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WorkersSection_Updates($slug: String!) {\n    tenantUpdated(slug: $slug) {\n      id\n      workerConfig {\n        ...WorkersSection_Config\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;