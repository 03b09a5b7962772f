import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { isStatus } from '../../cluster/client.ts';
import { tenantSecretName } from '../../cluster/labels.ts';

/** What the simulator needs to serve one tenant. */
export type TenantResolution = {
  databaseUrl: string;
  cpToken: string;
  /** The CP token before the last rotation, accepted until `expiresAt`. */
  cpTokenPrevious?: { value: string; expiresAt: Date };
};

/** Finds a tenant by slug; `null` when there is no such tenant. May throw when it cannot tell. */
export type ResolveTenant = (slug: string) => Promise<TenantResolution | null>;

/** A Kubernetes object name (DNS label); any other slug cannot have a Secret. */
const SLUG = /^[a-z0-9]([-a-z0-9]{0,53}[a-z0-9])?$/;

/**
 * Resolves tenants from their Secret `tenant-<slug>` in `namespace`, as a real backend pod gets the
 * same values through `envFrom`: DATABASE_URL, CP_TOKEN, and optionally CP_TOKEN_PREVIOUS with
 * CP_TOKEN_PREVIOUS_EXPIRES_AT (ISO 8601). A missing Secret is an unknown tenant; a Secret without
 * DATABASE_URL or CP_TOKEN is an error (the tenant exists but cannot be served).
 */
export function secretResolver(kubeConfig: KubeConfig, namespace: string): ResolveTenant {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return async (slug) => {
    if (!SLUG.test(slug)) return null;
    const name = tenantSecretName(slug);
    let data: Record<string, string>;
    try {
      const secret = await core.readNamespacedSecret({ name, namespace });
      data = secret.data ?? {};
    } catch (error) {
      if (isStatus(error, 404)) return null;
      const status = (error as { code?: unknown }).code;
      throw new Error(
        `reading Secret ${name} failed${typeof status === 'number' ? ` (HTTP ${status})` : ''}`,
        {
          cause: error,
        },
      );
    }
    const value = (key: string) =>
      data[key] ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;
    const databaseUrl = value('DATABASE_URL');
    const cpToken = value('CP_TOKEN');
    if (!databaseUrl || !cpToken) throw new Error(`Secret ${name} lacks DATABASE_URL or CP_TOKEN`);
    const previous = value('CP_TOKEN_PREVIOUS');
    const expiresAt = new Date(value('CP_TOKEN_PREVIOUS_EXPIRES_AT') ?? Number.NaN);
    // A previous token without a valid expiry is ignored: it must not stay valid forever.
    return previous && !Number.isNaN(expiresAt.getTime())
      ? { databaseUrl, cpToken, cpTokenPrevious: { value: previous, expiresAt } }
      : { databaseUrl, cpToken };
  };
}
