import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { StoreSnapshot } from './store.ts';

/**
 * Reads a saved cluster, or undefined when the file does not exist yet.
 * @throws when the file exists but is not a snapshot this version wrote.
 */
export async function loadSnapshot(file: string): Promise<StoreSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const snapshot = JSON.parse(text) as StoreSnapshot;
  if (snapshot.version !== 1 || typeof snapshot.resourceVersion !== 'number' || !snapshot.objects) {
    throw new Error(`${file} is not a kube-sim state file`);
  }
  return snapshot;
}

/** Debounced, atomic saving of the store to one file. */
export interface Saver {
  /** Asks for a save soon; many calls in a burst make one write. */
  schedule(): void;
  /** Writes pending changes now and waits for any write in progress. */
  flush(): Promise<void>;
}

/**
 * Creates a saver that writes `snapshot()` to a temporary file and renames it over `file`, so a
 * crash mid-write never leaves a torn state file. Writes never overlap.
 */
export function createSaver(
  file: string,
  snapshot: () => StoreSnapshot,
  debounceMs: number,
  logger?: Logger,
): Saver {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    if (!dirty) return;
    dirty = false;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, JSON.stringify(snapshot()), { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      logger?.error({ err, file }, 'kube-sim could not save its state');
    }
  };
  const run = () => {
    timer = undefined;
    writing = writing.then(write);
    return writing;
  };

  return {
    schedule() {
      dirty = true;
      timer ??= setTimeout(run, debounceMs);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      await run();
    },
  };
}
