import pg from 'pg';
import { createPool } from '../../../db/pool.ts';
import { scramVerifierAsync } from '../../../db/scram.ts';

/** Names of a tenant's database and its login role. */
export const tenantDatabaseName = (slug: string) => `tenant_${slug}`;

export type TenantDatabaseAdmin = {
  /**
   * Creates (or brings back in line) the role with this password and its own database. `verifier`,
   * when given, is a SCRAM verifier already made for this password; else one is made here.
   * `made`, when given, is `makeDatabase` of this slug under way: the database is then given to
   * the role once both exist, instead of created with it.
   */
  ensure(slug: string, password: string, verifier?: string, made?: Promise<void>): Promise<void>;
  /**
   * Creates the tenant's database with PUBLIC's access revoked, owned by the administrator until
   * `ensure` gives it to the tenant's role; one that exists already is left as it is (and revoked).
   */
  makeDatabase(slug: string): Promise<void>;
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
 * CREATEROLE). DDL takes no parameters, so names and the verifier go in quoted by the driver's
 * `escapeIdentifier` and `escapeLiteral` (the quoting PostgreSQL's own `quote_ident` and
 * `quote_literal` do); the slug has also been validated as a DNS label before it gets here.
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

  const ident = (name: string) => pg.escapeIdentifier(name);
  const literal = (value: string) => pg.escapeLiteral(value);
  /**
   * Runs `statement`; `exists` (a duplicate object's code) or 23505 (the same, met by a concurrent
   * CREATE in the catalog's unique index) mean "already so" and run `otherwise` instead.
   */
  async function ddl(statement: string, exists?: string, otherwise?: () => Promise<unknown>) {
    try {
      await pool.query(statement);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!exists || (code !== exists && code !== '23505')) throw error;
      await otherwise?.();
    }
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
    async ensure(slug, password, verifier, made) {
      const name = ident(tenantDatabaseName(slug));
      // Only a SCRAM verifier crosses the wire: the password itself never reaches the server.
      const role = `${name} WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD ${literal(verifier ?? (await scramVerifierAsync(password)))}`;
      // Made first, as on a new tenant; what exists already (42710, 42P04: an earlier attempt, or
      // a concurrent one) is brought in line instead: the Secret's password, the tenant's owner.
      await ddl(`CREATE ROLE ${role}`, '42710', () => ddl(`ALTER ROLE ${role}`));
      const owned = `ALTER DATABASE ${name} OWNER TO ${name}`;
      if (made) {
        // Made with PUBLIC's access revoked; the new owner keeps that ACL.
        await made;
        await ddl(owned);
        return;
      }
      // CREATE DATABASE cannot run inside a transaction: each statement commits on its own.
      await ddl(`CREATE DATABASE ${name} OWNER ${name}`, '42P04', () => ddl(owned));
      await ddl(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
    },
    async makeDatabase(slug) {
      const name = ident(tenantDatabaseName(slug));
      await ddl(`CREATE DATABASE ${name}`, '42P04');
      // At once, not after the role: no other role may connect meanwhile (PUBLIC's default CONNECT
      // and TEMP), however long the Secret and the role take or a retry waits.
      await ddl(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
    },
    async drop(slug) {
      const name = ident(tenantDatabaseName(slug));
      await ddl(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await ddl(`DROP ROLE IF EXISTS ${name}`);
    },
    urlFor(slug, password) {
      const name = tenantDatabaseName(slug);
      return `postgres://${encodeURIComponent(name)}:${encodeURIComponent(password)}@${publicHost}/${encodeURIComponent(name)}`;
    },
    close: () => pool.end(),
  };
}
