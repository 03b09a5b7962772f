import type { V1Secret } from '@kubernetes/client-node';
import { type ClusterClient, ClusterError } from '../../cluster/client.ts';
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

/**
 * Sets (a string) or removes (`null`) keys of an existing tenant Secret in one JSON merge patch:
 * the keys change together or not at all, and keys not named are left as they are, so writers of
 * different keys never undo each other. The error names the Secret and the HTTP status only: the
 * API server's message could quote the values sent.
 */
export async function patchTenantSecret(
  cluster: ClusterClient,
  slug: string,
  changes: Record<string, string | null>,
): Promise<void> {
  const name = tenantSecretName(slug);
  const data = Object.fromEntries(
    Object.entries(changes).map(([k, v]) => [
      k,
      v === null ? null : Buffer.from(v, 'utf8').toString('base64'),
    ]),
  );
  try {
    await cluster.mergePatch('Secret', 'v1', name, { data }, { secretValues: true });
  } catch (error) {
    if (error instanceof ClusterError && error.status === 404) {
      throw new ClusterError(`update Secret ${name}`, 404, 'the Secret does not exist');
    }
    throw error;
  }
}
