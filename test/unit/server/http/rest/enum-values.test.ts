import { describe, expect, it } from 'vitest';
import { schema } from '../../../../../schema/index.ts';
import { enumLowering } from '../../../../../server/http/rest/enum-values.ts';
import { restRoutes } from '../../../../../server/http/rest/routes.ts';

describe('enum values in REST answers', () => {
  it('lower-cases enum values, in lists, fragments and nested objects, and nothing else', () => {
    const lower = enumLowering(
      schema,
      `mutation M($input: CreateTenantInput!) { createTenant(input: $input) {
        __typename ... on MutationCreateTenantSuccess { data { slug name state operation { kind state steps { name state } } } }
        ... on Error { code message } } }`,
    );
    const data = {
      createTenant: {
        __typename: 'MutationCreateTenantSuccess',
        data: {
          slug: 'acme',
          name: 'ACME',
          state: 'PROVISIONING',
          operation: { kind: 'CREATE', state: 'RUNNING', steps: [{ name: 'SECRET', state: 'DONE' }] },
        },
      },
    };
    expect(lower(data)).toEqual({
      createTenant: {
        __typename: 'MutationCreateTenantSuccess',
        data: {
          slug: 'acme',
          name: 'ACME',
          state: 'provisioning',
          operation: { kind: 'create', state: 'running', steps: [{ name: 'SECRET', state: 'done' }] },
        },
      },
    });
  });

  it('leaves error codes as they are', () => {
    const lower = enumLowering(
      schema,
      'mutation M($slug: String!, $confirm: String!) { deleteTenant(slug: $slug, confirm: $confirm) { ... on Error { code message } } }',
    );
    const data = { deleteTenant: { code: 'TENANT_NOT_FOUND', message: 'NO' } };
    expect(lower(data)).toEqual(data);
  });

  it('compiles for every REST route', () => {
    for (const route of restRoutes)
      expect(() => enumLowering(schema, route.document), route.path).not.toThrow();
  });
});
