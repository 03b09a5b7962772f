import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeaderElector } from '../../../../server/cluster/leader.ts';
import { writeKubeconfigFile } from '../../../../server/dev/kube-sim/kubeconfig.ts';
import { createLogger } from '../../../../server/log.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../support/kube.ts';

/**
 * A pass-through to the API server that can stall: connections stay open and data is accepted,
 * but nothing goes through, as when a network path or an API server hangs instead of refusing.
 */
async function stallingProxy(target: URL) {
  const sockets = new Set<Socket>();
  let stalled = false;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    if (stalled) return; // Accepted, never answered.
    const upstream = connect(Number(target.port), target.hostname);
    upstream.on('error', () => client.destroy());
    sockets.add(upstream);
    client.on('data', (chunk) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!stalled) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stall() {
      stalled = true;
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe('a leader whose API server stalls', () => {
  let cluster: TestCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startTestCluster();
    dir = await mkdtemp(join(tmpdir(), 'cp-stall-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops leading within the renew deadline, before another replica can take the lease', async () => {
    const proxy = await stallingProxy(new URL(cluster.sim.url));
    // The same cluster, reached through the proxy.
    const path = join(dir, 'kubeconfig');
    await writeKubeconfigFile(path, { server: proxy.url });
    const proxied = new KubeConfig();
    proxied.loadFromFile(path);
    const candidate = (identity: string, kubeConfig: KubeConfig) =>
      createLeaderElector({
        kubeConfig,
        namespace: cluster.namespace,
        identity,
        leaseName: 'stall',
        leaseDurationSeconds: 3,
        retryPeriodMs: 200,
        onStartedLeading: () => {},
        onStoppedLeading: () => {},
        logger: createLogger({ level: 'silent' }),
      });
    const a = candidate('a', proxied);
    const b = candidate('b', cluster.kubeConfig);
    try {
      a.start();
      await eventually(() => a.isLeader(), 3000, 'a to lead');
      b.start();
      await eventually(() => b.holder() === 'a', 3000, 'b to see a holding the lease');

      proxy.stall();
      const stalledAt = Date.now();
      let overlap = false;
      let aSteppedDownAt: number | undefined;
      await eventually(
        () => {
          if (a.isLeader() && b.isLeader()) overlap = true;
          if (!a.isLeader()) aSteppedDownAt ??= Date.now();
          return b.isLeader();
        },
        10_000,
        'b to take over',
      );
      const bLeadsAt = Date.now();
      expect(overlap).toBe(false);
      expect(aSteppedDownAt).toBeDefined();
      // Within the renew deadline (2/3 of 3 s, plus a retry period), well before b could lead.
      expect(aSteppedDownAt! - stalledAt).toBeLessThan(2600);
      expect(bLeadsAt).toBeGreaterThan(aSteppedDownAt!);
    } finally {
      proxy.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 20_000);
});
