/**
 * Benchmark of the cluster simulator's durable writes: create/patch over HTTP with persistence off
 * (memory only) and on (journal, fdatasync before each answer, group commit), beside the floor:
 * the very records the journal wrote, appended to a plain file with fdatasync after each, in the
 * same process and folder. One client writing one at a time, then several at once.
 *
 *   node --import tsx test/bench/kube-sim-writes.bench.ts
 *
 * Writes go to a folder under BENCH_DIR (default: the system temp folder); put it on the disk
 * DATA_DIR lives on to measure that disk.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { type KubeSim, startKubeSim } from '../../server/dev/kube-sim/index.ts';
import { decodeJournal } from '../../server/dev/kube-sim/journal-format.ts';
import { measureFloor, splitRecords } from './kube-sim-writes/floor.ts';
import { runWrites, type Series } from './kube-sim-writes/load.ts';
import {
  CLIENTS,
  CONCURRENT_WRITES,
  DEFAULT_COMPACT_BYTES,
  REPETITIONS,
  SEQUENTIAL_WRITES,
  WARMUP_WRITES,
} from './kube-sim-writes/params.ts';
import { type Compactions, type ModeResult, printFigures } from './kube-sim-writes/report.ts';
import { machineFacts, printFacts } from './lib/report.ts';
import { formatBytes, formatCount } from './lib/stats.ts';

/** Past this the run is broken, not slow: stop rather than hang a CI job. */
const DEADLINE_MS = 170_000;
/** The compaction runs compact this often (16× the default), so compaction shows in a short run. */
const STRESS_COMPACT_BYTES = DEFAULT_COMPACT_BYTES / 16;
const NO_COMPACTION = 1024 ** 4;

type Shape = { clients: number; writes: number };

/** Collects the simulator's compaction log lines (it logs nothing else at info in a run). */
function compactionLog(into: Compactions) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { msg: string; ms?: number; snapshotBytes?: number };
        if (entry.msg.startsWith('kube-sim compacted')) {
          into.count++;
          into.ms.push(entry.ms!);
          into.snapshotBytes.push(entry.snapshotBytes!);
        }
      }
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

async function withSim<T>(
  dir: string,
  options: { compactBytes?: number; compactions?: Compactions },
  run: (sim: KubeSim, persistFile: string | undefined) => Promise<T>,
): Promise<T> {
  const persistFile = options.compactBytes ? join(dir, 'kube-sim.json') : undefined;
  const sim = await startKubeSim({
    persistFile,
    journalCompactBytes: options.compactBytes,
    podStartDelayMs: 200,
    logger: options.compactions ? compactionLog(options.compactions) : undefined,
  });
  try {
    return await run(sim, persistFile);
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'kube-sim-bench-'));
  try {
    printFacts('Machine', {
      ...machineFacts(),
      folder: root,
    });
    printFacts('Parameters', {
      writes: 'alternating: create a Secret (7 keys of 32 random bytes), merge-patch one key of a ConfigMap',
      sequential: `${formatCount(SEQUENTIAL_WRITES)} writes, 1 client, after ${WARMUP_WRITES} warm-up`,
      concurrent: `${formatCount(CONCURRENT_WRITES)} writes, ${CLIENTS} clients each one at a time, after ${WARMUP_WRITES} warm-up`,
      repetitions: `${REPETITIONS} per mode, modes alternating, a fresh simulator (and folder) each time`,
      journal: 'fdatasync per group commit before the answer; no compaction within the run',
      compaction: `as journal, compacting every ${formatBytes(STRESS_COMPACT_BYTES)} (default ${formatBytes(DEFAULT_COMPACT_BYTES)})`,
      floor: "the journal run's own records appended to a plain file, fdatasync after each",
    });

    let run = 0;
    for (const shape of [
      { clients: 1, writes: SEQUENTIAL_WRITES },
      { clients: CLIENTS, writes: CONCURRENT_WRITES },
    ] satisfies Shape[]) {
      const load = { ...shape, warmup: WARMUP_WRITES };
      const memory: Series[] = [];
      const journal: Series[] = [];
      const compacting: Series[] = [];
      const floor: Series[] = [];
      const compactions: Compactions = { count: 0, ms: [], snapshotBytes: [] };
      let records = 0;
      let events = 0;
      let journalBytes = 0;
      for (let rep = 0; rep < REPETITIONS; rep++) {
        const tag = `b${run++}`;
        const dir = await mkdtemp(join(root, `${tag}-`));
        memory.push(await withSim(dir, {}, (sim) => runWrites(sim.url, { ...load, tag })));
        await withSim(dir, { compactBytes: NO_COMPACTION }, async (sim, persistFile) => {
          const journalFile = persistFile!.replace(/\.json$/, '.journal');
          const series = await runWrites(sim.url, { ...load, tag: `${tag}j` });
          journal.push(series);
          // Only the counted writes' records: the file ends with them, they are the last ones.
          const all = splitRecords(await readFile(journalFile));
          const counted: Buffer[] = [];
          let n = 0;
          for (let i = all.length - 1; i >= 0 && n < shape.writes; i--) {
            counted.unshift(all[i]!);
            n += decodeJournal(all[i]!).events.length;
          }
          records += counted.length;
          events += n;
          journalBytes += counted.reduce((sum, r) => sum + r.length, 0);
          floor.push(await measureFloor(dir, counted));
          if ((await stat(journalFile)).size === 0) throw new Error('the journal was compacted in its run');
        });
        compacting.push(
          await withSim(dir, { compactBytes: STRESS_COMPACT_BYTES, compactions }, (sim) =>
            runWrites(sim.url, { ...load, tag: `${tag}c` }),
          ),
        );
        await rm(dir, { recursive: true, force: true });
      }
      const mode = (label: string, series: Series[], writes = shape.writes * REPETITIONS): ModeResult => ({
        label,
        series,
        writes,
      });
      printFigures({
        title:
          shape.clients === 1
            ? 'Sequential writes (1 client), HTTP create/patch → answer'
            : `Concurrent writes (${shape.clients} clients), HTTP create/patch → answer`,
        memory: mode('memory only (persistence off)', memory),
        journal: mode('journal: fdatasync before the answer', journal),
        compacting: mode(`journal, compacting every ${formatBytes(STRESS_COMPACT_BYTES)}`, compacting),
        floor: mode('floor: same records, append + fdatasync', floor, events),
        bytesPerWrite: journalBytes / events,
        writesPerRecord: events / records,
        compactions,
        compactBytes: STRESS_COMPACT_BYTES,
      });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  console.error(`benchmark still running after ${DEADLINE_MS / 1000} s; giving up`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

main().then(
  () => clearTimeout(deadline),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
