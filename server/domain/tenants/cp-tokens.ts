import type { ClusterClient } from '../../cluster/client.ts';
import { readTenantSecret } from './cluster-secret.ts';

const TTL_MS = 5 * 60_000;

/** Tenants' CP tokens, read from their Secrets and kept a few minutes for jobs that call every backend. */
export type CpTokens = {
  /** The tenant's CP token, from the cache or its Secret. */
  of(slug: string): Promise<string>;
  /** Forgets a tenant's token (after a failed call: it may have been rotated). */
  forget(slug: string): void;
};

export function createCpTokenCache(cluster: ClusterClient, ttlMs = TTL_MS): CpTokens {
  const tokens = new Map<string, { value: string; at: number }>();
  return {
    async of(slug) {
      const cached = tokens.get(slug);
      if (cached && Date.now() - cached.at < ttlMs) return cached.value;
      const secret = await readTenantSecret(cluster, slug);
      if (!secret?.CP_TOKEN) throw new Error(`Secret of tenant ${slug} has no CP_TOKEN`);
      tokens.set(slug, { value: secret.CP_TOKEN, at: Date.now() });
      return secret.CP_TOKEN;
    },
    forget(slug) {
      tokens.delete(slug);
    },
  };
}
