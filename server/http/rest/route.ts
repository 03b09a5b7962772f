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
  /**
   * Who may call it, checked before the input is read. Default: operators for queries, admins for
   * mutations, as the schema's root types; a self-service mutation says `operator`.
   */
  access?: 'admin' | 'operator';
};

/** Declares a route with its query and body types inferred from the schemas. */
export function route<Q = undefined, B = undefined>(r: RestRoute<Q, B>): RestRoute {
  return r as unknown as RestRoute;
}
