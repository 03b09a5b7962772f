import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { Journal } from './journal.ts';
import { decodeJournal, JournalCorruptError, replayJournal } from './journal-format.ts';
import { fsyncDirectory, loadSnapshot, PRIVATE_FILE_MODE, removeStaleTemps } from './snapshot-file.ts';
import type { ObjectStore, StoreSnapshot } from './store.ts';

export interface PersistenceOptions {
  /** Journal size that triggers a compaction (and at least the snapshot's size). */
  compactBytes: number;
  logger?: Logger;
}

/** The journal that sits beside a snapshot file: `kube-sim.json` → `kube-sim.journal`. */
export function journalFileFor(snapshotFile: string): string {
  return `${snapshotFile.replace(/\.json$/, '')}.journal`;
}

async function readJournalFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

/**
 * Recovers the cluster from `snapshotFile` and its journal into `store`, then journals every
 * change from now on (see `Journal`). A torn last journal record is dropped (with a warning);
 * the recovered state is compacted into a fresh snapshot at once, so the next start reads one file.
 * The folder is created private if missing; the state files are made private (0600) if they were not.
 * @throws when the snapshot is unreadable or the journal is damaged before its last record.
 */
export async function openPersistence(
  snapshotFile: string,
  store: ObjectStore,
  options: PersistenceOptions,
): Promise<Journal> {
  const log = options.logger;
  const dir = dirname(snapshotFile);
  const journalFile = journalFileFor(snapshotFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeStaleTemps(snapshotFile);

  const snapshot: StoreSnapshot = (await loadSnapshot(snapshotFile)) ?? {
    version: 1,
    resourceVersion: 0,
    objects: {},
  };
  const snapshotBytes = await fileSize(snapshotFile);
  if (snapshotBytes > 0) await chmod(snapshotFile, PRIVATE_FILE_MODE);
  const data = await readJournalFile(journalFile);
  let contents: ReturnType<typeof decodeJournal>;
  try {
    contents = decodeJournal(data);
  } catch (err) {
    if (!(err instanceof JournalCorruptError)) throw err;
    throw new Error(
      `${journalFile} is damaged (${err.message}); writes after that point cannot be recovered. ` +
        `Move the file away to start from ${snapshotFile} alone.`,
    );
  }
  if (contents.droppedBytes > 0) {
    log?.warn(
      { file: journalFile, droppedBytes: contents.droppedBytes },
      'kube-sim dropped a torn last journal record (a write interrupted by a crash, never acknowledged)',
    );
  }
  store.restore(replayJournal(snapshot, contents.events));

  const journal = await Journal.open({
    file: journalFile,
    snapshotFile,
    store,
    compactBytes: options.compactBytes,
    snapshotBytes,
    logger: log,
  });
  try {
    // The journal may just have been created: its directory entry must be on disk too.
    await fsyncDirectory(dir);
    if (data.length > 0) await journal.compact();
  } catch (err) {
    await journal.close({ compact: false });
    throw err;
  }
  journal.attach();
  log?.info(
    {
      snapshot: snapshotFile,
      journal: journalFile,
      resourceVersion: store.resourceVersion,
      replayed: contents.events.length,
    },
    'kube-sim state recovered',
  );
  return journal;
}
