import { printTable } from '../lib/report.ts';
import { formatBytes, formatCount, formatMs, formatRatio, type Summary, summarize } from '../lib/stats.ts';
import type { Series } from './load.ts';

/** One way of running the writes, with all its repetitions pooled. */
export type ModeResult = {
  label: string;
  series: Series[];
  /** Writes the series stand for (for the floor: the journal events its records held). */
  writes: number;
};

export type Compactions = { count: number; ms: number[]; snapshotBytes: number[] };

export type Figures = {
  title: string;
  memory: ModeResult;
  journal: ModeResult;
  compacting: ModeResult;
  floor: ModeResult;
  /** Bytes the journal got per write, and writes per record (group commit). */
  bytesPerWrite: number;
  writesPerRecord: number;
  compactions: Compactions;
  compactBytes: number;
};

type Row = { latency: Summary; perSecond: number };

function pooled(mode: ModeResult): Row {
  const latencies = mode.series.flatMap((s) => s.latencies);
  const ms = mode.series.reduce((sum, s) => sum + s.ms, 0);
  return { latency: summarize(latencies), perSecond: (mode.writes / ms) * 1000 };
}

const COLUMNS = [
  { header: 'measure' },
  { header: 'writes/s' },
  { header: 'p50' },
  { header: 'p99' },
  { header: 'max' },
];

const row = (label: string, r: Row) => [
  label,
  formatCount(r.perSecond),
  formatMs(r.latency.p50),
  formatMs(r.latency.p99),
  formatMs(r.latency.max),
];

// Throughput as "how many times slower"; the maxima are single outliers, their ratio says nothing.
const ratio = (label: string, a: Row, b: Row) => [
  label,
  formatRatio(b.perSecond, a.perSecond),
  formatRatio(a.latency.p50, b.latency.p50),
  formatRatio(a.latency.p99, b.latency.p99),
  '',
];

/** Prints one series' table (memory, journal, journal with compaction, floor, ratios). */
export function printFigures(f: Figures): void {
  const memory = pooled(f.memory);
  const journal = pooled(f.journal);
  const compacting = pooled(f.compacting);
  const floor = pooled(f.floor);
  printTable(f.title, COLUMNS, [
    row(f.memory.label, memory),
    row(f.journal.label, journal),
    row(f.compacting.label, compacting),
    row(f.floor.label, floor),
    ratio('ratio journal / memory (throughput: how many times fewer)', journal, memory),
    ratio('ratio journal / floor', journal, floor),
    ratio('ratio journal with compaction / journal', compacting, journal),
  ]);
  const c = f.compactions;
  console.log(
    [
      `- ${formatCount(f.journal.writes)} writes counted per mode; ${formatBytes(f.bytesPerWrite)} of journal per write; ${f.writesPerRecord.toFixed(2)} writes per record (one write + fdatasync each).`,
      `- the journal adds ${formatMs(journal.latency.p50 - memory.latency.p50)} to the median write (journal − memory); the floor's median is ${formatMs(floor.latency.p50)}: the rest is serialising, checksumming, and waiting for the thread pool and the next turn of the event loop.`,
      '- floor latency is per record (one group commit), so with several clients it is the cost of one commit, not of one request.',
      c.count > 0
        ? `- compaction every ${formatBytes(f.compactBytes)} (or the snapshot's size, if larger): ${c.count} in the runs, median ${formatMs(summarize(c.ms).p50)}, max ${formatMs(summarize(c.ms).max)}, snapshots up to ${formatBytes(Math.max(...c.snapshotBytes))}.`
        : '- no compaction happened in the compaction runs.',
    ].join('\n'),
  );
}
