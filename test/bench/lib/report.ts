import { cpus, totalmem } from 'node:os';
import { formatBytes } from './stats.ts';

export type Column = { header: string; align?: 'left' | 'right' };

/** Renders a plain-text table; the first column is left-aligned unless told otherwise, the rest right. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const alignOf = (i: number) => columns[i]?.align ?? (i === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]) =>
    `| ${widths
      .map((w, i) => {
        const cell = cells[i] ?? '';
        return alignOf(i) === 'left' ? cell.padEnd(w) : cell.padStart(w);
      })
      .join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (alignOf(i) === 'left' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

export function printTable(title: string, columns: readonly Column[], rows: readonly (readonly string[])[]) {
  console.log(`\n${title}\n${renderTable(columns, rows)}`);
}

/** Prints `key: value` lines under a heading, keys padded to one width. */
export function printFacts(title: string, facts: Readonly<Record<string, string>>) {
  const width = Math.max(...Object.keys(facts).map((k) => k.length));
  console.log(`\n${title}`);
  for (const [key, value] of Object.entries(facts)) console.log(`  ${`${key}:`.padEnd(width + 1)} ${value}`);
}

/** What a reader needs to compare figures across machines. */
export function machineFacts(): Record<string, string> {
  const cpu = cpus();
  return {
    cores: String(cpu.length),
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    memory: formatBytes(totalmem()),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
