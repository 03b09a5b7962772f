import { createServer, type IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { listen } from '../../server/http/listen.ts';

/** One request to a tenant backend, as the proxy saw it. */
export type ProxiedRequest = {
  slug: string;
  /** e.g. `PUT /cp/v1/admin-password` */
  endpoint: string;
  /** The bearer token the control plane sent. */
  token: string;
  body: string;
};

/** Answers a request in the backend's stead; `undefined` passes it on to the backend. */
export type Interceptor = (req: ProxiedRequest) => { status: number; body: unknown } | undefined;

export type TenantProxy = {
  /** The control plane's TENANT_API_URL. */
  baseUrlTemplate: string;
  /** Where requests go when nothing intercepts them (a tenant simulator's URL); set once it runs. */
  target: string | undefined;
  /** Makes the backend misbehave in ways the simulator's faults cannot, e.g. echo what it was sent. */
  intercept: Interceptor | undefined;
  stop(): Promise<void>;
};

const TENANT_PATH = /^\/t\/([^/]+)(\/cp\/v1\/[^?]*)/;

/**
 * An HTTP proxy in front of a tenant backend, started before the control plane so its URL can be
 * configured, with the backend behind it attached later.
 */
export async function startTenantProxy(): Promise<TenantProxy> {
  const proxy: TenantProxy = {
    baseUrlTemplate: '',
    target: undefined,
    intercept: undefined,
    stop: async () => {},
  };
  const server = createServer(async (req: IncomingMessage, res) => {
    const body = await text(req);
    const [, slug = '', path = ''] = TENANT_PATH.exec(req.url ?? '') ?? [];
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const answer = proxy.intercept?.({ slug, endpoint: `${req.method} ${path}`, token, body });
    if (answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    if (!proxy.target) {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"code":"NO_BACKEND","message":"not yet"}}');
      return;
    }
    try {
      const upstream = await fetch(`${proxy.target}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(
          ['authorization', 'content-type', 'accept'].flatMap((h) =>
            typeof req.headers[h] === 'string' ? [[h, req.headers[h] as string]] : [],
          ),
        ),
        body: body === '' ? undefined : body,
      });
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'retry-after']) {
        const v = upstream.headers.get(h);
        if (v) headers[h] = v;
      }
      res.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.destroy();
    }
  });
  const { url } = await listen(server, 0, '127.0.0.1');
  proxy.baseUrlTemplate = `${url}/t/{slug}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
