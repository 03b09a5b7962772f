import type { ResourceType } from './resources.ts';

/** One entry of `details.causes` in a Status, as the API server reports field errors. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

/** The `meta/v1 Status` object the API server returns for every error and for most deletes. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that the HTTP layer turns into a `Status` body with the same code. */
export class StatusError extends Error {
  readonly status: StatusObject;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
}

// The server names resources as `plural.group` in messages and `kind: plural` in details.
function qualified(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

function resourceDetails(rt: ResourceType, name: string): StatusDetails {
  return rt.group ? { name, group: rt.group, kind: rt.plural } : { name, kind: rt.plural };
}

/** 404 for a named object that does not exist. */
export function notFound(rt: ResourceType, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualified(rt)} "${name}" not found`, resourceDetails(rt, name));
}

/** 409 for a create whose name is taken. */
export function alreadyExists(rt: ResourceType, name: string): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${qualified(rt)} "${name}" already exists`,
    resourceDetails(rt, name),
  );
}

/** 409 for a write with a stale resourceVersion or failed precondition. */
export function conflict(rt: ResourceType, name: string, why?: string): StatusError {
  const reason =
    why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(rt)} "${name}": ${reason}`,
    resourceDetails(rt, name),
  );
}

/** 422 with field causes; note the real server puts the Kind (not the plural) in details here. */
export function invalid(rt: ResourceType, name: string, causes: StatusCause[]): StatusError {
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`;
  const details: StatusDetails = rt.group
    ? { name, group: rt.group, kind: rt.kind, causes }
    : { name, kind: rt.kind, causes };
  return new StatusError(422, 'Invalid', `${rt.kind} "${name}" is invalid: ${list}`, details);
}

/** 400 for a request the server cannot interpret. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

/** 404 for a path that names no resource. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource');
}

/** 405 for a verb the resource does not support. */
export function methodNotAllowed(method: string): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}

/**
 * 415 for a body media type the endpoint does not accept. Protobuf gets a hint, because kubectl's
 * imperative generators (`kubectl create secret|configmap|job …`) send it and the simulator only
 * speaks JSON.
 */
export function unsupportedMediaType(contentType: string): StatusError {
  const hint = contentType.includes('protobuf')
    ? '; kube-sim speaks JSON only: use `kubectl create … --dry-run=client -o yaml | kubectl apply -f -`'
    : '';
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json (got ${contentType})${hint}`,
  );
}

/** The watch ERROR payload for a resourceVersion older than the kept history (HTTP 410 semantics). */
export function expired(requested: number, oldest: number): StatusError {
  return new StatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** The Success Status returned by deletes of objects that are gone at once. */
export function successStatus(rt: ResourceType, name: string, uid: string | undefined): StatusObject {
  const details = resourceDetails(rt, name);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: uid ? { ...details, uid } : details,
    code: 200,
  };
}
