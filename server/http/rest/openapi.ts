import {
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { z } from 'zod';
import { schema as graphqlSchema } from '../../../schema/index.ts';
import type { RestRoute } from './route.ts';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, TENANT_EXISTS',
        },
        message: { type: 'string', description: 'What is wrong, in words an operator can act on' },
        details: { description: 'Per-field issues for validation errors' },
      },
    },
  },
};

/**
 * Builds the OpenAPI 3.1 document for the REST compatibility routes from the route table. Each
 * operation's description is the description of the schema field it runs, so the two doors say
 * the same thing.
 */
export function buildOpenApi(routes: RestRoute[], version: string, schema: GraphQLSchema = graphqlSchema) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([a-z_]+)/gi, '{$1}');
    const pathParams = [...route.path.matchAll(/:([a-z_]+)/gi)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParams = route.query ? queryParameters(route.query) : [];
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      description: fieldOf(route, schema)?.description ?? undefined,
      tags: [route.tag],
      operationId: operationIdOf(route.document),
      parameters: [...pathParams, ...queryParams],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input' }) } },
            },
          }
        : {}),
      responses: {
        [String(route.status ?? 200)]: {
          description: 'Success: snake_case JSON; enum values are lower-case words ("state": "active")',
        },
        '400': { description: 'Invalid input', content: { 'application/json': { schema: ERROR_SCHEMA } } },
        '401': {
          description: 'Not authenticated',
          content: { 'application/json': { schema: ERROR_SCHEMA } },
        },
        '403': { description: 'Not allowed', content: { 'application/json': { schema: ERROR_SCHEMA } } },
        '404': { description: 'Not found', content: { 'application/json': { schema: ERROR_SCHEMA } } },
        '409': { description: 'Conflict', content: { 'application/json': { schema: ERROR_SCHEMA } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'JustIAM Control Plane REST API',
      version,
      description: 'REST compatibility routes. Each runs one operation of the GraphQL API at /graphql.',
    },
    paths,
  };
}

function queryParameters(schema: z.ZodType) {
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

/**
 * The schema field a route stands for: the root field its document selects, or, while the
 * selection narrows to one object field (`tenant(slug:) { database { … } }`), that field.
 */
export function fieldOf(route: RestRoute, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  const operation = parse(route.document).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) return undefined;
  let node = operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === route.field,
  );
  let field = node && schema.getRootType(operation.operation)?.getFields()[node.name.value];
  while (node && field) {
    const [only, ...more] = node.selectionSet?.selections ?? [];
    const type = getNamedType(field.type);
    if (more.length > 0 || only?.kind !== Kind.FIELD || !only.selectionSet) break;
    if (!isObjectType(type) && !isInterfaceType(type)) break;
    const next = type.getFields()[only.name.value];
    if (!next) break;
    node = only;
    field = next;
  }
  return field;
}

function operationIdOf(document: string): string | undefined {
  return /(?:query|mutation|subscription)\s+Rest_([A-Za-z0-9_]+)/.exec(document)?.[1];
}
