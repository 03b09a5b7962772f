import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevIssuer } from '../../../../server/dev/oidc-issuer.ts';
import { createLogger } from '../../../../server/log.ts';
import { CookieJar, loginThroughDevIssuer } from '../../../support/browser-flow.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { eventually } from '../../../support/kube.ts';
import { freePort } from '../../../support/ports.ts';
import { spawnServer } from '../../../support/process.ts';
import { gql, startTestServer, type TestServer } from '../../../support/server.ts';

/**
 * The identity provider is a dependency of sign-in only: when it is down (refusing or stalling)
 * the control plane starts, serves API tokens, GraphQL and REST, answers sign-in with 503 and a
 * reason, and signs operators in once the provider answers, without a restart.
 */
describe('an identity provider outage', () => {
  const databases: TestDatabase[] = [];
  const servers: TestServer[] = [];
  const closers: (() => void)[] = [];
  afterAll(async () => {
    for (const close of closers) close();
    for (const s of servers) await s.stop();
    for (const d of databases) await d.drop();
  });

  async function controlPlane(env: Record<string, string>) {
    const database = await createTestDatabase();
    databases.push(database);
    const server = await startTestServer(database.url, env);
    servers.push(server);
    return server;
  }

  it('starts without it, keeps serving API tokens, answers sign-in 503, and signs in once it listens', async () => {
    const [cpPort, issuerPort] = await Promise.all([freePort(), freePort()]);
    const cpUrl = `http://127.0.0.1:${cpPort}`;
    const issuer = await createDevIssuer({
      publicUrl: `http://127.0.0.1:${issuerPort}`,
      redirectUri: `${cpUrl}/auth/callback`,
      postLogoutRedirectUri: `${cpUrl}/auth/signed-out`,
      adminGroup: 'justiam-admins',
      logger: createLogger({ level: 'silent' }),
    });
    // Nothing listens on the issuer's port yet.
    const server = await controlPlane({
      PORT: String(cpPort),
      PUBLIC_URL: cpUrl,
      OIDC_ISSUER: issuer.issuer,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_CLIENT_SECRET: issuer.clientSecret,
    });

    const ready = await fetch(`${cpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      signIn: {
        state: 'unavailable',
        issuer: issuer.issuer,
        problem: expect.stringContaining(issuer.issuer),
      },
    });
    expect((await gql(server, '{ me { email } }')).body.data).toEqual({ me: { email: 'admin@test.local' } });
    const login = await fetch(`${cpUrl}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(503);
    expect(login.headers.get('retry-after')).toBeTruthy();
    const answer = (await login.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('SIGN_IN_UNAVAILABLE');
    expect(answer.error.message).toContain(issuer.issuer);
    const page = await fetch(`${cpUrl}/auth/login`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Sign-in is unavailable');
    const metrics = await (await fetch(`${cpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^justiam_cp_sign_in_available 0$/m);

    // The issuer comes up; the retry (at most 2 s after the first failures) finds it.
    const http = createHttpServer((req, res) => void issuer.handle(req, res));
    await new Promise<void>((resolve) => http.listen(issuerPort, '127.0.0.1', resolve));
    closers.push(() => http.close());
    await eventually(
      async () =>
        ((await (await fetch(`${cpUrl}/readyz`)).json()) as { signIn: { state: string } }).signIn.state ===
        'ready',
      15_000,
      'sign-in to become available',
    );
    const jar = new CookieJar();
    const { url } = await loginThroughDevIssuer(jar, cpUrl, 'carol');
    expect(url).toBe(`${cpUrl}/ui/tenants`);
    expect(await (await fetch(`${cpUrl}/metrics`)).text()).toMatch(/^justiam_cp_sign_in_available 1$/m);
  });

  it('starts when the issuer accepts connections but never answers, within the discovery timeout', async () => {
    const sockets = new Set<Socket>();
    const stall = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      for (const s of sockets) s.destroy();
      stall.close();
    });
    const issuerUrl = `http://127.0.0.1:${(stall.address() as { port: number }).port}/oidc`;
    const started = Date.now();
    const server = await controlPlane({ OIDC_ISSUER: issuerUrl, OIDC_CLIENT_ID: 'cp' });
    expect(Date.now() - started).toBeLessThan(15_000);
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { signIn: { state: string } };
    expect(ready.signIn.state).toBe('unavailable');
    expect((await fetch(`${server.url}/auth/login`, { redirect: 'manual' })).status).toBe(503);
    expect((await gql(server, '{ me { email } }')).status).toBe(200);
  });
});

/** From the first moment /readyz says ready, sign-in works: no request in between gets a 500. */
describe('readiness covers sign-in', () => {
  let database: TestDatabase | undefined;
  let child: ReturnType<typeof spawnServer> | undefined;
  afterAll(async () => {
    child?.child.kill('SIGKILL');
    await database?.drop();
  });

  it('answers /auth/login with a redirect from the first 200 of /readyz on', async () => {
    database = await createTestDatabase();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawnServer({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
    });
    const statuses: number[] = [];
    // Poll from before the server listens until it is ready, as a load balancer does.
    await eventually(
      async () => {
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        if (res) statuses.push(res.status);
        return res?.status === 200;
      },
      30_000,
      '/readyz 200',
    );
    const logins = await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(`${url}/auth/login`, { redirect: 'manual' }).then((r) => r.status),
      ),
    );
    expect(new Set(logins)).toEqual(new Set([302]));
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  });
});
