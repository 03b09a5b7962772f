import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CLIENTS, NAMESPACE, REGISTRY_KEYS } from './params.ts';

export type Series = { latencies: number[]; ms: number };

type Write = { method: string; path: string; contentType: string; body: string };

function send(agent: Agent, base: URL, write: Write): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: write.method,
        path: write.path,
        headers: { 'content-type': write.contentType, 'content-length': Buffer.byteLength(write.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(write.body);
  });
}

/**
 * The control plane's kind of writes, alternating: create a tenant-like Secret (seven random
 * 32-byte values) and merge-patch one key of a registry-like ConfigMap (a small JSON document).
 */
function makeWrites(client: number, tag: string): (i: number) => Write {
  const base = `/api/v1/namespaces/${NAMESPACE}`;
  return (i) => {
    if (i % 2 === 0) {
      const data = Object.fromEntries(
        [
          'DATABASE_URL',
          'JWT_SECRET',
          'LOGIN_WORKER_TOKEN',
          'PROXY_TOKEN',
          'CP_TOKEN',
          'BOOTSTRAP_TOKEN',
          'ADMIN_INITIAL_PASSWORD',
        ].map((k) => [k, randomBytes(32).toString('base64')]),
      );
      return {
        method: 'POST',
        path: `${base}/secrets`,
        contentType: 'application/json',
        body: JSON.stringify({ metadata: { name: `${tag}-c${client}-${i}`, labels: { bench: tag } }, data }),
      };
    }
    const key = `t${client}-${(i >> 1) % REGISTRY_KEYS}.json`;
    const value = JSON.stringify({ name: `tenant ${i}`, secret: `tenant-${i}`, pool: 'shared', license: i });
    return {
      method: 'PATCH',
      path: `${base}/configmaps/${tag}-registry-${client}`,
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ data: { [key]: value } }),
    };
  };
}

/**
 * Runs `writes` writes from `clients` clients (each one at a time, over its own keep-alive
 * connection) against the simulator at `url`, after `warmup` uncounted ones, and returns each
 * counted write's latency and the wall time of the counted part.
 */
export async function runWrites(
  url: string,
  options: { clients: number; writes: number; warmup: number; tag: string },
): Promise<Series> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const generators = Array.from({ length: options.clients }, (_, c) => makeWrites(c, options.tag));
    for (let c = 0; c < options.clients; c++) {
      const status = await send(agent, base, {
        method: 'POST',
        path: `/api/v1/namespaces/${NAMESPACE}/configmaps`,
        contentType: 'application/json',
        body: JSON.stringify({ metadata: { name: `${options.tag}-registry-${c}` }, data: {} }),
      });
      if (status !== 201) throw new Error(`creating the registry ConfigMap answered ${status}`);
    }
    const phase = async (count: number, offset: number, latencies?: number[]) => {
      const perClient = Math.ceil(count / options.clients);
      await Promise.all(
        generators.map(async (next) => {
          for (let i = offset; i < offset + perClient; i++) {
            const write = next(i);
            const started = performance.now();
            const status = await send(agent, base, write);
            latencies?.push(performance.now() - started);
            if (status >= 300) throw new Error(`${write.method} ${write.path} answered ${status}`);
          }
        }),
      );
    };
    await phase(options.warmup, 0);
    const latencies: number[] = [];
    const started = performance.now();
    await phase(options.writes, options.warmup, latencies);
    return { latencies, ms: performance.now() - started };
  } finally {
    agent.destroy();
  }
}
