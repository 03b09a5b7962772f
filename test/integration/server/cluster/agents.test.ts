import { createServer, connect as dial, type Server } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reuseConnections } from '../../../../server/cluster/agents.ts';
import { ClusterClient } from '../../../../server/cluster/client.ts';
import { startTestCluster, type TestCluster } from '../../../support/kube.ts';

/** Connections to the API server: a TCP relay in front of the simulator counts them. */
describe('connections to the API server', () => {
  let cluster: TestCluster;
  let relay: Server;
  let accepted = 0;
  let server = '';

  beforeAll(async () => {
    cluster = await startTestCluster();
    const upstream = new URL(cluster.sim.url);
    relay = createServer((socket) => {
      accepted += 1;
      const up = dial(Number(upstream.port), upstream.hostname);
      socket.pipe(up).pipe(socket);
      socket.on('error', () => up.destroy());
      up.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const address = relay.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    relay?.close();
    await cluster?.stop();
  });

  /** A kubeconfig like the simulator's, pointing at the relay. */
  function kubeConfigViaRelay(): KubeConfig {
    const config = new KubeConfig();
    const cluster0 = cluster.kubeConfig.getCurrentCluster()!;
    config.loadFromOptions({
      clusters: [{ ...cluster0, server }],
      users: cluster.kubeConfig.users,
      contexts: cluster.kubeConfig.contexts,
      currentContext: cluster.kubeConfig.getCurrentContext(),
    });
    return config;
  }

  async function connectionsFor(config: KubeConfig, requests: number): Promise<number> {
    const client = new ClusterClient(config, cluster.namespace);
    const before = accepted;
    for (let i = 0; i < requests; i++) {
      await client.patchConfigMapKey('connection-test', `k${i % 3}`, String(i));
      await client.read('ConfigMap', 'v1', 'connection-test');
    }
    return accepted - before;
  }

  it('reuses one kept-alive connection for request after request (the library alone opens one per request)', async () => {
    // What @kubernetes/client-node 1.x does by itself: a new agent, so a new connection, per request.
    // When an upgrade fixes that, this line fails and reuseConnections can go.
    expect(await connectionsFor(kubeConfigViaRelay(), 10)).toBeGreaterThanOrEqual(20);
    expect(await connectionsFor(reuseConnections(kubeConfigViaRelay()), 10)).toBe(1);
  });
});
