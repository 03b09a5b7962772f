import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import {
  type ApiContext,
  type ApiResult,
  createObject,
  deleteCollection,
  deleteObject,
  getObject,
  listObjects,
  patchObject,
  type ResourceRequest,
  replaceObject,
  selectorsOf,
} from './handlers.ts';
import type { KubeObject } from './objects.ts';
import { openApiV3 } from './openapi.ts';
import {
  coreVersions,
  findResource,
  groupDocument,
  groupList,
  type ResourceType,
  resourceList,
  versionInfo,
} from './resources.ts';
import { handleScale } from './scale.ts';
import { badRequest, methodNotAllowed, pathNotFound, StatusError, unsupportedMediaType } from './status.ts';
import type { ObjectStore } from './store.ts';
import { toTable, wantsTable } from './table.ts';
import { serveWatch } from './watch.ts';

/** What the HTTP front needs. */
export interface ApiServerOptions {
  store: ObjectStore;
  strictNamespaces: boolean;
  bookmarkIntervalMs: number;
  logger?: Logger;
  /** Told of every resource request, as an API server's authorizer sees it. */
  onAccess?: (access: ApiAccess) => void;
}

/**
 * One resource request in the terms of Kubernetes authorization (the attributes RBAC rules match):
 * who (the bearer token; the simulator authenticates no one), verb, API group, resource and
 * subresource, namespace and name.
 */
