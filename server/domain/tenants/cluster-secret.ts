import type { V1Secret } from '@kubernetes/client-node';
import type { ClusterClient } from '../../cluster/client.ts';
import { tenantSecretName } from '../../cluster/labels.ts';

/** Reads and decodes a tenant's Secret; `undefined` when it does not exist. */
export async function readTenantSecret(
  cluster: ClusterClient,
  slug: string,
): Promise<Record<string, string> | undefined> {
  const secret = await cluster.read<V1Secret>('Secret', 'v1', tenantSecretName(slug));
  if (!secret) return undefined;
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

/** The database password inside a tenant's DATABASE_URL. */
export function passwordOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).password);
}
