import pg from 'pg';
import type { TenantRow } from '../../../db/schema.ts';
import type { TenantMigrations } from '../../../tenant-api/types.ts';
import { record } from '../../audit/record.ts';
import type { Call } from '../../call.ts';
import { DependencyError } from '../../errors.ts';
import { passwordOf } from '../cluster-secret.ts';
import { apiOf, callTenant, reasonOf, requireTenantIn, requireTenantSecret } from '../detail-access.ts';
import { type Revealed, revealSecret } from '../secrets/reveal.ts';
import type { TenantServices } from '../services.ts';

/** How a tenant's backend reaches its database, and what that database looks like now. No password. */
export type TenantDatabaseInfo = {
  host: string;
  port: number;
  database: string;
  user: string;
  /** Bytes on disk (`pg_database_size`); null when the database could not be asked. */
  sizeBytes: number | null;
  /** Open connections to it, not counting the one that asked. */
  connections: number | null;
  serverVersion: string | null;
  /** Why the figures above are missing. */
  statsError: string | null;
};

const STATS_TIMEOUT_MS = 3000;

/**
 * The connection info from the tenant's DATABASE_URL, and size, connections and server version
 * asked of the database itself, as the tenant's own role (which is all the access the figures
 * need). An unreachable database still gives the connection info, with `statsError` saying why.
 */
export async function tenantDatabaseInfo(
  services: TenantServices,
  tenant: TenantRow,
): Promise<TenantDatabaseInfo> {
  const secret = await requireTenantSecret(services, tenant.slug);
  if (!secret.DATABASE_URL)
    throw new DependencyError(
      `the Secret of tenant "${tenant.slug}" has no DATABASE_URL`,
      'SECRET_INCOMPLETE',
    );
  const url = new URL(secret.DATABASE_URL);
  const info: TenantDatabaseInfo = {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    user: decodeURIComponent(url.username),
    sizeBytes: null,
    connections: null,
    serverVersion: null,
    statsError: null,
  };
  const client = new pg.Client({
    connectionString: secret.DATABASE_URL,
    connectionTimeoutMillis: STATS_TIMEOUT_MS,
    statement_timeout: STATS_TIMEOUT_MS,
    application_name: 'justiam-cp-inspect',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ size: string; connections: number; version: string }>(
      `select pg_database_size(current_database())::text as size,
              (select count(*)::int from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()) as connections,
              current_setting('server_version') as version`,
    );
    info.sizeBytes = Number(rows[0]!.size);
    info.connections = rows[0]!.connections;
    info.serverVersion = rows[0]!.version;
  } catch (error) {
    info.statsError = reasonOf(error, [passwordOf(secret.DATABASE_URL), secret.DATABASE_URL]);
  } finally {
    await client.end().catch(() => {});
  }
  return info;
}

/** The password of the tenant's database role, for the operator who asked; audited. */
export function revealDatabasePassword(
  services: TenantServices,
  call: Call,
  slug: string,
): Promise<Revealed> {
  return revealSecret(services, call, slug, 'database-password', (s) =>
    s.DATABASE_URL ? passwordOf(s.DATABASE_URL) : undefined,
  );
}

/** The tenant's migrations as its backend reports them: applied (with dates) and pending. */
export async function tenantMigrations(
  services: TenantServices,
  tenant: TenantRow,
): Promise<TenantMigrations> {
  const api = apiOf(services, tenant.slug, await requireTenantSecret(services, tenant.slug));
  return callTenant(api, (a) => a.migrations());
}

/**
 * Asks the tenant's backend to apply its pending migrations and records which it applied.
 * Applying with nothing pending is allowed and records an empty list.
 */
export async function applyTenantMigrations(
  services: TenantServices,
  call: Call,
  slug: string,
): Promise<TenantMigrations> {
  const tenant = await requireTenantIn(services, slug);
  const api = apiOf(services, slug, await requireTenantSecret(services, slug));
  const before = await callTenant(api, (a) => a.migrations());
  const after = await callTenant(api, (a) => a.applyMigrations());
  const known = new Set(before.applied.map((m) => m.id));
  const applied = after.applied.map((m) => m.id).filter((id) => !known.has(id));
  await services.db.transaction().execute(async (trx) => {
    await record(
      trx,
      services.bus,
      call,
      'tenant.migrations.applied',
      { kind: 'tenant', id: slug },
      { applied, pending: after.pending },
    );
    await services.bus.publishIn(trx, 'tenant.updated', { id: tenant.id, slug, change: 'migrations' });
  });
  return after;
}
