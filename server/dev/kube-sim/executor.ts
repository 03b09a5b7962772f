import { type ChildProcess, spawn } from 'node:child_process';
import { constants, tmpdir } from 'node:os';
import type { Logger } from 'pino';
import { cloneObject } from './json.ts';
import { type KubeObject, nowTime } from './objects.ts';
import { resourceByKind } from './resources.ts';
import type { ObjectStore } from './store.ts';

const POD = resourceByKind('Pod');
const SECRET = resourceByKind('Secret');
const CONFIG_MAP = resourceByKind('ConfigMap');

/** What a container's output keeps for its termination message: the kubelet's limits. */
const MESSAGE_BYTES = 2048;
const MESSAGE_LINES = 80;
/** Output kept per running container (the message is cut from its end). */
const OUTPUT_KEPT = 8192;

export interface JobExecutorOptions {
  /** PATH the container's command is looked up in (a container's own `PATH` variable wins). */
  path: string;
  logger?: Logger | undefined;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key: string; optional?: boolean };
    configMapKeyRef?: { name?: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: unknown;
  };
}

interface EnvFromSource {
  prefix?: string;
  secretRef?: { name?: string; optional?: boolean };
  configMapRef?: { name?: string; optional?: boolean };
}

interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  workingDir?: string;
  terminationMessagePolicy?: string;
}

/** Why a container cannot be started: the kubelet's `CreateContainerConfigError`. */
export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError';
}

/** The process started for a pod, until it ends or is killed. */
interface Running {
  child: ChildProcess;
  output: Buffer[];
  outputBytes: number;
  killed: boolean;
  /** Why the process could not start (not found, not executable): the runtime's StartError. */
  startError?: string;
}

function decode(value: unknown): string {
  return Buffer.from(String(value ?? ''), 'base64').toString('utf8');
}

/** `$(VAR)` references replaced by the variables defined so far; `$$(VAR)` stays as `$(VAR)`, as the kubelet does. */
export function expandReferences(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? env[name]! : match;
  });
}

