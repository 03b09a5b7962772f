import type { Agent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

/** Idle connections are closed after this long (on this side, so never mid-request). */
const IDLE_MS = 4000;

type CreateAgent = (cluster: unknown, options: Record<string, unknown>) => Agent;

/** A stable key for an agent's options: buffers (CA, certificate, key) by their bytes. */
function keyOf(cluster: unknown, options: Record<string, unknown>): string {
  const { server, proxyUrl } = (cluster ?? {}) as { server?: string; proxyUrl?: string };
  return JSON.stringify([server, proxyUrl, options], (_key, value: unknown) =>
    value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
      ? Buffer.from((value as { data: number[] }).data).toString('base64')
      : value,
  );
}

/**
 * Makes `kubeConfig` reuse its connections to the API server. @kubernetes/client-node 1.x builds
 * a new http(s).Agent for every request (kubernetes-client/javascript#2893, fixed only in 2.x,
 * which needs a newer Node), so no connection is ever reused: every call opens a TCP connection,
 * and a TLS handshake against a real API server. Here one keep-alive agent is kept per distinct
 * set of options (server, CA, client certificate, TLS settings), and handed out again.
 *
 * An idle connection is closed after IDLE_MS, before a server's own idle timeout (Node's 5 s, the
 * API server's longer) can close it under a request about to reuse it.
 *
 * `createAgent` is the library's own (private) method: if a version no longer has it, nothing is
 * changed, and the test that counts connections (test/integration/server/cluster) says so.
 */
export function reuseConnections(kubeConfig: KubeConfig): KubeConfig {
  const target = kubeConfig as unknown as { createAgent?: CreateAgent };
  const original = target.createAgent;
  if (typeof original !== 'function') return kubeConfig;
  const agents = new Map<string, Agent>();
  target.createAgent = (cluster, options) => {
    const key = keyOf(cluster, options);
    let agent = agents.get(key);
    if (!agent) {
      agent = original.call(kubeConfig, cluster, { ...options, keepAlive: true, timeout: IDLE_MS });
      agents.set(key, agent);
    }
    return agent;
  };
  return kubeConfig;
}
