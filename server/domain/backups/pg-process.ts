import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';

/** Rows per table (`schema.table`) of every ordinary table outside the system schemas. */
export async function countRows(client: pg.Client | pg.PoolClient): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
      order by 1, 2`,
  );
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await client.query<{ n: string }>(
      `select count(*)::bigint as n from ${pg.escapeIdentifier(t.schema)}.${pg.escapeIdentifier(t.name)}`,
    );
    counts[`${t.schema}.${t.name}`] = Number(rows[0]!.n);
  }
  return counts;
}

/** The tail of a program's stderr: enough to say why it failed, bounded. */
function tail(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8').trim().slice(-2000);
}

export type ProgramResult = { sha256: string; bytes: number };

/**
 * Runs a PostgreSQL client program with its output streamed into `sink` (pg_dump) or its input
 * from `source` (pg_restore), hashing the bytes that pass. Rejects with the program's own error
 * text when it exits non-zero or is killed; `signal` kills it.
 */
export async function runProgram(options: {
  program: string;
  args: string[];
  env: Record<string, string>;
  signal: AbortSignal;
  sink?: Writable;
  source?: Readable;
  onBytes?: (total: number) => void;
}): Promise<ProgramResult> {
  const { program, args, env, signal, sink, source, onBytes } = options;
  const child = spawn(program, args, {
    env,
    stdio: [source ? 'pipe' : 'ignore', sink ? 'pipe' : 'ignore', 'pipe'],
    signal,
    killSignal: 'SIGKILL',
  });
  const name = program.split('/').pop();
  const stderr: Buffer[] = [];
  let stderrBytes = 0;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderrBytes += chunk.length;
    stderr.push(chunk);
    while (stderrBytes > 8192 && stderr.length > 1) stderrBytes -= stderr.shift()!.length;
  });
  const hash = createHash('sha256');
  let bytes = 0;
  const count = (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
    onBytes?.(bytes);
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, sig) => resolve({ code, signal: sig }));
  });
  // The stream side may fail first (the program died, the disk is full): keep its error, let the
  // program's exit explain it when it can.
  let streamError: unknown;
  const streaming = (async () => {
    if (sink) {
      child.stdout!.on('data', count);
      await pipeline(child.stdout!, sink);
    } else if (source) {
      source.on('data', count);
      await pipeline(source, child.stdin!);
    }
  })().catch((error: unknown) => {
    streamError = error;
    if (!signal.aborted) child.kill('SIGKILL');
  });
  const [exit] = await Promise.all([
    exited.catch((error: unknown) => {
      throw new Error(`${name} could not run: ${(error as Error).message}`);
    }),
    streaming,
  ]);
  if (signal.aborted) throw new Error(`${name} was stopped: the control plane is shutting down`);
  if (exit.code !== 0) {
    const why = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
    const text = tail(stderr);
    throw new Error(`${name} ${why}${text ? `: ${text}` : ''}`);
  }
  if (streamError) throw new Error(`${name}'s output could not be stored: ${(streamError as Error).message}`);
  return { sha256: hash.digest('hex'), bytes };
}
