import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { type ControlPlane, startControlPlane } from '../../server/runtime.ts';

export type TestServer = ControlPlane & {
  logs: string[];
  /** Headers that authenticate as an admin operator; spread them into every HTTP request. */
  headers: Record<string, string>;
  /** graphql-ws connection params that authenticate as an admin operator. */
  connectionParams: Record<string, unknown>;
};

/**
 * Starts a real control plane on a free port against `databaseUrl`, capturing its log lines so
 * tests can assert on them (e.g. that no secret value was logged).
 */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const config: Config = loadConfig({
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
  const cp = await startControlPlane(config, createLogger(config.log, sink));
  return Object.assign(cp, { logs, headers: {}, connectionParams: {} });
}

/** POSTs a GraphQL operation over HTTP and returns the parsed body with the status. */
export async function gql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as never };
}
