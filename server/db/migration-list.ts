import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './migrations/2026-11-28T0001-foundation.ts';
import * as tenants from './migrations/2026-11-28T0002-tenants.ts';
import * as tenantSecrets from './migrations/2026-11-28T0003-tenant-secrets.ts';
import * as operators from './migrations/2026-11-28T0004-operators.ts';
import * as dashboard from './migrations/2026-12-01T0001-dashboard.ts';
import * as tenantRepair from './migrations/2026-12-01T0002-tenant-repair.ts';
import * as license from './migrations/2026-12-02T0001-license.ts';
import * as licenseClaims from './migrations/2026-12-02T0002-license-claims.ts';
import * as workers from './migrations/2026-12-02T0003-workers.ts';
import * as workerUpgrades from './migrations/2026-12-02T0004-worker-upgrades.ts';
import * as backups from './migrations/2026-12-02T0005-backups.ts';
import * as settingsSmtpAlerts from './migrations/2026-12-02T0006-settings-smtp-alerts.ts';
import * as auditNames from './migrations/2026-12-03T0001-audit-names.ts';
import * as tenantListOrders from './migrations/2026-12-03T0002-tenant-list-orders.ts';
import * as authRevocationEvents from './migrations/2026-12-04T0001-auth-revocation-events.ts';
import * as privateDatabase from './migrations/2026-12-04T0002-private-database.ts';

/**
 * Every migration, by its sortable name. A static list rather than a directory scan so the same
 * code runs from source (tsx, vitest) and from a bundle without path tricks.
 */
const migrations: Record<string, Migration> = {
  '2026-11-28T0001-foundation': foundation,
  '2026-11-28T0002-tenants': tenants,
  '2026-11-28T0003-tenant-secrets': tenantSecrets,
  '2026-11-28T0004-operators': operators,
  '2026-12-01T0001-dashboard': dashboard,
  '2026-12-01T0002-tenant-repair': tenantRepair,
  '2026-12-02T0001-license': license,
  '2026-12-02T0002-license-claims': licenseClaims,
  '2026-12-02T0003-workers': workers,
  '2026-12-02T0004-worker-upgrades': workerUpgrades,
  '2026-12-02T0005-backups': backups,
  '2026-12-02T0006-settings-smtp-alerts': settingsSmtpAlerts,
  '2026-12-03T0001-audit-names': auditNames,
  '2026-12-03T0002-tenant-list-orders': tenantListOrders,
  '2026-12-04T0001-auth-revocation-events': authRevocationEvents,
  '2026-12-04T0002-private-database': privateDatabase,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
