import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type Config, loadConfig } from '../../server/config.ts';
import { createDb } from '../../server/db/database.ts';
import type { Role } from '../../server/db/schema.ts';
import { upsertOperator } from '../../server/domain/auth/operators.ts';
import { createApiToken } from '../../server/domain/auth/tokens.ts';
import { createEventBus } from '../../server/events/bus.ts';
import { createLogger } from '../../server/log.ts';
import { type ControlPlane, startControlPlane } from '../../server/runtime.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export type TestServer = ControlPlane & {
  logs: string[];
  /** Headers that authenticate as an admin operator; spread them into every HTTP request. */
  headers: Record<string, string>;
  /** graphql-ws connection params that authenticate as an admin operator. */
  connectionParams: Record<string, unknown>;
  /** Headers that authenticate as a viewer. */
  viewerHeaders: Record<string, string>;
};

/**
 * Makes an operator with an API token directly in the database (as the `justiam-cp token create`
 * command does) and returns the token.
 */
export async function operatorToken(
  databaseUrl: string,
  email: string,
  role: Role,
  expiresInDays = 30,
): Promise<string> {
  const { db, pool } = createDb({ url: databaseUrl, max: 2 });
  const bus = createEventBus({
    pool,
    connect: () => new pg.Client({ connectionString: databaseUrl }),
    logger: createLogger({ level: 'silent' }),
  });
  try {
    const now = new Date();
    const operator = await upsertOperator(
      db,
      { issuer: 'local', subject: email, email, name: email, role },
      now,
    );
    const { token } = await createApiToken(
      { db, bus, now: () => now },
      { actor: { kind: 'system', id: 'test', label: 'test' } },
      operator.id,
      { name: `test ${role}`, expiresInDays },
    );
    return token;
  } finally {
    await bus.close();
    await db.destroy();
  }
}

/**
 * Starts a real control plane on a free port against `databaseUrl`, capturing its log lines so
 * tests can assert on them (e.g. that no secret value was logged), with an admin and a viewer
 * API token ready to use.
 */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: { now?: () => Date } = {},
): Promise<TestServer> {
  // Each server gets its own DATA_DIR (kubeconfig, simulator state), never the repository's .data.
  const dataDir = await mkdtemp(join(tmpdir(), 'cp-test-'));
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const cp = await startControlPlane(config, createLogger(config.log, sink), options);
  const admin = await operatorToken(databaseUrl, 'admin@test.local', 'admin');
  const viewer = await operatorToken(databaseUrl, 'viewer@test.local', 'viewer');
  const stop = cp.stop;
  return Object.assign(cp, {
    async stop() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    logs,
    headers: { authorization: `Bearer ${admin}` },
    connectionParams: { authorization: `Bearer ${admin}` },
    viewerHeaders: { authorization: `Bearer ${viewer}` },
  });
}

/** A test server with the database it runs on. */
export type TestServerWithDatabase = TestServer & { database: TestDatabase };

/**
 * The set-up of an integration test file that needs a control plane: its own database and a
 * server on it, started before the file's tests and stopped (database dropped) after them. The
 * server is returned before it exists, as a stand-in that forwards to it once started, so tests
 * read `server.url` without a `let` and a null check.
 */
export function useTestServer(
  env: Record<string, string> = {},
  options: { now?: () => Date } = {},
): TestServerWithDatabase {
  let current: TestServerWithDatabase | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    current = Object.assign(await startTestServer(database.url, env, options), { database });
  });
  afterAll(async () => {
    await current?.stop();
    await database?.drop();
  });
  return new Proxy({} as TestServerWithDatabase, {
    get(_, property) {
      if (!current) throw new Error(`the test server has not started (reading ${String(property)})`);
      return Reflect.get(current, property);
    },
  });
}

/** POSTs a GraphQL operation over HTTP (as the server's admin unless headers say otherwise). */
export async function gql<T = Record<string, unknown>>(
  server: Pick<TestServer, 'url' | 'headers'>,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = server.headers,
): Promise<{
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/**
 * Calls a REST route as the server's admin (or with the given headers); a string body is sent as
 * it is, anything else as JSON. Returns the status, headers and parsed JSON body.
 */
export async function rest(
  server: Pick<TestServer, 'url' | 'headers'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = server.headers,
): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}
