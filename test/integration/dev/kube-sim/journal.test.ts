import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../../../server/dev/kube-sim/journal.ts';
import { decodeJournal } from '../../../../server/dev/kube-sim/journal-format.ts';
import { type KubeObject, prepareCreate, prepareUpdate } from '../../../../server/dev/kube-sim/objects.ts';
import { journalFileFor, openPersistence } from '../../../../server/dev/kube-sim/persistence.ts';
import { resourceByKind } from '../../../../server/dev/kube-sim/resources.ts';
import { ObjectStore, type StoreEvent } from '../../../../server/dev/kube-sim/store.ts';

const SECRET = resourceByKind('Secret');
const CONFIGMAP = resourceByKind('ConfigMap');
const NS = 'justiam-mt';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kube-sim-journal-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dirs = 0;
async function freshDir(): Promise<string> {
  const dir = join(root, `d${dirs++}`);
  await mkdir(dir);
  return dir;
}

/** A store recovered from (and journaling to) `dir`, with its warnings collected. */
async function open(dir: string, compactBytes = 1 << 30) {
  const store = new ObjectStore(100);
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      warnings.push(String(chunk));
      done();
    },
  });
  const journal = await openPersistence(join(dir, 'kube-sim.json'), store, {
    compactBytes,
    logger: pino({ level: 'warn' }, sink),
  });
  return { store, journal, warnings };
}

function createSecret(store: ObjectStore, name: string, value: string): KubeObject {
  const body = { metadata: { name }, stringData: { a: value, b: value } };
  return store.create(SECRET, prepareCreate(SECRET, body, NS));
}

function setValue(store: ObjectStore, name: string, value: string): KubeObject {
  const current = store.get(SECRET, NS, name)!;
  return store.update(
    SECRET,
    prepareUpdate(SECRET, current, { ...current, stringData: { a: value, b: value } }),
  );
}

function secretValue(store: ObjectStore, name: string): string | undefined {
  const data = store.get(SECRET, NS, name)?.data as Record<string, string> | undefined;
  if (!data) return undefined;
  const [a, b] = [data.a!, data.b!].map((v) => Buffer.from(v, 'base64').toString());
  expect(a).toBe(b);
  return a;
}

