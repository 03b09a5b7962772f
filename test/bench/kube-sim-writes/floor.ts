import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Series } from './load.ts';

/** Splits journal bytes into its records (one line each, one per group commit). */
export function splitRecords(data: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end === -1) break;
    records.push(data.subarray(offset, end + 1));
    offset = end + 1;
  }
  return records;
}

/**
 * The floor: the same records appended one by one to a plain file in the same folder, each
 * followed by fdatasync, exactly as the journal writes them but with nothing else around it.
 * Latencies are per record (per group commit); `ms` is the whole series.
 */
export async function measureFloor(dir: string, records: readonly Buffer[]): Promise<Series> {
  const handle = await open(join(dir, 'floor.bin'), 'a', 0o600);
  try {
    const latencies: number[] = [];
    const started = performance.now();
    for (const record of records) {
      const t = performance.now();
      let written = 0;
      while (written < record.length) {
        written += (await handle.write(record, written, record.length - written)).bytesWritten;
      }
      await handle.datasync();
      latencies.push(performance.now() - t);
    }
    return { latencies, ms: performance.now() - started };
  } finally {
    await handle.close();
  }
}
