import {
  ConflictError,
  DependencyError,
  DomainError,
  NotFoundError,
  ValidationError,
} from '../server/domain/errors.ts';
import { builder } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description:
    'Every error a mutation can return as data: a stable code and a message an operator can act on. Select it with `... on Error { code message }`.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        'Stable machine-readable code (VALIDATION_FAILED, TENANT_NOT_FOUND, TENANT_EXISTS, …): match on it, not on the message.',
    }),
    message: t.exposeString('message', {
      description:
        'What is wrong, in words an operator can act on. Never holds a secret value; its wording may change between releases.',
    }),
  }),
});

builder.objectType(DomainError, {
  name: 'BaseError',
  description:
    'A refusal by the control plane that none of the other error types describes; code says which (REST: 422).',
  interfaces: [ErrorInterface],
});

const FieldIssue = builder.objectRef<{ path: string; message: string }>('FieldIssue').implement({
  description: 'One thing wrong with the input of a mutation.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'The field that is wrong, dotted for nested input.' }),
    message: t.exposeString('message', { description: 'What is wrong with it, and what is accepted.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input is invalid and nothing was changed. code is VALIDATION_FAILED (REST: 400).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.field({
      type: [FieldIssue],
      description: 'One entry per wrong field; empty when the input is wrong as a whole.',
      resolve: (e) => e.issues,
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description:
    'What the input names does not exist: TENANT_NOT_FOUND, TOKEN_NOT_FOUND, SECRET_NOT_SET, … (REST: 404).',
  interfaces: [ErrorInterface],
});
builder.objectType(ConflictError, {
  name: 'ConflictError',
  description:
    'The current state does not allow this, and nothing was changed: TENANT_EXISTS, TENANT_NOT_ACTIVE, ROTATION_IN_PROGRESS, … (REST: 409).',
  interfaces: [ErrorInterface],
});
builder.objectType(DependencyError, {
  name: 'DependencyError',
  description:
    'Something the control plane depends on (a tenant backend, the cluster) failed or refused; nothing the caller sent was wrong. The message says in what state it left things (REST: 502, or 503 when a backend is unavailable).',
  interfaces: [ErrorInterface],
});

type ErrorClass = new (...args: never[]) => DomainError;

/** The error types every mutation can return, besides its own (the errors plugin's default types). */
const ALWAYS: ErrorClass[] = [DependencyError, DomainError];

const TYPE_NAME = new Map<ErrorClass, string>([
  [ValidationError, 'ValidationError'],
  [NotFoundError, 'NotFoundError'],
  [ConflictError, 'ConflictError'],
  [DependencyError, 'DependencyError'],
  [DomainError, 'BaseError'],
]);

/**
 * A mutation's `errors` option with its result union, success type and `data` field described: the
 * union lists the error types it can hold, so a client knows which to select without reading the
 * members one by one. `data` says what the success carries.
 */
export function mutationErrors(types: ErrorClass[], data: string) {
  const names = [...types, ...ALWAYS].map((type) => TYPE_NAME.get(type));
  return {
    types,
    union: {
      description: `The mutation's outcome: its success type (data holds the result), or one of ${names.join(', ')}. Every error implements Error { code message }.`,
    },
    result: { description: 'The mutation succeeded; data holds the result.' },
    dataField: { description: data },
  };
}