/** What a crash right now would leave: a copy of the files as they are on disk. */
async function crashImage(dir: string): Promise<string> {
  const image = await freshDir();
  for (const name of ['kube-sim.json', 'kube-sim.journal']) {
    await copyFile(join(dir, name), join(image, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  return image;
}

/** Changes one byte inside the record that holds `text` (its length stays, its checksum fails). */
async function damage(file: string, text: string): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.indexOf(Buffer.from(text));
  expect(at).toBeGreaterThan(0);
  bytes[at + 1] = 'z'.charCodeAt(0);
  await writeFile(file, bytes);
}

/** Writes `n` secrets one at a time, each durable before the next, so each is one journal record. */
async function writeSeparately(store: ObjectStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    createSecret(store, `s${i}`, `v${i}`);
    await store.whenDurable();
  }
}

async function closeAll(...journals: Journal[]): Promise<void> {
  for (const j of journals) await j.close({ compact: false });
}

describe('journal recovery', () => {
  it('drops a torn last record and replays every record before it', async () => {
    const dir = await freshDir();
    const first = await open(dir);
    await writeSeparately(first.store, 5);
    const rvBefore = first.store.resourceVersion;
    const image = await crashImage(dir);
    const journalFile = journalFileFor(join(image, 'kube-sim.json'));
    const size = (await stat(journalFile)).size;
    const last = (await readFile(journalFile)).lastIndexOf(0x0a, size - 2) + 1;
    // Cut the last record half-way, as a crash during its write would.
    await truncate(journalFile, last + Math.floor((size - last) / 2));

    const second = await open(image);
    expect([0, 1, 2, 3].map((i) => secretValue(second.store, `s${i}`))).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(second.store.get(SECRET, NS, 's4')).toBeUndefined();
    expect(second.store.resourceVersion).toBe(rvBefore - 1);
    expect(second.warnings.join('')).toContain('dropped a torn last journal record');
    // Recovery compacts: the torn bytes are gone and the next write follows the good records.
    expect((await stat(journalFile)).size).toBe(0);
    createSecret(second.store, 'after', 'x');
    await second.store.whenDurable();
    const third = await open(await crashImage(image));
    expect(secretValue(third.store, 'after')).toBe('x');
    expect(secretValue(third.store, 's3')).toBe('v3');
    await closeAll(first.journal, second.journal, third.journal);
  });

  it('drops a last record whose checksum fails, and a zero-filled tail', async () => {
    const dir = await freshDir();
    const first = await open(dir);
    await writeSeparately(first.store, 3);

    const flipped = await crashImage(dir);
    const flippedJournal = journalFileFor(join(flipped, 'kube-sim.json'));
    await damage(flippedJournal, '"s2"');
    const second = await open(flipped);
    expect(secretValue(second.store, 's1')).toBe('v1');
    expect(second.store.get(SECRET, NS, 's2')).toBeUndefined();

    const zeroed = await crashImage(dir);
    // A crash after the file grew but before its data blocks were written leaves zeros.
    await writeFile(journalFileFor(join(zeroed, 'kube-sim.json')), Buffer.alloc(4096), { flag: 'a' });
    const third = await open(zeroed);
    expect(secretValue(third.store, 's2')).toBe('v2');
    expect(third.warnings.join('')).toContain('"droppedBytes":4096');
    await closeAll(first.journal, second.journal, third.journal);
  });

  it('refuses a journal damaged before its last record instead of losing the writes after it', async () => {
    const dir = await freshDir();
    const first = await open(dir);
    await writeSeparately(first.store, 3);
    const image = await crashImage(dir);
    const journalFile = journalFileFor(join(image, 'kube-sim.json'));
    await damage(journalFile, '"s0"');
    await expect(open(image)).rejects.toThrow(/kube-sim\.journal is damaged .*whole records follow it/);
    await closeAll(first.journal);
  });

  it('skips journal records the snapshot already holds (a crash between compaction steps)', async () => {
    const dir = await freshDir();
    const first = await open(dir);
    createSecret(first.store, 'x', 'old');
    await first.store.whenDurable();
    const oldJournal = await readFile(journalFileFor(join(dir, 'kube-sim.json')));
    setValue(first.store, 'x', 'new');
    await first.store.whenDurable();
    await first.journal.compact();
    // The snapshot is renamed in but the journal not yet emptied: it still says "old".
    const image = await crashImage(dir);
    await writeFile(journalFileFor(join(image, 'kube-sim.json')), oldJournal);
    const second = await open(image);
    expect(secretValue(second.store, 'x')).toBe('new');
    expect(second.store.resourceVersion).toBe(first.store.resourceVersion);
    await closeAll(first.journal, second.journal);
  });

  it('keeps a kube-sim.json written before the journal existed, and makes it private', async () => {
    const dir = await freshDir();
    const legacy = prepareCreate(
      SECRET,
      { metadata: { name: 'kept' }, stringData: { a: 'old', b: 'old' } },
      NS,
    );
    legacy.metadata.resourceVersion = '41';
    // As the debounced saver of the previous version wrote it (keyed by resource, mode 0644).
    await writeFile(
      join(dir, 'kube-sim.json'),
      JSON.stringify({ version: 1, resourceVersion: 42, objects: { secrets: [legacy] } }),
      { mode: 0o644 },
    );
    await writeFile(join(dir, `kube-sim.json.${process.pid + 1}.tmp`), '{"torn');
    const { store, journal } = await open(dir);
    expect(secretValue(store, 'kept')).toBe('old');
    expect(store.resourceVersion).toBe(42);
    expect(Number(createSecret(store, 'next', 'v').metadata.resourceVersion)).toBe(43);
    await store.whenDurable();
    for (const name of ['kube-sim.json', 'kube-sim.journal']) {
      expect(((await stat(join(dir, name))).mode & 0o777).toString(8)).toBe('600');
    }
    await journal.close();
    expect((await readdir(dir)).sort()).toEqual(['kube-sim.journal', 'kube-sim.json']);
    const saved = JSON.parse(await readFile(join(dir, 'kube-sim.json'), 'utf8'));
    expect(saved.resourceVersion).toBe(43);
  });
});

describe('journal writing', () => {
  it('writes changes made together as one record, released together once it is on disk', async () => {
    const dir = await freshDir();
    const { store, journal } = await open(dir);
    const released: StoreEvent[] = [];
    store.subscribeDurable((e) => released.push(e));
    for (let i = 0; i < 20; i++) createSecret(store, `g${i}`, 'v');
    expect(released).toEqual([]);
    await store.whenDurable();
    expect(released.map((e) => e.object.metadata.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `g${i}`),
    );
    const data = await readFile(journalFileFor(join(dir, 'kube-sim.json')));
    expect(data.toString().split('\n').filter(Boolean)).toHaveLength(1);
    expect(decodeJournal(data).events).toHaveLength(20);
    await journal.close();
  });

  it('compacts into the snapshot once the journal passes its threshold, and recovers from both', async () => {
    const dir = await freshDir();
    const { store, journal } = await open(dir, 16 * 1024);
    for (let i = 0; i < 60; i++) {
      createSecret(store, `c${i}`, 'x'.repeat(500));
      await store.whenDurable();
    }
    const text = await readFile(join(dir, 'kube-sim.json'), 'utf8');
    const snapshot = JSON.parse(text);
    // The threshold is the larger of the setting and the snapshot: one record more at most.
    expect(journal.bytes).toBeLessThan(Math.max(16 * 1024, text.length) + 1024);
    const journaled = decodeJournal(await readFile(journalFileFor(join(dir, 'kube-sim.json')))).events;
    expect(snapshot.objects.secrets.length).toBeGreaterThan(0);
    expect(snapshot.objects.secrets.length + journaled.length).toBe(60);
    const again = await open(await crashImage(dir));
    expect(again.store.list(SECRET, NS)).toHaveLength(60);
    expect(again.store.resourceVersion).toBe(store.resourceVersion);
    await closeAll(journal, again.journal);
  });

  it('records deletes, so a deleted object stays deleted after recovery', async () => {
    const dir = await freshDir();
    const { store, journal } = await open(dir);
    createSecret(store, 'gone', 'v');
    store.create(CONFIGMAP, prepareCreate(CONFIGMAP, { metadata: { name: 'stays' } }, NS));
    store.delete(SECRET, NS, 'gone');
    await store.whenDurable();
    const again = await open(await crashImage(dir));
    expect(again.store.get(SECRET, NS, 'gone')).toBeUndefined();
    expect(again.store.get(CONFIGMAP, NS, 'stays')).toBeDefined();
    expect(again.store.resourceVersion).toBe(store.resourceVersion);
    await closeAll(journal, again.journal);
  });
});

describe('release of changes', () => {
  it('holds history, durable listeners and whenDurable back until release, then delivers in order', async () => {
    const store = new ObjectStore(100);
    store.deferRelease();
    const committed: number[] = [];
    const released: number[] = [];
    store.subscribe((e) => committed.push(e.rv));
    store.subscribeDurable((e) => released.push(e.rv));
    const a = Number(createSecret(store, 'a', '1').metadata.resourceVersion);
    const b = Number(createSecret(store, 'b', '1').metadata.resourceVersion);
    let durable = false;
    void store.whenDurable(b).then(() => {
      durable = true;
    });
    expect(committed).toEqual([a, b]);
    expect(released).toEqual([]);
    expect(store.eventsSince(SECRET, 0)).toEqual([]);

    store.release(a);
    expect(released).toEqual([a]);
    expect(store.durableResourceVersion).toBe(a);
    await Promise.resolve();
    expect(durable).toBe(false);

    store.release(b);
    await Promise.resolve();
    expect(released).toEqual([a, b]);
    expect(durable).toBe(true);
    expect((store.eventsSince(SECRET, 0) as StoreEvent[]).map((e) => e.rv)).toEqual([a, b]);

    createSecret(store, 'c', '1');
    const failed = store.whenDurable();
    store.failDurability(new Error('disk gone'));
    await expect(failed).rejects.toThrow('disk gone');
    await expect(store.whenDurable()).rejects.toThrow('disk gone');
    expect(released).toEqual([a, b]);
  });
});
