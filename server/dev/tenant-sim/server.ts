import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { databaseUnavailability } from '../../db/unavailable.ts';
import type { Logger } from '../../log.ts';
import { bearerToken, isAuthorized } from './auth.ts';
import type { Faults } from './faults.ts';
import { ROUTES } from './handlers.ts';
import type { PoolCache } from './pools.ts';
import type { ResolutionCache } from './resolution-cache.ts';

export type SimServerOptions = {
  tenants: ResolutionCache;
  pools: PoolCache;
  faults: Faults;
  now: () => Date;
  version: string;
  /** Aborted when the simulator stops, to cut injected delays short. */
  stopping: AbortSignal;
  logger?: Logger;
  /** Renews a license token: the renewed token, or undefined when it is not one this issuer signed. */
  renewLicense?: ((token: string) => Promise<string | undefined>) | undefined;
};

const MAX_BODY_BYTES = 64 * 1024;
const TENANT_PATH = /^\/t\/([^/]+)(\/cp\/v1\/.*)$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
) {
  send(res, status, { error: { code, message } }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON body (undefined when empty), or a 400 for text that is not JSON. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Where the simulator renews licenses (its issuer's stand-in); faults apply under {@link RENEWAL_FAULTS}. */
export const RENEWAL_PATH = '/license/renew';
/** The pseudo-slug whose faults affect the renewal endpoint: `faults.set(RENEWAL_FAULTS, {...})`. */
export const RENEWAL_FAULTS = '@license-renewal';

/**
 * The simulator's HTTP front: `/t/{slug}/cp/v1/...` for any tenant the resolver knows. Order of
 * checks: route, injected fault, tenant (404), token (401, after one fresh resolution), body (400).
 */
export function createSimServer(o: SimServerOptions): Server {
  const log = o.logger;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://tenant-sim').pathname;
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === RENEWAL_PATH && o.renewLicense) return renew(req, res, o.renewLicense);
    const match = TENANT_PATH.exec(path);
    const route = match && Object.hasOwn(ROUTES, match[2]!) ? ROUTES[match[2]!] : undefined;
    if (!match || !route) return sendError(res, 404, 'NOT_FOUND', `no route ${method} ${path}`);
    let slug: string;
    try {
      slug = decodeURIComponent(match[1]!);
    } catch {
      return sendError(res, 400, 'BAD_REQUEST', 'the tenant slug is not valid URL encoding');
    }
    const handler = Object.hasOwn(route, method) ? route[method] : undefined;
    if (!handler)
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${match[2]}`, {
        allow: Object.keys(route).join(', '),
      });
    const endpoint = `${method} ${match[2]}`;

    const fault = o.faults.take(slug, endpoint);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: o.stopping }).catch(() => {});
      if (fault.down || o.stopping.aborted) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined)
        return sendError(res, fault.status, 'FAULT_INJECTED', `fault injected for tenant ${slug}`);
    }

    const body = parseJson(method === 'PUT' || method === 'POST' ? await readBody(req) : '');
    const resolve = (fresh: boolean) =>
      (fresh ? o.tenants.refresh(slug) : o.tenants.get(slug)).catch((error: unknown) => {
        log?.warn({ err: error, slug }, 'tenant-sim could not resolve a tenant');
        throw new HttpError(503, 'TENANT_UNAVAILABLE', `tenant ${slug} cannot be resolved right now`);
      });
    let tenant = await resolve(false);
    const token = bearerToken(req.headers.authorization);
    for (let round = 0; ; round++) {
      if (!tenant) return sendError(res, 404, 'TENANT_NOT_FOUND', `no tenant ${slug}`);
      if (!token) break;
      const current = tenant;
      const reply = await o.pools.use(current.databaseUrl, async (db) => {
        const now = o.now();
        if (!(await isAuthorized(db, current, token, now))) return undefined;
        if (!body.ok)
          return {
            status: 400,
            body: { error: { code: 'VALIDATION_FAILED', message: 'body: not valid JSON' } },
          };
        return handler({ db, tenant: current, now, version: o.version, body: body.value });
      });
      if (reply) return send(res, reply.status, reply.body);
      // The token may be newer than our cached copy of the tenant's Secret: look again, once.
      if (round === 1) break;
      tenant = await resolve(true);
    }
    sendError(
      res,
      401,
      'UNAUTHENTICATED',
      token ? `the bearer token is not valid for tenant ${slug}` : 'a bearer token is required',
      { 'www-authenticate': 'Bearer' },
    );
  }

  async function renew(
    req: IncomingMessage,
    res: ServerResponse,
    sign: (token: string) => Promise<string | undefined>,
  ) {
    if (req.method !== 'POST')
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'POST only', { allow: 'POST' });
    const fault = o.faults.take(RENEWAL_FAULTS, `POST ${RENEWAL_PATH}`);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: o.stopping }).catch(() => {});
      if (fault.down || o.stopping.aborted) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined)
        return sendError(res, fault.status, 'FAULT_INJECTED', 'fault injected for renewal');
    }
    const token = bearerToken(req.headers.authorization);
    const renewed = token ? await sign(token) : undefined;
    if (!renewed) {
      return sendError(res, 401, 'UNAUTHENTICATED', 'the bearer token is not a license this issuer signed', {
        'www-authenticate': 'Bearer',
      });
    }
    send(res, 200, { license: renewed });
  }

  return createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () =>
      log?.debug(
        {
          method: req.method,
          path: req.url,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'tenant-sim request',
      ),
    );
    serve(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      const unavailable = databaseUnavailability(error);
      if (unavailable) {
        log?.warn({ err: error, path: req.url }, 'tenant database unavailable');
        return sendError(
          res,
          503,
          'TENANT_DATABASE_UNAVAILABLE',
          unavailable.replace('the database', 'the tenant database'),
        );
      }
      log?.error({ err: error, path: req.url }, 'tenant-sim request failed');
      sendError(res, 500, 'INTERNAL', 'internal error');
    });
  });
}
