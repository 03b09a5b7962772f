import { type FileHandle, open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../log.ts';
import { encodeEvent, encodeRecord } from './journal-format.ts';
import { PRIVATE_FILE_MODE, writeSnapshotFile } from './snapshot-file.ts';
import type { ObjectStore } from './store.ts';

export interface JournalOptions {
  /** The append-only journal. */
  file: string;
  /** The snapshot the journal is compacted into. */
  snapshotFile: string;
  store: ObjectStore;
  /**
   * Compact once the journal holds this many bytes and at least as many as the last snapshot, so
   * rewriting the snapshot costs at most about one byte per byte journaled.
   */
  compactBytes: number;
  /** Size of the snapshot on disk now (0 when there is none). */
  snapshotBytes: number;
  logger?: Logger;
}

/**
 * The write-ahead journal of the cluster simulator. Every committed change is appended and
 * fsynced before the store releases it (to watches, and to the requests waiting on
 * `whenDurable`). Changes that come in while a write is in flight are written together in the
 * next one (group commit). When the journal has grown past its threshold, the whole state is
 * written as a new snapshot and the journal starts again empty.
 */
export class Journal {
  private queue: string[] = [];
  private queuedRv = 0;
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private compactAt: number;
  private failed = false;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private size: number,
    private readonly options: JournalOptions,
  ) {
    this.compactAt = Math.max(options.compactBytes, options.snapshotBytes);
  }

  /** Opens (or creates, private) the journal file for appending. */
  static async open(options: JournalOptions): Promise<Journal> {
    const handle = await open(options.file, 'a', PRIVATE_FILE_MODE);
    try {
      await handle.chmod(PRIVATE_FILE_MODE);
      const { size } = await handle.stat();
      return new Journal(handle, size, options);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Bytes in the journal now. */
  get bytes(): number {
    return this.size;
  }

  /** From now on every change of the store goes through this journal before it is released. */
  attach(): void {
    const { store } = this.options;
    store.deferRelease();
    this.unsubscribe = store.subscribe((event) => {
      if (this.failed || this.closed) return;
      // Serialised now: the record must hold the object as this change left it.
      this.queue.push(encodeEvent(event));
      this.queuedRv = event.rv;
      this.running ??= this.run();
    });
  }

  private async run(): Promise<void> {
    // Changes made in the same turn (a create and the namespace it implies, a controller pass)
    // and requests whose bytes arrived in the same poll share one write and one fsync.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const events = this.queue;
        const rv = this.queuedRv;
        this.queue = [];
        const record = encodeRecord(events);
        await this.writeAll(record);
        await this.handle.datasync();
        this.size += record.length;
        this.options.store.release(rv);
        if (this.size >= this.compactAt) await this.compactFiles();
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.running = undefined;
    }
  }

  private async writeAll(data: Buffer): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.handle.write(data, written, data.length - written);
      written += bytesWritten;
    }
  }

  private fail(err: Error): void {
    this.failed = true;
    this.queue = [];
    this.options.logger?.error(
      { err, file: this.options.file },
      'kube-sim could not write its journal: every request now fails until it is restarted',
    );
    this.options.store.failDurability(new Error(`kube-sim could not write its journal: ${err.message}`));
  }

  /** Compacts now, between two group commits (changes made meanwhile wait for it). */
  async compact(): Promise<void> {
    while (this.running) await this.running;
    if (this.failed || this.closed) return;
    let failure: unknown;
    const compaction = this.compactFiles()
      .catch((err: unknown) => {
        failure = err;
        this.fail(err as Error);
      })
      .finally(() => {
        this.running = this.queue.length > 0 ? this.run() : undefined;
      });
    this.running = compaction;
    await compaction;
    if (failure) throw failure;
  }

  /**
   * Writes the whole committed state as the new snapshot, then empties the journal. A crash in
   * between leaves a journal whose records the snapshot already holds: replay skips them by
   * resourceVersion. Changes made while the snapshot is written wait, as they would for an fsync.
   */
  private async compactFiles(): Promise<void> {
    const { store, snapshotFile, logger } = this.options;
    const started = performance.now();
    const text = store.snapshotJson();
    const resourceVersion = store.resourceVersion;
    const journalBytes = this.size;
    try {
      await writeSnapshotFile(snapshotFile, text);
    } catch (err) {
      // The journal still holds everything: keep appending, and try again after as much again.
      this.compactAt = Math.max(this.compactAt, this.size * 2);
      logger?.error({ err, file: snapshotFile }, 'kube-sim could not write its snapshot');
      return;
    }
    await this.handle.truncate(0);
    await this.handle.datasync();
    this.size = 0;
    const snapshotBytes = Buffer.byteLength(text);
    this.compactAt = Math.max(this.options.compactBytes, snapshotBytes);
    logger?.info(
      {
        snapshotBytes,
        journalBytes,
        resourceVersion,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'kube-sim compacted its journal into a snapshot',
    );
  }

  /**
   * Writes what is queued and closes the file; by default compacts first, so that after a clean
   * stop the snapshot alone holds the state.
   */
  async close(options: { compact?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    while (this.running) await this.running;
    this.closed = true;
    this.unsubscribe?.();
    try {
      if (!this.failed && options.compact !== false) await this.compactFiles();
    } finally {
      await this.handle.close();
    }
  }
}
