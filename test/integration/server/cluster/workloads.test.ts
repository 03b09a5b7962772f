import { describe, expect, it } from 'vitest';
import { sharedAgentPool } from '../../../../server/cluster/resources.ts';
import type { Topics } from '../../../../server/events/topics.ts';
import { eventually } from '../../../support/kube.ts';
import { useTestServer } from '../../../support/server.ts';
import { subscribed } from '../../../support/ws.ts';

describe('workload informers in the running server', () => {
  const server = useTestServer({ KUBE_SIM_POD_DELAY_MS: '10' });

  it('the leader runs the informers and publishes pod changes on the event bus', async () => {
    const deps = server.services;
    await eventually(() => deps.leadership.isLeader(), 5000, 'leadership');
    await eventually(() => deps.workloads.status().every((s) => s.synced), 5000, 'informers synced');
    const seen: Topics['cluster.changed'][] = [];
    const events = deps.bus.subscribe('cluster.changed');
    void (async () => {
      for await (const e of events) seen.push(e);
    })();
    await subscribed(deps.bus, 'cluster.changed');
    await deps.cluster.ensure(sharedAgentPool(deps.kube.namespace, 'justiam/agent:2.0.0', 2));
    await eventually(
      () => deps.workloads.pods.list().filter((p) => p.status?.phase === 'Running').length === 2,
      5000,
      'two running agent pods in the informer cache',
    );
    await eventually(
      () => seen.filter((e) => e.resource === 'pods' && e.type === 'ADDED').length >= 2,
      3000,
      'pod events',
    );
    expect(seen.find((e) => e.resource === 'deployments')).toMatchObject({
      name: 'agent-shared',
      app: 'justiam-agent',
    });
    await events.return?.();

    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
      leader: boolean;
      informers: { resource: string; synced: boolean }[];
    };
    expect(ready.leader).toBe(true);
    expect(ready.informers.map((i) => [i.resource, i.synced])).toEqual([
      ['pods', true],
      ['deployments', true],
    ]);
  });
});
