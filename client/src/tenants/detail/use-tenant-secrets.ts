import { useQuery } from 'urql';
import type { SecretFacts_SecretFragment, TenantSecretName } from '../../gql/graphql.ts';
import { graphql } from '../../gql/index.ts';

graphql(`
  fragment SecretFacts_Secret on TenantSecret {
    secret
    version
    rotatedAt
    rotatedBy
    graceActive
    graceUntil
    pending
    pendingError
  }
`);

const TenantSecrets_Secrets = graphql(`
  query TenantSecrets_Secrets($slug: String!) {
    tenant(slug: $slug) {
      id
      secrets {
        ...SecretFacts_Secret
      }
    }
  }
`);

/**
 * The metadata of a tenant's secrets (never values), shared by the tabs that show them. Rotations
 * drop it from the cache (`client/src/graphql/cache.ts`), so it is fetched again after each.
 */
export function useTenantSecrets(slug: string) {
  const [result] = useQuery({
    query: TenantSecrets_Secrets,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  const secrets = result.data?.tenant?.secrets ?? null;
  return {
    secrets,
    error: result.error ?? null,
    find: (name: TenantSecretName): SecretFacts_SecretFragment | null =>
      secrets?.find((s) => s.secret === name) ?? null,
  };
}
