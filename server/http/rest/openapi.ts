import { z } from 'zod';
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

/** Builds the OpenAPI 3.1 document for the REST compatibility routes from the route table. */
export function buildOpenApi(routes: RestRoute[], version: string) {
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

function operationIdOf(document: string): string | undefined {
  return /(?:query|mutation|subscription)\s+Rest_([A-Za-z0-9_]+)/.exec(document)?.[1];
}
