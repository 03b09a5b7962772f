import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export type ServerProcess = {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stdout: string;
  readonly stderr: string;
};

/**
 * Runs `server/main.ts` in its own process (as `npm start` does: node with tsx's loader, no wrapper
 * process, so a signal reaches the server itself), with only the given environment. `preload`
 * modules are imported first (test hooks such as a planted crash).
 */
export function spawnServer(
  env: Record<string, string>,
  options: { cwd?: string; preload?: string[] } = {},
): ServerProcess {
  const imports = ['tsx', ...(options.preload ?? [])].flatMap((m) => ['--import', m]);
  const child = spawn(process.execPath, [...imports, 'server/main.ts'], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    exited,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Waits for a line of the process's output to match; throws with the output so far if it never does. */
export async function waitForOutput(
  proc: Pick<ServerProcess, 'stdout' | 'stderr'>,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const match = proc.stdout.match(pattern);
    if (match) return match;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${proc.stdout}\n${proc.stderr}`);
}

/** Starts a server process and resolves with its base URL once it listens. */
export async function startServerProcess(
  env: Record<string, string>,
  options: { cwd?: string; preload?: string[] } = {},
): Promise<ServerProcess & { url: string }> {
  const proc = spawnServer({ PORT: '0', HOST: '127.0.0.1', ...env }, options);
  // A first start copies the PostgreSQL binaries, runs initdb and compiles the server: on a busy
  // 2-core machine that alone can pass 20 s.
  let url: string | undefined;
  try {
    [, url] = await waitForOutput(proc, /control plane listening on (http:\/\/[^"]+)"/, 60_000);
  } catch (error) {
    // Never left running behind a failed test: the caller has nothing to stop yet.
    proc.child.kill('SIGKILL');
    throw error;
  }
  return Object.assign(proc, { url: url! });
}
