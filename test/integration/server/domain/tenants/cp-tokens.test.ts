import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../../server/cluster/client.ts';
import { tenantSecretName } from '../../../../../server/cluster/labels.ts';
import { agentHmacSecret, tenantSecret } from '../../../../../server/cluster/resources.ts';
import { createCpTokenCache } from '../../../../../server/domain/tenants/cp-tokens.ts';
import { startTestCluster, type TestCluster } from '../../../../support/kube.ts';

/** CP tokens for a fan-out: read with one LIST when many are missing, from the tenants' Secrets only. */
describe('CP token cache', () => {
  let cluster: TestCluster;
  let client: ClusterClient;
  const slugs = Array.from({ length: 40 }, (_, i) => `tok-${i}`);
  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    for (const slug of slugs) {
      await client.ensure(
        tenantSecret(cluster.namespace, slug, { CP_TOKEN: `cpt-${slug}`, DATABASE_URL: 'postgres://x' }),
      );
    }
    // Not a tenant's Secret, though it holds a key of that name.
    const other = agentHmacSecret(cluster.namespace, 'k');
    other.data = { ...other.data, CP_TOKEN: Buffer.from('not-a-tenant').toString('base64') };
    await client.ensure(other);
  });
  afterAll(() => cluster?.stop());

  it('prefetches many tokens with one list, then serves them without reading any Secret', async () => {
    const tokens = createCpTokenCache(client);
    await tokens.prefetch(slugs);
    // Gone from the cluster: only the cache can answer now.
    for (const slug of slugs) await client.delete('Secret', 'v1', tenantSecretName(slug));
    for (const slug of slugs) expect(await tokens.of(slug)).toBe(`cpt-${slug}`);
    tokens.forget(slugs[0]!);
    await expect(tokens.of(slugs[0]!)).rejects.toThrow(/has no CP_TOKEN/);
  });

  it('reads a few missing tokens one by one, and fails for a tenant without a Secret', async () => {
    await client.ensure(tenantSecret(cluster.namespace, 'solo', { CP_TOKEN: 'cpt-solo' }));
    const tokens = createCpTokenCache(client);
    await tokens.prefetch(['solo', 'agent-shared-hmac']);
    expect(await tokens.of('solo')).toBe('cpt-solo');
    await expect(tokens.of('nobody')).rejects.toThrow(/has no CP_TOKEN/);
  });
});