export interface ApiAccess {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

function verbOf(method: string, route: ResourceRoute, watch: boolean): string {
  if (method === 'GET' || method === 'HEAD') return route.name ? 'get' : watch ? 'watch' : 'list';
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return route.name ? 'delete' : 'deletecollection';
  return method.toLowerCase();
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

interface ResourceRoute {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

/**
 * Maps `/api/v1/...` and `/apis/<group>/<version>/...` to a resource. Handles the legacy
 * `/watch/` prefix and the ambiguity of `namespaces/<ns>/<plural>` vs `namespaces/<name>/status`.
 */
function routeResource(segments: string[]): ResourceRoute | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  const watchPath = rest[0] === 'watch';
  if (watchPath) rest = rest.slice(1);
  const nested =
    rest[0] === 'namespaces' && rest.length >= 3 ? findResource(group, version, rest[2]!) : undefined;
  if (nested?.namespaced && rest.length <= 5) {
    return { rt: nested, namespace: rest[1], name: rest[3], subresource: rest[4], watchPath };
  }
  const rt = findResource(group, version, rest[0] ?? '');
  if (!rt || rest.length > 3) return undefined;
  // A namespaced kind without a namespace is only a cross-namespace collection.
  if (rt.namespaced && rest.length > 1) return undefined;
  return { rt, name: rest[1], subresource: rest[2], watchPath };
}

function discovery(segments: string[], host: string): unknown {
  const path = `/${segments.join('/')}`;
  if (path === '/version') return versionInfo();
  if (path === '/api') return coreVersions(host);
  if (path === '/apis') return groupList();
  if (segments[0] === 'api' && segments.length === 2) return resourceList('', segments[1]!);
  if (segments[0] === 'apis' && segments.length === 2) return groupDocument(segments[1]!);
  if (segments[0] === 'apis' && segments.length === 3) return resourceList(segments[1]!, segments[2]!);
  if (segments[0] === 'openapi' && segments[1] === 'v3') return openApiV3(path);
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  if (!type.endsWith('json') && type !== '*/*') throw unsupportedMediaType(type);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw badRequest(`json parse error: ${(err as Error).message}`);
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function isWatch(route: ResourceRoute, query: URLSearchParams): boolean {
  const w = query.get('watch');
  return route.watchPath || w === 'true' || w === '1';
}

function dispatch(ctx: ApiContext, route: ResourceRoute, req: ResourceRequest, method: string): ApiResult {
  const { subresource } = route;
  if (subresource === 'scale' && route.rt.hasScale && req.name && ['GET', 'PUT', 'PATCH'].includes(method)) {
    return handleScale(ctx, req, method);
  }
  if (subresource === 'status' && route.rt.hasStatus && req.name) {
    if (method === 'GET') return { code: 200, body: getObject(ctx, req) };
    if (method === 'PUT') return replaceObject(ctx, req, 'status');
    if (method === 'PATCH') return patchObject(ctx, req, 'status');
    throw methodNotAllowed(method);
  }
  if (subresource !== undefined) throw pathNotFound();
  if (!req.name) {
    if (method === 'GET') return listObjects(ctx, req);
    if (method === 'POST') return createObject(ctx, req);
    if (method === 'DELETE') return deleteCollection(ctx, req);
    throw methodNotAllowed(method);
  }
  switch (method) {
    case 'GET':
      return { code: 200, body: getObject(ctx, req) };
    case 'PUT':
      return replaceObject(ctx, req);
    case 'PATCH':
      return patchObject(ctx, req);
    case 'DELETE':
      return deleteObject(ctx, req);
    default:
      throw methodNotAllowed(method);
  }
}

/**
 * Creates the HTTP server that speaks the Kubernetes REST API over plain HTTP. Any bearer token
 * is accepted: the simulator has no authentication or authorization.
 */
export function createApiServer(options: ApiServerOptions): Server {
  const ctx: ApiContext = { store: options.store, strictNamespaces: options.strictNamespaces };
  const log = options.logger;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const path = url.pathname;
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (method === 'GET') {
      const doc = discovery(segments, req.headers.host ?? '');
      if (doc) return sendJson(res, 200, doc);
    }
    const route = routeResource(segments);
    if (!route) throw pathNotFound();
    options.onAccess?.({
      user: /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? 'anonymous',
      verb: verbOf(method, route, isWatch(route, url.searchParams)),
      group: route.rt.group,
      resource: route.rt.plural,
      ...(route.subresource ? { subresource: route.subresource } : {}),
      ...(route.namespace ? { namespace: route.namespace } : {}),
      ...(route.name ? { name: route.name } : {}),
    });
    const request: ResourceRequest = {
      rt: route.rt,
      namespace: route.namespace,
      name: route.name,
      query: url.searchParams,
      contentType: req.headers['content-type'],
    };
    if (method === 'GET' && !route.name && isWatch(route, url.searchParams)) {
      const { labels, fields } = selectorsOf(route.rt, url.searchParams);
      const timeout = url.searchParams.get('timeoutSeconds');
      return serveWatch(ctx.store, req, res, {
        rt: route.rt,
        namespace: route.namespace,
        labels,
        fields,
        resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
        timeoutSeconds: timeout ? Number(timeout) : undefined,
        allowBookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
        sendInitialEvents: url.searchParams.get('sendInitialEvents') === 'true',
        table: wantsTable(req.headers.accept)
          ? { includeObject: url.searchParams.get('includeObject') }
          : undefined,
        bookmarkIntervalMs: options.bookmarkIntervalMs,
      });
    }
    if (method !== 'GET' && method !== 'HEAD') request.body = await readBody(req);
    const result = dispatch(ctx, route, request, method);
    // A write is answered only once it is on disk; a read only once what it saw is, so that no
    // client ever acts on a state that a crash could take back.
    await ctx.store.whenDurable();
    if (method === 'GET' && !route.subresource && wantsTable(req.headers.accept)) {
      const body = result.body as KubeObject & { items?: KubeObject[] };
      const objects = route.name ? [body] : (body.items ?? []);
      const rv = String(route.name ? body.metadata.resourceVersion : ctx.store.resourceVersion);
      return sendJson(res, 200, toTable(route.rt, objects, rv, url.searchParams.get('includeObject')));
    }
    sendJson(res, result.code, result.body);
  }

  return createServer((req, res) => {
    const started = Date.now();
    handle(req, res)
      .catch(async (err: unknown) => {
        // A 409 or 404 tells of the state too: it waits for that state to be durable like a read.
        const durable = await ctx.store.whenDurable().then(
          () => undefined,
          (failure: unknown) => failure,
        );
        const cause = durable ?? err;
        const status =
          cause instanceof StatusError
            ? cause.status
            : new StatusError(500, 'InternalError', `Internal error occurred: ${(cause as Error).message}`)
                .status;
        if (status.code >= 500) log?.error({ err: cause, url: req.url }, 'kube-sim request failed');
        if (!res.headersSent) sendJson(res, status.code, status);
        else res.end();
      })
      .finally(() => {
        log?.debug(
          { method: req.method, url: req.url, code: res.statusCode, ms: Date.now() - started },
          'kube-sim',
        );
      });
  });
}
