import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { schema } from '../../schema/index.ts';
import type { Services } from '../context.ts';
import { ping } from '../db/database.ts';
import { databaseUnavailability } from '../db/unavailable.ts';
import { createBackupDownload, withBackupDownload } from './backup-download.ts';
import { GRAPHIQL_EXAMPLE_TABS } from './graphiql-examples.ts';
import { createGraphiQL } from './graphiql-page.ts';
import { attachGraphQLWs, createGraphQL, type Yoga } from './graphql.ts';
import { listen } from './listen.ts';
import { createMetrics } from './metrics.ts';
import { requestIdOf } from './request-id.ts';
import { MAX_BODY_BYTES, sendJson } from './respond.ts';
import { createRestHandler } from './rest/handler.ts';
import { buildOpenApi } from './rest/openapi.ts';
import { operationNameOf } from './rest/route.ts';
import { restRoutes } from './rest/routes.ts';
import { browserPolicy, setDefaultHeaders } from './security-headers.ts';
import { createStaticUi } from './static-ui.ts';
import { RETRY_AFTER_SECONDS } from './status.ts';

export type App = {
  yoga: Yoga;
  /** Listens; resolves with the bound port (pass 0 for a free one). */
  start(port: number, host?: string): Promise<number>;
  /** Stops accepting, closes WebSockets, lets in-flight requests finish within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** graphql-ws subscriptions receiving events now, and the executions they share. */
  subscriptions(): { subscribers: number; executions: number };
};

const VERSION = process.env.npm_package_version ?? '0.1.0';

/**
 * A GraphQL body is refused before a byte of it is read when it is larger than REST's limit
 * (1 MiB), or when it comes without a length (chunked): yoga would read it whole first.
 */
function bodyRefusal(req: IncomingMessage): { status: number; code: string; message: string } | undefined {
  if (req.method !== 'POST') return undefined;
  const length = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isFinite(length)) {
    return { status: 411, code: 'LENGTH_REQUIRED', message: 'send the request body with a Content-Length' };
  }
  if (length > MAX_BODY_BYTES) {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `the body is over ${MAX_BODY_BYTES} bytes` };
  }
  return undefined;
}

/** Wires the HTTP surface: GraphQL (HTTP and WebSocket), REST, health, metrics and the UI. */
export function buildApp(deps: Services): App {
  const { logger } = deps;
  const metrics = createMetrics({
    signIn: () => deps.auth.signIn().state,
    schema,
    documents: restRoutes.map((r) => operationNameOf(r.document)),
  });
  const yoga = createGraphQL(deps, metrics);
  const rest = createRestHandler(yoga, restRoutes, deps.auth);
  const backupDownload = createBackupDownload(deps, deps.auth);
  const policy = browserPolicy({
    publicUrl: deps.config.publicUrl,
    issuerUrl: deps.config.auth.issuer?.url,
  });
  const serveUi = createStaticUi(deps.config.uiDistDir, policy.ui);
  const serveGraphiQL = deps.config.graphiql
    ? createGraphiQL(
        {
          title: 'JustIAM Control Plane',
          subscriptionsProtocol: 'WS',
          defaultTabs: GRAPHIQL_EXAMPLE_TABS,
          endpoint: '/graphql',
        },
        policy.graphiql,
      )
    : undefined;
  const openapi = JSON.stringify(withBackupDownload(buildOpenApi(restRoutes, VERSION)));
  let stopping = false;

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const path = url.pathname;
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return path;
    }
    if (path === '/readyz') {
      const database = await ping(deps.db).then(
        () => true,
        () => false,
      );
      // Ready once every part that serves requests has started; sign-in counts as started when
      // its first discovery has ended, even if the identity provider did not answer: API traffic
      // is served either way, and the sign-in state is reported beside it.
      const signIn = deps.auth.signIn();
      const ok = !stopping && database && signIn.state !== 'pending';
      sendJson(res, ok ? 200 : 503, {
        status: ok ? 'ready' : stopping ? 'stopping' : !database ? 'database unreachable' : 'starting',
        signIn: {
          state: signIn.state,
          issuer: signIn.issuer,
          ...(signIn.problem ? { problem: signIn.problem } : {}),
        },
        // Informational: only the leader runs informers, so their state never decides readiness.
        leader: deps.leadership.isLeader(),
        informers: deps.workloads.status(),
      });
      return path;
    }
    if (path === '/metrics') {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      return path;
    }
    if (path === '/openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(openapi);
      return path;
    }
    const graphiqlRoute = await serveGraphiQL?.(req, res, path);
    if (graphiqlRoute) return graphiqlRoute;
    if (path === '/graphql') {
      const refused = bodyRefusal(req);
      if (refused)
        sendJson(res, refused.status, {
          errors: [{ message: refused.message, extensions: { code: refused.code } }],
        });
      else await yoga.requestListener(req, res);
      return path;
    }
    const authRoute = await deps.auth.handle(req, res, url);
    if (authRoute) return authRoute;
    if (path === '/') {
      res.writeHead(302, { location: '/ui/' }).end();
      return path;
    }
    if (path === '/ui' || path.startsWith('/ui/')) {
      await serveUi(req, res, path);
      return '/ui';
    }
    const downloadRoute = await backupDownload(req, res, url);
    if (downloadRoute) return downloadRoute;
    const restRoute = await rest(req, res, url);
    if (restRoute) return restRoute;
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${path}` } });
    return 'unmatched';
  }

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    // Read now: a mounted handler (the dev issuer) may rewrite req.url.
    const requestPath = req.url?.split('?')[0];
    res.setHeader('x-request-id', requestId);
    setDefaultHeaders(res, policy);
    let routeLabel = 'unmatched';
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      routeLabel = await route(req, res, url);
    } catch (error) {
      const outage = databaseUnavailability(error);
      if (outage) logger.warn({ err: error, requestId }, 'request failed: database unavailable');
      else logger.error({ err: error, requestId }, 'request failed');
      if (res.headersSent) res.destroy();
      else if (outage) {
        sendJson(
          res,
          503,
          { error: { code: 'DATABASE_UNAVAILABLE', message: `${outage}; try again shortly` } },
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      } else sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' } });
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const labels = { method: req.method ?? 'GET', route: routeLabel };
      res.once('finish', () => {
        metrics.httpRequests.inc({ ...labels, status: String(res.statusCode) });
        metrics.httpDuration.observe(labels, seconds);
        if (routeLabel !== '/healthz' && routeLabel !== '/metrics') {
          logger.info(
            {
              requestId,
              method: req.method,
              path: requestPath,
              status: res.statusCode,
              ms: Math.round(seconds * 1000),
            },
            'request',
          );
        }
      });
    }
  });

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const ws = attachGraphQLWs(yoga, wss, deps, metrics);
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/graphql' || stopping) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    requestIdOf(req);
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  });

  return {
    yoga,
    subscriptions: () => ws.subscriptions(),
    start: async (port, host = '0.0.0.0') => (await listen(server, port, host)).port,
    async stop(timeoutMs = 8000) {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await ws.dispose();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      server.closeIdleConnections();
      const deadline = setTimeout(() => {
        logger.warn({ open: sockets.size }, 'shutdown deadline reached; closing remaining connections');
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }, timeoutMs);
      await closed;
      clearTimeout(deadline);
    },
  };
}
