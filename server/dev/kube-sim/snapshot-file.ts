import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StoreSnapshot } from './store.ts';

/** State files hold Secret values: only the owner may read them. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Reads a saved cluster, or undefined when the file does not exist yet. Snapshots written before
 * the journal existed (the debounced `kube-sim.json` of earlier versions) have the same form.
 * @throws when the file exists but is not a snapshot.
 */
export async function loadSnapshot(file: string): Promise<StoreSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let snapshot: StoreSnapshot;
  try {
    snapshot = JSON.parse(text) as StoreSnapshot;
  } catch {
    throw new Error(`${file} is not a kube-sim state file (not JSON)`);
  }
  if (snapshot?.version !== 1 || typeof snapshot.resourceVersion !== 'number' || !snapshot.objects) {
    throw new Error(`${file} is not a kube-sim state file`);
  }
  return snapshot;
}

/**
 * Makes a directory entry durable (a created, renamed or removed file). Windows cannot open a
 * directory for this and orders its metadata writes itself.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function tempPattern(file: string): RegExp {
  const escaped = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}\\.\\d+\\.tmp$`);
}

/** Removes temporary snapshot files that a crash mid-save left behind (ours and earlier versions'). */
export async function removeStaleTemps(file: string): Promise<void> {
  const pattern = tempPattern(file);
  for (const name of await readdir(dirname(file))) {
    if (pattern.test(name)) await unlink(join(dirname(file), name));
  }
}

/**
 * Replaces `file` with `text` so that a crash at any point leaves either the old or the new
 * content, and the new one survives power loss once this resolves: write a private temporary
 * file, fsync it, rename it over `file`, fsync the directory.
 */
export async function writeSnapshotFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDirectory(dirname(file));
}
