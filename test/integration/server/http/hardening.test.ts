import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CookieJar, loginThroughDevIssuer } from '../../../support/browser-flow.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { gql, rest, startTestServer, type TestServer, useTestServer } from '../../../support/server.ts';
import { collect, wsClient } from '../../../support/ws.ts';

const REVEAL = 'mutation ($slug: String!) { revealTenantAdminPassword(slug: $slug) { __typename } }';

describe('the HTTP surface refuses what it should', () => {
  const server = useTestServer({ CORS_ORIGINS: 'https://admin.example.com' });

  it('answers no CORS to an origin that is not listed: no allow-origin, no credentials', async () => {
    for (const origin of ['https://evil.example', `${server.url}.evil.example`, 'http://localhost:1']) {
      const preflight = await fetch(`${server.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-graphql-yoga-csrf',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials'), origin).toBeNull();
      const post = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', ...server.headers },
        body: JSON.stringify({ query: REVEAL, variables: { slug: 'x' } }),
      });
      expect(post.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('answers CORS with credentials to an origin CORS_ORIGINS lists', async () => {
    const preflight = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://admin.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses a cookie-authenticated WebSocket from another origin, and takes one from its own', async () => {
    const jar = new CookieJar();
    await loginThroughDevIssuer(jar, server.url, 'ws-origin');
    const cookie = jar.header(server.url);
    const socketFrom = async (origin: string) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: { cookie, origin },
      });
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init' }));
      const outcome = await Promise.race([
        once(socket, 'message').then(([data]) => `message:${JSON.parse(String(data)).type}`),
        once(socket, 'close').then(([code]) => `close:${code}`),
      ]);
      socket.close();
      return outcome;
    };
    expect(await socketFrom('https://evil.example')).toBe('close:4403');
    expect(await socketFrom(new URL(server.url).origin)).toBe('message:connection_ack');
  });

  it.each([
    ['GET', '/tenants/%ZZ'],
    ['GET', '/tenants/a%00b'],
    ['GET', '/tenants?search=a%00b'],
    ['GET', '/ui/%ZZ'],
  ])('answers %s %s with 400, not 500', async (method, path) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: server.headers });
    expect(res.status).toBe(400);
  });

  it('answers a NUL in a JSON body or in GraphQL variables with 400', async () => {
    const body = await rest(
      server,
      'PUT',
      '/settings/alerts',
      '{"alert_email":"a\\u0000@example.com"}',
      server.headers,
    );
    expect(body.status).toBe(400);
    expect(body.body.error.message).toMatch(/NUL/);
    const res = await gql(server, 'query ($s: String) { tenants(search: $s) { edges { cursor } } }', {
      s: 'a\u0000',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('a malformed cookie counts as no cookie rather than failing the request', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'cp_session=%ZZ', ...server.headers },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(res.status).toBe(200);
  });

  it('answers malformed JSON without the parser’s internals', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: '{"query": "{ __typename }"',
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).not.toMatch(/originalError|stack/);
  });

  it('answers a subscription with a syntax error alone; the socket and its other subscriptions live on', async () => {
    const client = wsClient(server.url, server.connectionParams);
    const good = collect(client, 'subscription { auditEvents { action } }');
    const bad = collect(client, 'subscription { auditEvents { action ');
    await expect.poll(() => bad.failure, { timeout: 5000 }).toBeTruthy();
    expect(JSON.stringify(bad.failure)).toMatch(/Syntax Error/);
    await rest(server, 'PUT', '/settings/alerts', { daily_reports: true }, server.headers);
    await good.waitFor(1);
    expect(good.failure).toBeUndefined();
    good.stop();
    await client.dispose();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers, ...headers },
      body,
    });
  const errorOf = async (res: Response) =>
    ((await res.json()) as { errors: { message: string; extensions?: { code?: string } }[] }).errors[0]!;

  it('refuses a body over 1 MiB before reading it, whoever sends it', async () => {
    const query = `{ ${Array.from({ length: 200_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const started = performance.now();
    const res = await post(JSON.stringify({ query }), { authorization: '' });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  /** Writes `text` on a socket of its own and reads everything that comes back until the server closes it. */
  async function rawHttp(text: string) {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.end(text);
    let answer = '';
    for await (const chunk of socket) answer += String(chunk);
    return answer;
  }
  const json = JSON.stringify({ query: '{ __typename }' });
  const postHead = (...head: string[]) =>
    [
      'POST /graphql HTTP/1.1',
      'host: localhost',
      'content-type: application/json',
      `authorization: ${server.headers.authorization}`,
      ...head,
      '',
      '',
    ].join('\r\n');

  it('refuses a body sent without a Content-Length (chunked): yoga is never handed an unbounded body', async () => {
    const chunked = `${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`;
    const answer = await rawHttp(`${postHead('transfer-encoding: chunked', 'connection: close')}${chunked}`);
    expect(answer).toMatch(/^HTTP\/1\.1 411 /);
    expect(answer).toContain('LENGTH_REQUIRED');
  });

  it('reads a body to its Content-Length and no further: what follows is the next request', async () => {
    const next = 'GET /healthz HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n';
    const answer = await rawHttp(`${postHead(`content-length: ${json.length}`)}${json}${next}`);
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d+) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200']);
    expect(answer).toContain('{"data":{"__typename":"Query"}}');
    expect(answer).toContain('{"status":"ok"}');
  });

  it.each([
    [
      'too many tokens',
      `{ ${Array.from({ length: 3000 }, () => '__typename').join(' ')} }`,
      /Token limit of 2000/,
    ],
    [
      '2,000 levels of nesting',
      `${'{ a: tenants { edges { node '.repeat(300)}${'} } } '.repeat(300)}`,
      /Token limit|Syntax Error/,
    ],
    [
      'too deep',
      `{ tenants { edges { node ${'{ operation { tenant '.repeat(8)}{ slug }${' } }'.repeat(8)} } } }`,
      /Query depth limit of 14/,
    ],
    [
      'too many aliases',
      `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { email }`).join(' ')} }`,
      /Aliases limit of 30/,
    ],
    [
      'too many directives',
      `{ me @include(if: true) ${'@skip(if: false) '.repeat(25)} { email } }`,
      /Directives limit of 20/,
    ],
  ])('refuses %s with a 400 naming the limit, before executing', async (_what, query, message) => {
    const res = await post(JSON.stringify({ query }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(message);
  });

  it('refuses a request whose lists would fetch too much: REQUEST_TOO_LARGE, naming the complexity', async () => {
    const page =
      'tenants(first: 500) { edges { node { slug operation { steps { name state } } database { connections } } } }';
    const res = await post(
      JSON.stringify({ query: `{ a: ${page} b: ${page} c: ${page} d: ${page} e: ${page} }` }),
    );
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.extensions?.code).toBe('REQUEST_TOO_LARGE');
    expect(error.message).toMatch(/its complexity is \d+, the most allowed is 60000/);
    // The largest page the REST door serves, with every field it selects, is allowed.
    expect((await rest(server, 'GET', '/tenants?first=500', undefined, server.headers)).status).toBe(200);
  });

  it('answers a cheap query quickly while the largest allowed document runs', async () => {
    const largest = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: tenants(first: 500) { edges { node { slug name } } }`).join(' ')} }`;
    const running = post(JSON.stringify({ query: largest }));
    const started = performance.now();
    const cheap = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(cheap.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await running).status).toBe(200);
  });

  it('lets a viewer revoke their own API token', async () => {
    const created = await rest(
      server,
      'POST',
      '/me/tokens',
      { name: 'mine', expires_in_days: 1 },
      server.viewerHeaders,
    );
    expect(created.status).toBe(201);
    const revoked = await rest(
      server,
      'DELETE',
      `/me/tokens/${created.body.id}`,
      undefined,
      server.viewerHeaders,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
  });
});

/** A TCP pass-through to PostgreSQL that a test can cut, as a network or database outage would. */
async function pgProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let listening = false;
  const open = async () => {
    if (listening) return;
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', resolve);
    });
    port = (server.address() as { port: number }).port;
    listening = true;
  };
  await open();
  return {
    url(databaseUrl: string) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cut() {
      listening = false;
      server?.close();
      for (const s of sockets) s.destroy();
    },
    restore: open,
  };
}

describe('the control plane database goes away', () => {
  let database: TestDatabase;
  let server: TestServer | undefined;
  let proxy: Awaited<ReturnType<typeof pgProxy>> | undefined;
  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await server?.stop();
    proxy?.cut();
    await database?.drop();
  });

  it('answers 503 with Retry-After on GraphQL and REST, and serves again when it is back', async () => {
    database = await createTestDatabase();
    proxy = await pgProxy(new URL(database.url));
    server = await startTestServer(proxy.url(database.url));
    expect((await gql(server, '{ alertSettings { dailyReports } }')).status).toBe(200);
    proxy.cut();

    const viaGraphql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({ query: '{ alertSettings { dailyReports } }' }),
    });
    expect(viaGraphql.status).toBe(503);
    expect(viaGraphql.headers.get('retry-after')).toBe('5');
    const body = (await viaGraphql.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('DATABASE_UNAVAILABLE');

    const viaRest = await fetch(`${server.url}/settings/alerts`, { headers: server.headers });
    expect(viaRest.status).toBe(503);
    expect(viaRest.headers.get('retry-after')).toBe('5');
    expect(((await viaRest.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    await proxy.restore();
    await expect
      .poll(async () => (await gql(server!, '{ alertSettings { dailyReports } }')).status, {
        timeout: 10_000,
      })
      .toBe(200);
  });
});
