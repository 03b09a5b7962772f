import {
  ConflictError,
  DependencyError,
  type DomainError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';

/**
 * The one rule from an error to an HTTP status, used for GraphQL error extensions and REST bodies
 * alike. A code with a status of its own wins (a tenant backend that refused us is a bad gateway,
 * one that did not answer is unavailable); otherwise the kind of error decides.
 */
const BY_CODE: Record<string, number> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TENANT_BACKEND_REFUSED: 502,
  TENANT_BACKEND_UNAVAILABLE: 503,
  SECRET_UPDATE_FAILED: 503,
  DATABASE_UNAVAILABLE: 503,
  PG_DUMP_UNAVAILABLE: 503,
};

/** What a 503 asks the caller to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** Error kinds by the GraphQL type name they are served as. */
const BY_KIND: Record<string, number> = {
  ValidationError: 400,
  NotFoundError: 404,
  ConflictError: 409,
  DependencyError: 502,
  BaseError: 422,
};

/** The GraphQL type name a domain error is served as (schema/errors.ts registers each). */
export function errorKindOf(error: DomainError): string {
  if (error instanceof ValidationError) return 'ValidationError';
  if (error instanceof NotFoundError) return 'NotFoundError';
  if (error instanceof ConflictError) return 'ConflictError';
  if (error instanceof DependencyError) return 'DependencyError';
  return 'BaseError';
}

/** The status for an error's code and kind; undefined when neither is known (not a domain error). */
export function httpStatusOf(code: string | undefined, kind?: string): number | undefined {
  return (code !== undefined ? BY_CODE[code] : undefined) ?? (kind !== undefined ? BY_KIND[kind] : undefined);
}
