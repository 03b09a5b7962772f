import { randomBytes } from 'node:crypto';
import type { V1ConfigMap } from '@kubernetes/client-node';
import pg from 'pg';
import type { ClusterClient } from '../../server/cluster/client.ts';
import { REGISTRY_CONFIGMAP } from '../../server/cluster/labels.ts';
import { scramKeys } from '../../server/db/scram.ts';
import { passwordOf, readTenantSecret } from '../../server/domain/tenants/cluster-secret.ts';
import { serverUrl } from './db.ts';

/** A slug no other test file uses: tenant databases and roles live server-wide. */
export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** What exists of a tenant outside the control plane's own tables. */
export async function tenantFootprint(cluster: ClusterClient, slug: string) {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    const name = `tenant_${slug}`;
    const { rows } = await admin.query<{ database: boolean; role: boolean }>(
      `select exists(select 1 from pg_database where datname = $1) as database,
              exists(select 1 from pg_roles where rolname = $1) as role`,
      [name],
    );
    const registry = await cluster.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    return {
      database: rows[0]!.database,
      role: rows[0]!.role,
      secret: Boolean(await cluster.read('Secret', 'v1', `tenant-${slug}`)),
      registryKey: Boolean(registry?.data?.[`${slug}.json`]),
    };
  } finally {
    await admin.end();
  }
}

/**
 * Whether the tenant's role holds a SCRAM verifier of `password`, compared by deriving the stored
 * key again: the test server trusts local connections, so a login would succeed with any password.
 * A role without a SCRAM verifier is an error, not a "no".
 */
export async function roleVerifies(slug: string, password: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ rolpassword: string | null }>(
      'select rolpassword from pg_authid where rolname = $1',
      [`tenant_${slug}`],
    );
    const parts = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):/.exec(rows[0]?.rolpassword ?? '');
    if (!parts) throw new Error(`role tenant_${slug} has no SCRAM verifier`);
    const [, iterations, salt, storedKey] = parts;
    const derived = scramKeys(password, Buffer.from(salt!, 'base64'), Number(iterations)).storedKey;
    return derived.toString('base64') === storedKey;
  } finally {
    await admin.end();
  }
}

/** Whether the tenant's role holds the password in its Secret's DATABASE_URL (false without one). */
export async function roleHoldsSecretPassword(cluster: ClusterClient, slug: string): Promise<boolean> {
  const url = (await readTenantSecret(cluster, slug))?.DATABASE_URL;
  return url ? roleVerifies(slug, passwordOf(url)) : false;
}

/** Drops tenant databases and roles a test left behind (by slug). */
export async function dropTenantDatabases(slugs: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    for (const slug of slugs) {
      // A control plane still running may be retrying the tenant's provisioning, and make the
      // database again between the two statements: then the role is still an owner, and both go again.
      for (let attempt = 1; ; attempt++) {
        await admin.query(`drop database if exists "tenant_${slug}" with (force)`);
        try {
          await admin.query(`drop role if exists "tenant_${slug}"`);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '2BP01' || attempt === 5) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  } finally {
    await admin.end();
  }
}

/** A create's steps as `name:state`, as an operation that ended well records them. */
export const CREATE_STEPS_DONE = [
  'record',
  'secret',
  'database',
  'registry',
  'handoff',
  'license',
  'smtp',
].map((step) => `${step}:done`);
