import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeaderElector } from '../../../../server/cluster/leader.ts';
import { createLogger } from '../../../../server/log.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../support/kube.ts';

describe('leader election on a Lease', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  });
  afterAll(() => cluster?.stop());

  function candidate(identity: string, leaseName: string, clock: { offset: number } = { offset: 0 }) {
    const log: string[] = [];
    const elector = createLeaderElector({
      kubeConfig: cluster.kubeConfig,
      namespace: cluster.namespace,
      identity,
      leaseName,
      leaseDurationSeconds: 2,
      retryPeriodMs: 50,
      onStartedLeading: () => {
        log.push('start');
      },
      onStoppedLeading: () => {
        log.push('stop');
      },
      logger: createLogger({ level: 'silent' }),
      now: () => Date.now() + clock.offset,
    });
    return { elector, log };
  }

  it('lets exactly one of several candidates lead', async () => {
    const all = ['a', 'b', 'c'].map((id) => candidate(id, 'one-leader'));
    for (const c of all) c.elector.start();
    await eventually(() => all.some((c) => c.elector.isLeader()), 3000, 'a leader');
    // Every candidate has tried and seen the Lease held by the same one: the others declined.
    const leader = all.find((c) => c.elector.isLeader())!.elector.holder();
    await eventually(() => all.every((c) => c.elector.holder() === leader), 3000, 'all to see one holder');
    expect(all.filter((c) => c.elector.isLeader())).toHaveLength(1);
    await Promise.all(all.map((c) => c.elector.stop()));
  });

  it('hands over when the holder stops renewing, and the old holder steps down', async () => {
    const a = candidate('a', 'handover');
    a.elector.start();
    await eventually(() => a.elector.isLeader(), 3000, 'a to lead');
    // b's clock runs 3 s ahead: to b, a's last renewal is older than the 2 s lease at once, which is
    // what b would see if a had stopped renewing.
    const b = candidate('b', 'handover', { offset: 3000 });
    b.elector.start();
    await eventually(() => b.elector.isLeader(), 3000, 'b to take over');
    await eventually(() => !a.elector.isLeader(), 3000, 'a to step down');
    expect(a.log).toEqual(['start', 'stop']);
    expect(b.elector.holder()).toBe('b');
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  it('a leader that stops releases the lease so another takes over without waiting for it to lapse', async () => {
    const a = candidate('a', 'release');
    const b = candidate('b', 'release');
    a.elector.start();
    await eventually(() => a.elector.isLeader(), 3000, 'a to lead');
    b.elector.start();
    await eventually(() => b.elector.holder() === 'a', 3000, 'b to see a holding the Lease');
    expect(b.elector.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    await a.elector.stop();
    await eventually(() => b.elector.isLeader(), 3000, 'b to lead');
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    await b.elector.stop();
  });
});
