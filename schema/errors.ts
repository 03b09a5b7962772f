import {
  ConflictError,
  DependencyError,
  DomainError,
  NotFoundError,
  ValidationError,
} from '../server/domain/errors.ts';
import { builder } from './builder.ts';

/** Every error a mutation can return as data carries a stable code and a message an operator can act on. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(DomainError, {
  name: 'BaseError',
  interfaces: [ErrorInterface],
});

const FieldIssue = builder.objectRef<{ path: string; message: string }>('FieldIssue').implement({
  fields: (t) => ({
    path: t.exposeString('path', { description: 'The field that is wrong, dotted for nested input.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.field({ type: [FieldIssue], resolve: (e) => e.issues }),
  }),
});

builder.objectType(NotFoundError, { name: 'NotFoundError', interfaces: [ErrorInterface] });
builder.objectType(ConflictError, { name: 'ConflictError', interfaces: [ErrorInterface] });
builder.objectType(DependencyError, {
  name: 'DependencyError',
  description:
    'Something the control plane depends on (a tenant backend, the cluster) failed or refused; nothing the caller sent was wrong. The message says in what state it left things.',
  interfaces: [ErrorInterface],
});
