import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim } from '../../../../server/dev/kube-sim/index.ts';
import { decodeJournal, replayJournal } from '../../../../server/dev/kube-sim/journal-format.ts';
import type { KubeObject } from '../../../../server/dev/kube-sim/objects.ts';
import type { StoreSnapshot } from '../../../../server/dev/kube-sim/store.ts';
import {
  encode,
  type Kind,
  Ledger,
  lines,
  objectPath,
  runWorker,
  type Seen,
  type State,
  seededRandom,
  stateOf,
  watchKind,
} from './crash-workload.ts';

const FIXTURE = 'test/support/fixtures/kube-sim-persistent.ts';
const ROUNDS = 5;
const WORKERS = 8;
/** Small, so that compactions happen all through the run and some kills land in one. */
const COMPACT_BYTES = 8 * 1024;

type Child = { child: ChildProcess; url: string; exited: Promise<unknown> };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-sim-durability-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts the simulator in a child process on `file` and waits for the line with its URL. */
async function startChild(file: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, file, String(COMPACT_BYTES)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const match = out.match(/kube-sim listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    void exited.then(() => reject(new Error(`the simulator exited before listening:\n${out}`)));
  });
  return { child, url, exited };
}

async function read(url: string, kind: Kind, name: string): Promise<KubeObject | undefined> {
  const res = await fetch(`${url}${objectPath(kind, name)}`);
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return (await res.json()) as KubeObject;
}

const describeState = (s: State | undefined) => (s === undefined ? '-' : s === 'absent' ? 'absent' : s.value);

/**
 * Checks the restarted simulator against what the client saw before the kill, then takes what
 * it shows as the new known state (an in-flight write either made it or did not).
 */
