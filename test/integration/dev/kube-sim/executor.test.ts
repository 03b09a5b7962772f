import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, type SimHarness, startHarness, waitFor } from './helpers.ts';

/**
 * The simulator's opt-in Job executor (`runJobs`): a Job pod's container runs as a process on
 * this host, with its environment resolved from the spec, Secrets and ConfigMaps, and its end is
 * the pod's (Succeeded / Failed, exit code, termination message) and the Job's.
 */
describe('kube-sim running Job containers as processes', () => {
  let h: SimHarness;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness({ podStartDelayMs: 20, runJobs: { path: '/usr/bin:/bin' } });
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-exec-'));
  });
  afterAll(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  let n = 0;
  /** Creates a Job of one `sh -c script` container; `extra` is merged into its container and spec. */
  async function job(
    script: string,
    options: {
      env?: k8s.V1EnvVar[];
      envFrom?: k8s.V1EnvFromSource[];
      backoffLimit?: number;
      activeDeadlineSeconds?: number;
      ttlSecondsAfterFinished?: number;
      command?: string[];
      args?: string[];
    } = {},
  ): Promise<string> {
    const name = `run-${++n}`;
    await h.batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: { name },
        spec: {
          backoffLimit: options.backoffLimit ?? 0,
          ...(options.activeDeadlineSeconds ? { activeDeadlineSeconds: options.activeDeadlineSeconds } : {}),
          ...(options.ttlSecondsAfterFinished !== undefined
            ? { ttlSecondsAfterFinished: options.ttlSecondsAfterFinished }
            : {}),
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'work',
                  image: 'busybox:1.36',
                  command: options.command ?? ['sh', '-c', script],
                  ...(options.args ? { args: options.args } : {}),
                  env: options.env ?? [],
                  ...(options.envFrom ? { envFrom: options.envFrom } : {}),
                  terminationMessagePolicy: 'FallbackToLogsOnError',
                },
              ],
            },
          },
        },
      },
    });
    return name;
  }

  const readJob = (name: string) => h.batch.readNamespacedJob({ name, namespace: NS });
  const podsOf = async (name: string) =>
    (await h.core.listNamespacedPod({ namespace: NS, labelSelector: `job-name=${name}` })).items;
  const ended = (name: string, type: 'Complete' | 'Failed', timeoutMs = 10_000) =>
    waitFor(async () => {
      const j = await readJob(name);
      return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ? j : undefined;
    }, timeoutMs);
  /** The pid a container wrote to `file` (`echo $$$$ > file`: the kubelet makes `$$` of `$$$$`). */
  const pidIn = async (file: string) => {
    const text = await waitFor(async () => {
      const read = existsSync(file) ? await readFile(file, 'utf8') : '';
      return read.endsWith('\n') ? read : undefined;
    });
    expect(text).toMatch(/^\d+\n$/);
    return Number(text);
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('runs the command with env from values, a Secret key, a ConfigMap key and pod fields; $(VAR) is expanded', async () => {
    await h.core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'exec-secret' }, stringData: { PASSWORD: 's3cret value' } },
    });
    await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'exec-config' }, data: { COLOUR: 'blue' } },
    });
    const out = join(dir, 'out.txt');
    const name = await job('', {
      command: ['sh', '-c'],
      args: [
        'printf "%s|%s|%s|%s|%s" "$PASSWORD" "$COLOUR" "$GREETING" "$POD" "$1" > "$OUT"',
        'sh',
        '$(COLOUR)-$$(COLOUR)',
      ],
      env: [
        { name: 'OUT', value: out },
        { name: 'NAME', value: 'world' },
        { name: 'GREETING', value: 'hello $(NAME)' },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'exec-secret', key: 'PASSWORD' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      envFrom: [{ configMapRef: { name: 'exec-config' } }],
    });
    const done = await ended(name, 'Complete');
    expect(done.status?.succeeded).toBe(1);
    const [pod] = await podsOf(name);
    expect(pod!.status?.phase).toBe('Succeeded');
    expect(pod!.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(await readFile(out, 'utf8')).toBe(
      `s3cret value|blue|hello world|${pod!.metadata!.name}|blue-$(COLOUR)`,
    );
  });

  it('a command exiting non-zero fails its pod with the exit code and the tail of its output, and the Job (backoffLimit 0)', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join('\n');
    const name = await job(
      `printf '%s\\n' "${lines.replace(/\n/g, '" "')}"; echo 'pg_dump: error: it went wrong' >&2; exit 3`,
    );
    const failed = await ended(name, 'Failed');
    expect(failed.status?.failed).toBe(1);
    expect(failed.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
    });
    const pods = await podsOf(name);
    expect(pods).toHaveLength(1);
    const terminated = pods[0]!.status?.containerStatuses?.[0]?.state?.terminated;
    expect(pods[0]!.status?.phase).toBe('Failed');
    expect(terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    // The last 80 lines (the kubelet's limit): the error is there, the first lines are not.
    expect(terminated!.message).toMatch(/pg_dump: error: it went wrong$/);
    expect(terminated!.message!.split('\n')).toHaveLength(80);
    expect(terminated!.message).not.toContain('line 40\n');
  });

  it('a failed pod is replaced while backoffLimit allows', async () => {
    const name = await job('exit 1', { backoffLimit: 1 });
    const failed = await ended(name, 'Failed');
    expect(failed.status?.failed).toBe(2);
    expect(await podsOf(name)).toHaveLength(2);
  });

  it('a command that is not on the PATH fails with StartError', async () => {
    const name = await job('', { command: ['no-such-program-here'] });
    await ended(name, 'Failed');
    const [pod] = await podsOf(name);
    expect(pod!.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 128,
      reason: 'StartError',
      message: 'exec: "no-such-program-here": executable file not found in $PATH',
    });
  });

  it('activeDeadlineSeconds kills the process, deletes the pod and fails the Job with DeadlineExceeded', async () => {
    const pidFile = join(dir, 'deadline.pid');
    // Job times have whole seconds: 2 s from a start rounded down is more than 1 s.
    const name = await job(`echo $$$$ > ${pidFile}; exec sleep 30`, { activeDeadlineSeconds: 2 });
    const pid = await pidIn(pidFile);
    expect(alive(pid)).toBe(true);
    const failed = await ended(name, 'Failed', 5000);
    expect(failed.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    await waitFor(async () => ((await podsOf(name)).length === 0 ? true : undefined));
    await waitFor(async () => (alive(pid) ? undefined : true));
  });

  it('deleting the running pod kills its process, and the pod counts as failed', async () => {
    const pidFile = join(dir, 'deleted.pid');
    const name = await job(`echo $$$$ > ${pidFile}; exec sleep 30`);
    const pid = await pidIn(pidFile);
    const [pod] = await podsOf(name);
    expect(pod!.status?.phase).toBe('Running');
    await h.core.deleteNamespacedPod({ name: pod!.metadata!.name!, namespace: NS });
    await waitFor(async () => (alive(pid) ? undefined : true));
    const failed = await ended(name, 'Failed');
    expect(failed.status?.failed).toBe(1);
    expect(await podsOf(name)).toHaveLength(0);
  });

  it('deleting the Job kills its process', async () => {
    const pidFile = join(dir, 'job-deleted.pid');
    const name = await job(`echo $$$$ > ${pidFile}; exec sleep 30`);
    const pid = await pidIn(pidFile);
    await h.batch.deleteNamespacedJob({ name, namespace: NS, propagationPolicy: 'Background' });
    await waitFor(async () => (alive(pid) ? undefined : true));
    await waitFor(async () => ((await podsOf(name)).length === 0 ? true : undefined));
  });

  it('a missing Secret keeps the pod Pending in CreateContainerConfigError until it exists', async () => {
    const name = await job('test "$TOKEN" = later', {
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'exec-later', key: 'TOKEN' } } }],
    });
    const waiting = await waitFor(async () => {
      const [pod] = await podsOf(name);
      const state = pod?.status?.containerStatuses?.[0]?.state?.waiting;
      return state ? { phase: pod!.status!.phase, state } : undefined;
    });
    expect(waiting).toEqual({
      phase: 'Pending',
      state: { reason: 'CreateContainerConfigError', message: 'secret "exec-later" not found' },
    });
    await h.core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'exec-later' }, stringData: { TOKEN: 'later' } },
    });
    await ended(name, 'Complete');
  });

  it('ttlSecondsAfterFinished removes a finished Job and its pods', async () => {
    const name = await job('true', { ttlSecondsAfterFinished: 0 });
    await waitFor(async () =>
      (await h.batch.listNamespacedJob({ namespace: NS })).items.some((j) => j.metadata?.name === name)
        ? undefined
        : true,
    );
    await waitFor(async () => ((await podsOf(name)).length === 0 ? true : undefined));
  });
});
