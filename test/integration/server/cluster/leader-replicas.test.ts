import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../support/kube.ts';
import { type ServerProcess, startServerProcess } from '../../../support/process.ts';

/** Two replicas of the control plane on one database and one cluster: one leads at a time. */
describe('two replicas', () => {
  let database: TestDatabase;
  let cluster: TestCluster;
  let dir: string;
  const running: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    cluster = await startTestCluster();
    dir = await mkdtemp(join(tmpdir(), 'cp-replicas-'));
    await cluster.sim.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await cluster?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const replica = async (name: string) => {
    const proc = await startServerProcess({
      DATABASE_URL: database.url,
      DATA_DIR: join(dir, name),
      KUBE_MODE: 'kubeconfig',
      KUBECONFIG: join(dir, 'kubeconfig'),
      LEADER_IDENTITY: name,
      LEADER_LEASE_SECONDS: '2',
    });
    running.push(proc);
    return proc;
  };
  const leads = async (proc: ServerProcess & { url: string }) =>
    ((await (await fetch(`${proc.url}/readyz`)).json()) as { leader: boolean }).leader;

  it('exactly one leads; after kill -9 of the leader, the other takes over once the lease lapses', async () => {
    const [one, two] = [await replica('one'), await replica('two')];
    await eventually(async () => (await leads(one)) !== (await leads(two)), 10_000, 'exactly one leader');
    const [leader, follower] = (await leads(one)) ? [one, two] : [two, one];
    expect(await leads(follower)).toBe(false);
    leader.child.kill('SIGKILL');
    await leader.exited;
    const killedAt = Date.now();
    await eventually(() => leads(follower), 10_000, 'the follower to lead');
    // Not before the lease (2 s) could lapse, and not long after.
    expect(Date.now() - killedAt).toBeLessThan(8000);
  }, 60_000);
});