async function verify(url: string, ledger: Ledger, seen: Map<string, Seen>, context: string): Promise<void> {
  for (const [key, t] of ledger.objects) {
    const object = await read(url, t.kind, t.name);
    const now = stateOf(t.kind, object);
    const allowed = [t.acked, ...(t.inflight ? [t.inflight] : [])];
    expect(
      allowed,
      `${context}: ${key} is ${describeState(now)}; acknowledged ${describeState(t.acked)}, in flight ${describeState(t.inflight)}`,
    ).toContainEqual(now);
    const rv = Number(object?.metadata.resourceVersion);
    ledger.see(rv);
    if (now !== 'absent' && t.acked !== 'absent' && now.value === t.acked.value && t.ackedRv !== undefined) {
      expect(rv, `${context}: ${key} resourceVersion`).toBe(t.ackedRv);
    }
    const watched = seen.get(key);
    if (watched?.type === 'DELETED') expect(now, `${context}: ${key} was seen deleted`).toBe('absent');
    else if (watched && now === 'absent')
      expect(t.deleteSent, `${context}: ${key} was watched, now gone`).toBe(true);
    else if (watched)
      expect(rv, `${context}: ${key} was watched at ${watched.rv}`).toBeGreaterThanOrEqual(watched.rv);
    t.acked = now;
    t.ackedRv = now === 'absent' ? undefined : rv;
    t.inflight = undefined;
  }
  for (const kind of ['secrets', 'configmaps'] as const) {
    const list = (await (await fetch(`${url}${objectPath(kind)}`)).json()) as { items: KubeObject[] };
    for (const item of list.items) {
      expect(
        ledger.objects.has(`${kind}/${item.metadata.name}`),
        `${context}: unexpected ${item.metadata.name}`,
      ).toBe(true);
    }
  }
  // A version handed out after the restart is newer than any seen before it.
  const name = `probe-${ledger.maxSeenRv}`;
  const probe = await fetch(`${url}${objectPath('configmaps')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metadata: { name }, data: encode('configmaps', name) }),
  });
  expect(probe.status).toBe(201);
  const probeRv = Number(((await probe.json()) as KubeObject).metadata.resourceVersion);
  expect(probeRv, `${context}: first resourceVersion after the restart`).toBeGreaterThan(ledger.maxSeenRv);
  ledger.objects.set(`configmaps/${name}`, {
    kind: 'configmaps',
    name,
    acked: { value: name },
    ackedRv: probeRv,
    deleteSent: false,
  });
  ledger.see(probeRv);
  seen.clear();
}

describe('kill -9 while clients write', () => {
  it('keeps every acknowledged and every watched write, nothing half-written, and resourceVersions only grow', {
    timeout: 60_000,
  }, async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const random = seededRandom(seed);
    const file = join(dir, 'kube-sim.json');
    const ledger = new Ledger();
    const seen = new Map<string, Seen>();
    let sim = await startChild(file);
    let totalAcks = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const context = `seed ${seed}, round ${round}`;
      const watches = await Promise.all(
        (['secrets', 'configmaps'] as const).map((k) => watchKind(sim.url, k, ledger, seen)),
      );
      // Kill after a random number of acknowledged writes: early, late, in or out of a compaction.
      const killAfter = 1 + Math.floor(random() * 250);
      let acks = 0;
      let killed = false;
      const onAck = () => {
        acks++;
        if (!killed && acks >= killAfter) {
          killed = sim.child.kill('SIGKILL');
        }
        return killed;
      };
      await Promise.all(
        Array.from({ length: WORKERS }, (_, w) =>
          runWorker({ url: sim.url, ledger, random, prefix: `r${round}w${w}`, onAck }),
        ),
      );
      expect(killed, `${context}: the kill happened`).toBe(true);
      await sim.exited;
      await Promise.all(watches.map((w) => w.ended));
      totalAcks += acks;
      sim = await startChild(file);
      await verify(sim.url, ledger, seen, context);
    }
    expect(totalAcks).toBeGreaterThan(ROUNDS);

    sim.child.kill('SIGTERM');
    const [code] = (await sim.exited) as [number | null];
    expect(code).toBe(0);
    // A clean stop compacts: the snapshot holds everything, the journal is empty, both private.
    expect((await readdir(dir)).sort()).toEqual(['kube-sim.journal', 'kube-sim.json']);
    expect((await stat(join(dir, 'kube-sim.journal'))).size).toBe(0);
    for (const name of ['kube-sim.journal', 'kube-sim.json']) {
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    }
  });
});

/** What a crash at this instant would recover: the files as they are, read synchronously. */
function recoverNow(folder: string): StoreSnapshot {
  const names = readdirSync(folder);
  const snapshot: StoreSnapshot = names.includes('kube-sim.json')
    ? (JSON.parse(readFileSync(join(folder, 'kube-sim.json'), 'utf8')) as StoreSnapshot)
    : { version: 1, resourceVersion: 0, objects: {} };
  const journal = names.includes('kube-sim.journal')
    ? readFileSync(join(folder, 'kube-sim.journal'))
    : Buffer.alloc(0);
  return replayJournal(snapshot, decodeJournal(journal).events);
}

describe('acknowledge and announce only what is on disk', () => {
  it('has every answered write and every watched change in the files at the moment it is seen', async () => {
    const folder = await mkdtemp(join(dir, 'inproc-'));
    const sim = await startKubeSim({ persistFile: join(folder, 'kube-sim.json'), journalCompactBytes: 4096 });
    const problems: string[] = [];
    const inFiles = (name: string, rv: number, what: string) => {
      const state = recoverNow(folder);
      const found = state.objects.secrets?.find((o) => o.metadata.name === name);
      if (!found || Number(found.metadata.resourceVersion) < rv) {
        problems.push(`${what} ${name}@${rv} was not in the files yet`);
      }
    };
    const watch = await fetch(`${sim.url}${objectPath('secrets')}?watch=true&resourceVersion=1`);
    const watched = (async () => {
      let count = 0;
      for await (const line of lines(watch)) {
        const { object } = JSON.parse(line) as { object: KubeObject };
        inFiles(object.metadata.name!, Number(object.metadata.resourceVersion), 'watched');
        if (++count === 60) break;
      }
      return count;
    })();
    const codes = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const res = await fetch(`${sim.url}${objectPath('secrets')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ metadata: { name: `ack-${i}` }, data: { a: 'eA==' } }),
        });
        const body = (await res.json()) as KubeObject;
        inFiles(`ack-${i}`, Number(body.metadata.resourceVersion), 'answered');
        return res.status;
      }),
    );
    expect(await watched).toBe(60);
    await sim.stop();
    expect(codes.every((c) => c === 201)).toBe(true);
    expect(problems).toEqual([]);
  });
});
