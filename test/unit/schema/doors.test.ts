import { assertObjectType, type OperationDefinitionNode, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../../schema/index.ts';
import { GRAPHIQL_EXAMPLE_TABS } from '../../../server/http/graphiql-examples.ts';
import { buildOpenApi, fieldOf } from '../../../server/http/rest/openapi.ts';
import { restRoutes } from '../../../server/http/rest/routes.ts';

// The schema's descriptions reach the other doors: the OpenAPI document of the REST routes, and
// the example operations GraphiQL opens with.

describe('the OpenAPI document says what the schema says', () => {
  const doc = buildOpenApi(restRoutes, '1.2.3');
  const operationOf = (method: string, path: string) =>
    doc.paths[path.replace(/:([a-z_]+)/gi, '{$1}')]?.[method.toLowerCase()] as { description?: string };

  it.each(restRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s is described by the schema field it runs',
    (_name, route) => {
      const field = fieldOf(route, schema);
      expect(field?.description).toBeTruthy();
      expect(operationOf(route.method, route.path).description).toBe(field?.description);
    },
  );

  it('takes the nested field a tenant detail route narrows to, not the tenant query', () => {
    const route = restRoutes.find((r) => r.method === 'GET' && r.path === '/tenants/:slug/database')!;
    expect(fieldOf(route, schema)?.description).toBe(
      assertObjectType(schema.getType('Tenant')).getFields().database?.description,
    );
  });
});

describe('the GraphiQL examples', () => {
  const operations = GRAPHIQL_EXAMPLE_TABS.map(
    (tab) => parse(tab.query).definitions[0] as OperationDefinitionNode,
  );

  it('list tenants, create one and follow its operation by subscription', () => {
    expect(operations.map((operation) => [operation.operation, operation.name?.value])).toEqual([
      ['query', 'ListTenants'],
      ['mutation', 'CreateTenant'],
      ['subscription', 'FollowTenantOperation'],
    ]);
  });

  it.each(GRAPHIQL_EXAMPLE_TABS.map((tab, i) => [i, tab] as const))(
    'tab %i is valid against the schema, with variables as JSON',
    (_i, tab) => {
      expect(validate(schema, parse(tab.query))).toEqual([]);
      expect(() => JSON.parse(tab.variables ?? '{}')).not.toThrow();
    },
  );
});
