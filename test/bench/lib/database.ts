import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type BenchDatabase = { name: string; url: string; drop(): Promise<void> };

/** The PostgreSQL server benchmarks use: `DATABASE_URL` when set, else the local default. */
export function benchServerUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database named `<prefix>_<random>` on the server, so a run never sees another
 * run's rows; `drop()` removes it, forcing out connections a failed run may have left open.
 */
export async function createBenchDatabase(serverUrl: string, prefix = 'bench'): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await admin(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
