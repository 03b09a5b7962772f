import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a data directory's `postmaster.pid` says about the server that holds it. */
export type PostmasterLock = { pid: number; port: number };

/**
 * Reads `<pgdata>/postmaster.pid` (line 1: pid, line 4: port). Undefined when there is none or it
 * is unreadable; a half-written file (the server is just starting) reads as undefined too.
 */
export async function readPostmasterLock(pgdata: string): Promise<PostmasterLock | undefined> {
  const text = await readFile(join(pgdata, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const lines = text?.split('\n') ?? [];
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return { pid, port };
}

/** True when a process with this pid exists (whoever owns it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` runs the program `name`, where the system can tell (Linux /proc). A pid from an
 * old lock file may have been reused by an unrelated process after a reboot; elsewhere we trust it.
 */
export function runs(pid: number, name: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * Stops a postmaster we did not start (no child handle): fast shutdown (SIGINT), then immediate
 * (SIGQUIT) if it lingers, then SIGKILL. Resolves once the pid is gone.
 */
export async function stopPostmaster(pid: number, graceMs = 10_000): Promise<void> {
  const steps: [NodeJS.Signals, number][] = [
    ['SIGINT', graceMs],
    ['SIGQUIT', 5000],
    ['SIGKILL', 5000],
  ];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
}
