import { cloneObject } from './json.ts';
import { type KubeObject, prepareCreate, prepareUpdate } from './objects.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch.ts';
import { type ResourceType, resourceByKind } from './resources.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors.ts';
import { badRequest, notFound, StatusError, successStatus, unsupportedMediaType } from './status.ts';
import type { DeletePreconditions, ObjectStore } from './store.ts';

/** What the request handlers share. */
export interface ApiContext {
  store: ObjectStore;
  /** When false, creating into a missing namespace creates that Namespace instead of answering 404. */
  strictNamespaces: boolean;
}

/** A request for a resource, already routed. */
export interface ResourceRequest {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  query: URLSearchParams;
  body?: unknown;
  contentType?: string;
}

export interface ApiResult {
  code: number;
  body: unknown;
}

function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

/** Parses `labelSelector` and `fieldSelector`; bad syntax is a 400 like on the real server. */
export function selectorsOf(rt: ResourceType, query: URLSearchParams) {
  try {
    return {
      labels: parseLabelSelector(query.get('labelSelector')),
      fields: parseFieldSelector(query.get('fieldSelector'), [
        'metadata.name',
        'metadata.namespace',
        ...rt.fieldSelectors,
      ]),
    };
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
}

interface ContinueToken {
  after: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString()) as ContinueToken;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

/** The objects of a list request after namespace and selector filtering, in storage order. */
export function matchingObjects(ctx: ApiContext, req: ResourceRequest): KubeObject[] {
  const { labels, fields } = selectorsOf(req.rt, req.query);
  return ctx.store
    .list(req.rt, req.namespace)
    .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
}

/** GET on a collection: a `<Kind>List` with `limit`/`continue` paging. Items carry no kind, as on the wire. */
export function listObjects(ctx: ApiContext, req: ResourceRequest): ApiResult {
  const rv = String(ctx.store.resourceVersion);
  let items = matchingObjects(ctx, req);
  const cont = req.query.get('continue');
  if (cont) {
    const { after } = decodeContinue(cont);
    items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
  }
  const limit = Number(req.query.get('limit') ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    metadata.continue = encodeContinue({ after: `${last.metadata.namespace ?? ''}/${last.metadata.name}` });
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  for (const item of items) {
    delete item.apiVersion;
    delete item.kind;
  }
  return { code: 200, body: { kind: `${req.rt.kind}List`, apiVersion: req.rt.apiVersion, metadata, items } };
}

/** GET on one object. */
export function getObject(ctx: ApiContext, req: ResourceRequest): KubeObject {
  const obj = ctx.store.get(req.rt, req.namespace, req.name!);
  if (!obj) throw notFound(req.rt, req.name!);
  return obj;
}

function ensureNamespace(ctx: ApiContext, namespace: string): void {
  const nsType = resourceByKind('Namespace');
  if (ctx.store.get(nsType, undefined, namespace)) return;
  if (ctx.strictNamespaces) throw notFound(nsType, namespace);
  ctx.store.create(nsType, prepareCreate(nsType, { metadata: { name: namespace } }, undefined));
}

/** POST on a collection. */
export function createObject(ctx: ApiContext, req: ResourceRequest): ApiResult {
  const obj = prepareCreate(req.rt, req.body, req.namespace);
  if (isDryRun(req.query)) return { code: 201, body: obj };
  if (req.rt.namespaced) ensureNamespace(ctx, req.namespace!);
  return { code: 201, body: ctx.store.create(req.rt, obj) };
}

function commitUpdate(ctx: ApiContext, req: ResourceRequest, next: KubeObject): ApiResult {
  if (isDryRun(req.query)) return { code: 200, body: next };
  return { code: 200, body: ctx.store.update(req.rt, next) };
}

/** PUT on an object or its `status` subresource. */
export function replaceObject(ctx: ApiContext, req: ResourceRequest, subresource?: 'status'): ApiResult {
  const current = getObject(ctx, req);
  return commitUpdate(ctx, req, prepareUpdate(req.rt, current, req.body, subresource));
}

/**
 * Applies a PATCH body by its media type: merge, strategic merge or JSON patch.
 * @throws StatusError 415 for other media types (server-side apply is not simulated), 400/422 on failure.
 */
export function applyPatchBody(contentType: string | undefined, target: unknown, patch: unknown): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim();
  try {
    switch (type) {
      case 'application/merge-patch+json':
        return applyMergePatch(target, patch);
      case 'application/strategic-merge-patch+json':
        return applyStrategicMergePatch(target, patch);
      case 'application/json-patch+json':
        return applyJsonPatch(target, patch);
      default:
        throw unsupportedMediaType(type);
    }
  } catch (err) {
    if (err instanceof PatchError) {
      if (err.malformed) throw badRequest(err.message);
      throw new StatusError(422, 'Invalid', err.message);
    }
    throw err;
  }
}

/** PATCH on an object or its `status` subresource. */
export function patchObject(ctx: ApiContext, req: ResourceRequest, subresource?: 'status'): ApiResult {
  const current = getObject(ctx, req);
  const patched = applyPatchBody(req.contentType, current, req.body);
  return commitUpdate(ctx, req, prepareUpdate(req.rt, current, patched, subresource));
}

function deleteOptions(body: unknown): DeletePreconditions {
  if (!body || typeof body !== 'object') return {};
  const pre = (body as { preconditions?: DeletePreconditions }).preconditions;
  return pre && typeof pre === 'object' ? pre : {};
}

/** DELETE on an object: gone at once; pods, services and namespaces answer with the object. */
export function deleteObject(ctx: ApiContext, req: ResourceRequest): ApiResult {
  const current = getObject(ctx, req);
  const deleted = isDryRun(req.query)
    ? current
    : ctx.store.delete(req.rt, req.namespace, req.name!, deleteOptions(req.body));
  if (req.rt.returnsDeletedObject) return { code: 200, body: deleted };
  return { code: 200, body: successStatus(req.rt, req.name!, current.metadata.uid) };
}

/** DELETE on a collection: removes what the selectors match and lists it. */
export function deleteCollection(ctx: ApiContext, req: ResourceRequest): ApiResult {
  const deleted: KubeObject[] = [];
  for (const obj of matchingObjects(ctx, req)) {
    if (!isDryRun(req.query)) ctx.store.delete(req.rt, obj.metadata.namespace, obj.metadata.name!);
    deleted.push(cloneObject(obj));
  }
  return {
    code: 200,
    body: {
      kind: `${req.rt.kind}List`,
      apiVersion: req.rt.apiVersion,
      metadata: { resourceVersion: String(ctx.store.resourceVersion) },
      items: deleted,
    },
  };
}
