import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RestInput<Q, B> = { params: Record<string, string>; query: Q; body: B };

/**
 * One documented REST endpoint: which GraphQL document it runs and how its snake_case input maps
 * onto the document's variables. Routes hold no logic of their own.
 */
export type RestRoute<Q = unknown, B = unknown> = {
  method: HttpMethod;
  /** Express-style path, e.g. `/tenants/:slug/login-worker`. */
  path: string;
  summary: string;
  tag: string;
  /** Query-string parameters, as strings in, coerced by the schema. */
  query?: z.ZodType<Q>;
  /** The JSON body, snake_case as in the spec. */
  body?: z.ZodType<B>;
  /** The GraphQL document; its single root field's result is the response. */
  document: string;
  /** The root field to read from `data`. */
  field: string;
  variables: (input: RestInput<Q, B>) => Record<string, unknown>;
  /** Reshapes the field's value before snake-casing; defaults to the value itself. */
  respond?: (value: unknown) => unknown;
  /** Status on success; 200 unless said. */
  status?: number;
};

/** Declares a route with its query and body types inferred from the schemas. */
export function route<Q = undefined, B = undefined>(r: RestRoute<Q, B>): RestRoute {
  return r as unknown as RestRoute;
}

/** The operation name of a route's document (`Rest_CreateTenant`): a metrics label the server chose. */
export function operationNameOf(document: string): string {
  const name = /(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document)?.[1];
  if (!name) throw new Error(`a REST route's document needs a named operation: ${document.slice(0, 60)}`);
  return name;
}
