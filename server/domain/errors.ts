/**
 * Errors the domain throws. Each has a stable `code` that the GraphQL schema exposes and the REST
 * layer maps to an HTTP status; messages say what is wrong in words an operator can act on and
 * never contain secret values.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    message: string,
    readonly code: string = 'ERROR',
  ) {
    super(message);
  }
}

export type FieldIssue = { path: string; message: string };

export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message, 'VALIDATION_FAILED');
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(message: string, code = 'NOT_FOUND') {
    super(message, code);
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(message: string, code = 'CONFLICT') {
    super(message, code);
  }
}

/**
 * Something the control plane depends on (a tenant backend, the cluster) failed or refused the
 * operation. Nothing the caller sent was wrong; the message says what happened and in what state
 * it left things (e.g. "the old value stays in use").
 */
export class DependencyError extends DomainError {
  override name = 'DependencyError';
  constructor(message: string, code = 'DEPENDENCY_FAILED') {
    super(message, code);
  }
}
