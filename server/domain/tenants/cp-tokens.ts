import type { V1Secret } from '@kubernetes/client-node';
import type { ClusterClient } from '../../cluster/client.ts';
import {
  APP_NAME,
  MANAGED_BY,
  MANAGED_BY_VALUE,
  TENANT_LABEL,
  tenantSecretName,
} from '../../cluster/labels.ts';
import { readTenantSecret } from './cluster-secret.ts';

const TTL_MS = 5 * 60_000;

/** Tenants' CP tokens, read from their Secrets and kept a few minutes for jobs that call every backend. */
export type CpTokens = {
  /** The tenant's CP token, from the cache or its Secret. */
  of(slug: string): Promise<string>;
  /** Forgets a tenant's token (after a failed call: it may have been rotated). */
  forget(slug: string): void;
  /**
   * Reads the tokens of many tenants ahead of calls to all of them: when more than a few are not
   * cached, one LIST of tenant Secrets instead of a GET each. Best effort: a failed list leaves
   * `of` to read them one by one.
   */
  prefetch(slugs: readonly string[]): Promise<void>;
};

/** Below this many uncached tenants, reading their Secrets one by one is as cheap as a list. */
const LIST_FROM = 16;
/** Tenant Secrets: managed by us, labelled with their tenant, and no workload's. */
const TENANT_SECRETS = `${MANAGED_BY}=${MANAGED_BY_VALUE},${TENANT_LABEL},!${APP_NAME}`;

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
    async prefetch(slugs) {
      const now = Date.now();
      const missing = new Set(slugs.filter((slug) => !(now - (tokens.get(slug)?.at ?? 0) < ttlMs)));
      if (missing.size < LIST_FROM) return;
      let secrets: V1Secret[];
      try {
        secrets = await cluster.list<V1Secret>('Secret', 'v1', TENANT_SECRETS);
      } catch {
        return;
      }
      for (const secret of secrets) {
        const slug = secret.metadata?.labels?.[TENANT_LABEL];
        const token = secret.data?.CP_TOKEN;
        // Every tenant's, not only the missing ones: the next batches of a fan-out need no list.
        if (!slug || !token || secret.metadata?.name !== tenantSecretName(slug)) continue;
        tokens.set(slug, { value: Buffer.from(token, 'base64').toString('utf8'), at: now });
      }
    },
  };
}
