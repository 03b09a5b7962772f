import type pg from 'pg';
import { createPool } from '../../../db/pool.ts';
import { scramVerifier } from '../../../db/scram.ts';

/** Names of a tenant's database and its login role. */
export const tenantDatabaseName = (slug: string) => `tenant_${slug}`;

export type TenantDatabaseAdmin = {
  /** Creates (or brings back in line) the role with this password and its own database. */
  ensure(slug: string, password: string): Promise<void>;
  /** Drops the database (ending its connections) and the role; missing ones count as dropped. */
  drop(slug: string): Promise<void>;
  exists(slug: string): Promise<{ database: boolean; role: boolean }>;
  /** The DATABASE_URL a tenant backend uses. */
  urlFor(slug: string, password: string): string;
  /** The tenants' PostgreSQL server: version, start, connections, and each tenant database's size. */
  serverStatus(): Promise<DatabaseServerStatus>;
  close(): Promise<void>;
};

export type DatabaseServerStatus = {
  serverVersion: string;
  startedAt: Date;
  connections: number;
  maxConnections: number;
  /** Tenant databases (`tenant_<slug>`) by slug, largest first. */
  tenants: { slug: string; sizeBytes: number }[];
};

/**
 * Administers tenant databases on the PostgreSQL server of `adminUrl` (a role with CREATEDB and
 * CREATEROLE). Identifiers and the password are quoted by the server (`format('%I', '%L')`), never
 * spliced into SQL by us; the slug has also been validated as a DNS label before it gets here.
 */
export function createTenantDatabaseAdmin(options: {
  adminUrl: string;
  publicHost?: string;
}): TenantDatabaseAdmin {
  const pool = createPool({
    connectionString: options.adminUrl,
    max: 4,
    application_name: 'justiam-cp-provisioner',
  });
  const admin = new URL(options.adminUrl);
  const publicHost = options.publicHost ?? admin.host;

  /** Builds a DDL statement server-side with quoted identifiers/literals, then runs it. */
  async function ddl(client: pg.PoolClient | pg.Pool, template: string, ...args: string[]) {
    const placeholders = args.map((_, i) => `$${i + 1}::text`).join(', ');
    const { rows } = await client.query<{ stmt: string }>(
      `select format('${template}', ${placeholders}) as stmt`,
      args,
    );
    await client.query(rows[0]!.stmt);
  }

  async function exists(slug: string) {
    const name = tenantDatabaseName(slug);
    const { rows } = await pool.query<{ database: boolean; role: boolean }>(
      `select exists(select 1 from pg_database where datname = $1) as database,
              exists(select 1 from pg_roles where rolname = $1) as role`,
      [name],
    );
    return rows[0]!;
  }

  return {
    exists,
    async serverStatus() {
      const { rows } = await pool.query<{ version: string; started: Date; connections: number; max: string }>(
        `select current_setting('server_version') as version, pg_postmaster_start_time() as started,
                (select count(*)::int from pg_stat_activity) as connections,
                current_setting('max_connections') as max`,
      );
      const sizes = await pool.query<{ datname: string; size: string }>(
        `select datname, pg_database_size(datname)::text as size from pg_database
         where datname like 'tenant\\_%' and datallowconn order by pg_database_size(datname) desc`,
      );
      const r = rows[0]!;
      return {
        serverVersion: r.version,
        startedAt: r.started,
        connections: r.connections,
        maxConnections: Number(r.max),
        tenants: sizes.rows.map((row) => ({
          slug: row.datname.slice('tenant_'.length),
          sizeBytes: Number(row.size),
        })),
      };
    },
    async ensure(slug, password) {
      const name = tenantDatabaseName(slug);
      const current = await exists(slug);
      // Only a SCRAM verifier crosses the wire: the password itself never reaches the server.
      const verifier = scramVerifier(password);
      if (current.role)
        await ddl(pool, 'ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L', name, verifier);
      else {
        await ddl(
          pool,
          'CREATE ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L',
          name,
          verifier,
        ).catch((e: unknown) => {
          // A concurrent attempt created it first; the next run of this idempotent step aligns the password.
          if ((e as { code?: string }).code !== '42710') throw e;
        });
      }
      if (!current.database) {
        // CREATE DATABASE cannot run inside a transaction; 42P04 = it appeared meanwhile.
        await ddl(pool, 'CREATE DATABASE %I OWNER %I', name, name).catch((e: unknown) => {
          if ((e as { code?: string }).code !== '42P04') throw e;
        });
      } else {
        await ddl(pool, 'ALTER DATABASE %I OWNER TO %I', name, name);
      }
      await ddl(pool, 'REVOKE ALL ON DATABASE %I FROM PUBLIC', name);
    },
    async drop(slug) {
      const name = tenantDatabaseName(slug);
      await ddl(pool, 'DROP DATABASE IF EXISTS %I WITH (FORCE)', name);
      await ddl(pool, 'DROP ROLE IF EXISTS %I', name);
    },
    urlFor(slug, password) {
      const name = tenantDatabaseName(slug);
      return `postgres://${encodeURIComponent(name)}:${encodeURIComponent(password)}@${publicHost}/${encodeURIComponent(name)}`;
    },
    close: () => pool.end(),
  };
}