/** The last `MESSAGE_LINES` lines and `MESSAGE_BYTES` bytes of the output, whichever is smaller. */
export function terminationMessage(output: Buffer): string {
  let text = output.subarray(Math.max(0, output.length - MESSAGE_BYTES)).toString('utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  text = lines.slice(-MESSAGE_LINES).join('\n');
  return text;
}

/**
 * Runs the containers of Job pods as processes on the simulator's host (opt-in: `runJobs`): the
 * command and args with `$(VAR)` expanded, the environment resolved from literal values, Secret
 * and ConfigMap keys and a few pod fields. Volumes are not mounted: the process sees the host's
 * filesystem, so a Job's mount paths must be paths on the host. It runs with the simulator's user
 * (securityContext is not applied). When it exits, the pod becomes Succeeded or Failed with the
 * exit code, and with `FallbackToLogsOnError` the tail of its output as the termination message.
 * Deleting the pod kills the process (SIGKILL to its process group).
 */
export class JobExecutor {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly store: ObjectStore,
    private readonly options: JobExecutorOptions,
  ) {}

  /** Whether a process runs for this pod uid. */
  isRunning(uid: string): boolean {
    return this.running.has(uid);
  }

  /**
   * The environment of the pod's one container, or a {@link ContainerConfigError} saying what is
   * missing (a Secret, a key), as the kubelet reports before starting it.
   */
  resolveEnv(pod: KubeObject): Record<string, string> {
    const container = this.containerOf(pod);
    const namespace = pod.metadata.namespace;
    const env: Record<string, string> = {};
    const lookup = (kind: 'Secret' | 'ConfigMap', name: string | undefined) => {
      const obj = this.store.get(kind === 'Secret' ? SECRET : CONFIG_MAP, namespace, name ?? '');
      if (!obj) return undefined;
      const data = (obj.data ?? {}) as Record<string, string>;
      return kind === 'Secret'
        ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decode(v)]))
        : { ...data };
    };
    for (const source of container.envFrom ?? []) {
      const kind = source.secretRef ? 'Secret' : 'ConfigMap';
      const ref = source.secretRef ?? source.configMapRef;
      const values = lookup(kind, ref?.name);
      if (!values) {
        if (ref?.optional) continue;
        throw new ContainerConfigError(`${kind.toLowerCase()} "${ref?.name}" not found`);
      }
      for (const [k, v] of Object.entries(values)) env[`${source.prefix ?? ''}${k}`] = v;
    }
    for (const variable of container.env ?? []) {
      const from = variable.valueFrom;
      if (!from) {
        env[variable.name] = expandReferences(variable.value ?? '', env);
        continue;
      }
      const keyRef = from.secretKeyRef ?? from.configMapKeyRef;
      if (keyRef) {
        const kind = from.secretKeyRef ? 'Secret' : 'ConfigMap';
        const values = lookup(kind, keyRef.name);
        if (!values || !(keyRef.key in values)) {
          if (keyRef.optional) continue;
          throw new ContainerConfigError(
            values
              ? `couldn't find key ${keyRef.key} in ${kind} ${namespace}/${keyRef.name}`
              : `${kind.toLowerCase()} "${keyRef.name}" not found`,
          );
        }
        env[variable.name] = values[keyRef.key]!;
      } else if (from.fieldRef) {
        env[variable.name] = this.field(pod, from.fieldRef.fieldPath);
      } else {
        throw new ContainerConfigError(`kube-sim cannot resolve the value of ${variable.name}`);
      }
    }
    return env;
  }

  /** Starts the pod's container as a process; when it ends, the pod becomes Succeeded or Failed. */
  start(pod: KubeObject, env: Record<string, string>): void {
    const uid = pod.metadata.uid!;
    if (this.running.has(uid)) return;
    const container = this.containerOf(pod);
    const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) =>
      expandReferences(a, env),
    );
    const log = this.options.logger?.child({ pod: pod.metadata.name, container: container.name });
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        env: { PATH: this.options.path, ...env },
        cwd: container.workingDir ?? tmpdir(),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a kill reaches what it started too (`sh -c …`).
        detached: true,
      });
    } catch (error) {
      this.finish(pod, 128, (error as Error).message, false, 'StartError');
      return;
    }
    const run: Running = { child, output: [], outputBytes: 0, killed: false };
    this.running.set(uid, run);
    const keep = (chunk: Buffer) => {
      run.output.push(chunk);
      run.outputBytes += chunk.length;
      while (run.outputBytes > OUTPUT_KEPT && run.output.length > 1)
        run.outputBytes -= run.output.shift()!.length;
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (error: NodeJS.ErrnoException) => {
      run.startError =
        error.code === 'ENOENT'
          ? `exec: "${argv[0]}": executable file not found in $PATH`
          : `exec: "${argv[0]}": ${error.message}`;
    });
    child.once('close', (code, signal) => {
      this.running.delete(uid);
      if (run.killed) return;
      if (run.startError) {
        this.finish(pod, 128, run.startError, false, 'StartError');
        return;
      }
      // 128 + the signal's number, as a container runtime reports a killed process.
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 0);
      log?.debug({ exitCode, signal }, 'kube-sim job container exited');
      const policy = container.terminationMessagePolicy ?? 'File';
      const message =
        exitCode !== 0 && policy === 'FallbackToLogsOnError'
          ? terminationMessage(Buffer.concat(run.output))
          : undefined;
      this.finish(pod, exitCode, message, exitCode === 0);
    });
    log?.debug({ argv0: argv[0] }, 'kube-sim job container started');
  }

  /** Kills the process of a pod (deleted, or its Job out of time); its pod is not updated. */
  kill(uid: string): void {
    const run = this.running.get(uid);
    if (!run) return;
    run.killed = true;
    try {
      process.kill(-run.child.pid!, 'SIGKILL');
    } catch {
      run.child.kill('SIGKILL');
    }
  }

  /** Kills every process (the simulator stops). */
  stop(): void {
    for (const uid of [...this.running.keys()]) this.kill(uid);
  }

  /** A Running pod whose process is gone (the simulator restarted): Failed, as a lost node's pods. */
  lost(pod: KubeObject): void {
    this.finish(pod, 137, 'kube-sim restarted while the container ran', false, 'ContainerStatusUnknown');
  }

  /** Marks a pod whose container cannot start for want of configuration (it stays Pending). */
  configError(pod: KubeObject, message: string): void {
    const next = cloneObject(pod);
    const status = (next.status ?? {}) as Record<string, unknown>;
    const spec = (next.spec ?? {}) as Record<string, unknown>;
    spec.nodeName ??= 'kube-sim-node';
    next.spec = spec;
    const containers = ((spec.containers ?? []) as Container[]).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'CreateContainerConfigError', message } },
    }));
    const previous = (status.containerStatuses ?? []) as typeof containers;
    if (JSON.stringify(previous.map((c) => c.state)) === JSON.stringify(containers.map((c) => c.state)))
      return;
    next.status = {
      ...status,
      phase: 'Pending',
      startTime: status.startTime ?? nowTime(),
      containerStatuses: containers,
    };
    this.store.update(POD, next);
  }

  private finish(
    pod: KubeObject,
    exitCode: number,
    message: string | undefined,
    ok: boolean,
    why = ok ? 'Completed' : 'Error',
  ): void {
    const current = this.store.get(POD, pod.metadata.namespace, pod.metadata.name!);
    if (!current || current.metadata.uid !== pod.metadata.uid) return;
    const next = cloneObject(current);
    const at = nowTime();
    const status = (next.status ?? {}) as Record<string, unknown>;
    const started = String(status.startTime ?? at);
    const terminated = {
      exitCode,
      reason: why,
      ...(message ? { message } : {}),
      startedAt: started,
      finishedAt: at,
    };
    const statuses = (status.containerStatuses ?? []) as Record<string, unknown>[];
    const condition = (type: string, value: boolean, reason?: string) => ({
      type,
      status: value ? 'True' : 'False',
      ...(reason ? { reason } : {}),
      lastProbeTime: null,
      lastTransitionTime: at,
    });
    const reason = ok ? 'PodCompleted' : 'PodFailed';
    next.status = {
      ...status,
      phase: ok ? 'Succeeded' : 'Failed',
      conditions: [
        condition('PodReadyToStartContainers', false),
        condition('Initialized', true, reason),
        condition('Ready', false, reason),
        condition('ContainersReady', false, reason),
        condition('PodScheduled', true),
      ],
      containerStatuses: statuses.map((c) => ({
        ...c,
        ready: false,
        started: false,
        state: { terminated },
      })),
    };
    try {
      this.store.update(POD, next);
    } catch (error) {
      this.options.logger?.warn(
        { err: error, pod: pod.metadata.name },
        'kube-sim could not record a container exit',
      );
    }
  }

  private containerOf(pod: KubeObject): Container {
    const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
    const containers = spec.containers ?? [];
    if (containers.length !== 1 || spec.initContainers?.length) {
      throw new ContainerConfigError(
        'kube-sim runs Job pods of exactly one container and no init containers',
      );
    }
    if (!containers[0]!.command?.length) {
      throw new ContainerConfigError(
        `kube-sim runs a container's command, and container ${containers[0]!.name} has none (an image's entrypoint cannot run here)`,
      );
    }
    return containers[0]!;
  }

  private field(pod: KubeObject, path: string): string {
    const spec = (pod.spec ?? {}) as Record<string, unknown>;
    const status = (pod.status ?? {}) as Record<string, unknown>;
    const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
    if (label)
      return String((pod.metadata[label[1]!] as Record<string, string> | undefined)?.[label[2]!] ?? '');
    const fields: Record<string, unknown> = {
      'metadata.name': pod.metadata.name,
      'metadata.namespace': pod.metadata.namespace,
      'metadata.uid': pod.metadata.uid,
      'spec.nodeName': spec.nodeName ?? 'kube-sim-node',
      'spec.serviceAccountName': spec.serviceAccountName ?? 'default',
      'status.podIP': status.podIP,
      'status.hostIP': status.hostIP,
    };
    if (!(path in fields)) throw new ContainerConfigError(`kube-sim cannot resolve the field ${path}`);
    return String(fields[path] ?? '');
  }
}
