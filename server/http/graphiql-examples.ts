/**
 * The tabs GraphiQL opens with (when the browser has none saved): what a newcomer tries first —
 * list tenants, create one, follow its operation live. Each is a complete operation with its
 * variables, checked against the schema by a test, so they never drift from it.
 */
export type GraphiQLTab = { query: string; variables?: string };

export const LIST_TENANTS = `# List tenants, 20 per page. For the next page, pass pageInfo.endCursor as $after.
# search matches part of the slug or the name; state narrows to states, e.g. ["ACTIVE"].
query ListTenants($first: Int = 20, $after: String, $search: String) {
  tenants(first: $first, after: $after, search: $search) {
    edges {
      node {
        id
        slug
        name
        state
        overview { status users activeUsers checkedAt }
        operation { kind state currentStep }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

export const CREATE_TENANT = `# Create a tenant (admin role). It answers at once with state PROVISIONING;
# open the next tab and run FollowTenantOperation to watch the steps.
# Refusals are data, not errors: select the error types you handle.
mutation CreateTenant($input: CreateTenantInput!) {
  createTenant(input: $input) {
    __typename
    ... on MutationCreateTenantSuccess {
      data { id slug state operation { id kind state currentStep } }
    }
    ... on Error { code message }
    ... on ValidationError { issues { path message } }
  }
}
`;

export const FOLLOW_TENANT_OPERATION = `# Follow a tenant's operation step by step, live (graphql-ws).
# Start it, then run CreateTenant (or deleteTenant) in another tab with the same slug.
subscription FollowTenantOperation($slug: String) {
  tenantOperation(slug: $slug) {
    id
    kind
    state
    currentStep
    attempts
    lastError
    nextAttemptAt
    steps { name state error }
  }
}
`;

const variables = (value: Record<string, unknown>) => JSON.stringify(value, null, 2);

export const GRAPHIQL_EXAMPLE_TABS: GraphiQLTab[] = [
  { query: LIST_TENANTS, variables: variables({ first: 20 }) },
  {
    query: CREATE_TENANT,
    variables: variables({ input: { slug: 'acme', name: 'Acme Corp', adminEmail: 'admin@acme.example' } }),
  },
  { query: FOLLOW_TENANT_OPERATION, variables: variables({ slug: 'acme' }) },
];
