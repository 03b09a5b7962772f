import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** A file being written: nothing is visible under its key until `commit`. */
export type PendingFile = {
  stream: Writable;
  /** Flushes the file to disk and makes it visible under its key. */
  commit(): Promise<void>;
  /** Throws the partial file away (safe to call after a failed write, or twice). */
  discard(): Promise<void>;
};

/**
 * A file another program writes straight into storage (a backup Job's pg_dump on the volume the
 * control plane shares): nothing is visible under its key until `commit`.
 */
export type ExternalFile = {
  /** The folder the file is written in (made, 0700), its path relative to the storage root, and the partial file's path. */
  folder: string;
  subPath: string;
  partialPath: string;
  /** Bytes written so far (0 before the program has made the file). */
  size(): Promise<number>;
  /** Reads the finished partial file: its sha256 and size, and its first bytes; flushes it to disk. */
  seal(headBytes: number): Promise<{ sha256: string; bytes: number; head: Buffer }>;
  /** Makes the sealed file visible under its key, readable by its owner only. */
  commit(): Promise<void>;
  /** Throws the partial file away (safe to call twice, or when there is none). */
  discard(): Promise<void>;
};

/**
 * Where backup files live. Keys are relative paths made by the control plane
 * (`<tenant id>/<backup id>.dump`), never taken from a request.
 */
export type BackupStorage = {
  create(key: string): Promise<PendingFile>;
  /** The file's size in bytes, or undefined when there is none under `key`. */
  size(key: string): Promise<number | undefined>;
  /** The file's bytes, or those from `start` to `end` inclusive. */
  read(key: string, range?: { start: number; end: number }): Readable;
  remove(key: string): Promise<void>;
  /** Removes the partial file of `key` left by a write that was interrupted (a crash). */
  discardPartial(key: string): Promise<void>;
  /** A file of `key` written by another program (the `job` runner's pg_dump). */
  external(key: string): Promise<ExternalFile>;
  /** Where the file of `key` is, for another program to read it (the `job` runner's pg_restore). */
  locate(key: string): { folder: string; subPath: string; path: string };
};

const PARTIAL = '.partial';

/**
 * Backup files in a folder (`BACKUP_DIR`, `DATA_DIR/backups` by default; a mounted volume in a
 * cluster). A file is written as `<key>.partial` and renamed to its key once complete and
 * flushed, so a reader never sees a partial file under a backup's key. Folders are 0700 and files
 * 0600: a backup holds every row of a tenant.
 */
export function createFileStorage(root: string): BackupStorage {
  function pathOf(key: string): string {
    const path = join(root, key);
    const inside = relative(root, path);
    if (inside.startsWith('..') || inside === '' || inside.split(sep).includes('..')) {
      throw new Error(`not a backup storage key: ${key}`);
    }
    return path;
  }

  return {
    async create(key) {
      const path = pathOf(key);
      const partial = `${path}${PARTIAL}`;
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const stream = createWriteStream(partial, { mode: 0o600 });
      let done = false;
      return {
        stream,
        async commit() {
          if (!stream.writableFinished) await finished(stream);
          const handle = await open(partial, 'r');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
          await rename(partial, path);
          done = true;
        },
        async discard() {
          if (done) return;
          stream.destroy();
          await rm(partial, { force: true });
        },
      };
    },
    async size(key) {
      const info = await stat(pathOf(key)).catch(() => undefined);
      return info?.isFile() ? info.size : undefined;
    },
    read(key, range) {
      return createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async discardPartial(key) {
      await rm(`${pathOf(key)}${PARTIAL}`, { force: true });
    },
    locate(key) {
      const path = pathOf(key);
      return { folder: dirname(path), subPath: relative(root, dirname(path)), path };
    },
    async external(key) {
      const path = pathOf(key);
      const partial = `${path}${PARTIAL}`;
      const folder = dirname(path);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await rm(partial, { force: true });
      let done = false;
      return {
        folder,
        subPath: relative(root, folder),
        partialPath: partial,
        async size() {
          return (await stat(partial).catch(() => undefined))?.size ?? 0;
        },
        async seal(headBytes) {
          const hash = createHash('sha256');
          const head: Buffer[] = [];
          let bytes = 0;
          for await (const chunk of createReadStream(partial)) {
            const buffer = chunk as Buffer;
            if (bytes < headBytes) head.push(buffer.subarray(0, headBytes - bytes));
            hash.update(buffer);
            bytes += buffer.length;
          }
          const handle = await open(partial, 'r');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
          return { sha256: hash.digest('hex'), bytes, head: Buffer.concat(head) };
        },
        async commit() {
          await chmod(partial, 0o600);
          await rename(partial, path);
          done = true;
        },
        async discard() {
          if (done) return;
          await rm(partial, { force: true });
        },
      };
    },
  };
}

/** Partial files under `root` (for tests and operators: what an interrupted write left). */
export async function partialFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith(PARTIAL));
}
