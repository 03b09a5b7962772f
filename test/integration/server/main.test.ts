import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { spawnServer as run, waitForOutput as waitForLine } from '../../support/process.ts';

describe('server process', () => {
  let database: TestDatabase;
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'cp-main-'));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails fast on a bad PORT with one line naming it, exit code 1', async () => {
    const proc = run({ PORT: 'abc', DATABASE_URL: database.url });
    children.push(proc.child);
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr.trim()).toBe('configuration error: PORT must be a number (got "abc")');
  });

  it('fails fast on an unreachable DATABASE_URL, naming it without its password', async () => {
    const proc = run({ PORT: '0', DATABASE_URL: 'postgres://cp:hunter2@127.0.0.1:1/cp' });
    children.push(proc.child);
    expect((await proc.exited).code).toBe(1);
    expect(proc.stdout).toMatch(
      /start-up failed: DATABASE_URL \(postgres:\/\/cp:\*\*\*@127\.0\.0\.1:1\/cp\) is unreachable/,
    );
    expect(proc.stdout + proc.stderr).not.toContain('hunter2');
  });

  it('says which database it uses, serves, and on SIGTERM closes WebSockets and exits 0 within 10 s', async () => {
    const proc = run({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir });
    children.push(proc.child);
    expect((await waitForLine(proc, /using PostgreSQL from DATABASE_URL/))[0]).toBeTruthy();
    const [, url] = await waitForLine(proc, /control plane listening on (http:\/\/[^"]+)"/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const socket = new WebSocket(`${url!.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    const closed = once(socket, 'close');

    const started = Date.now();
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const [code] = await closed;
    expect(code).toBe(1001);
    expect(proc.stdout).toMatch(/"msg":"stopped"/);
  });
});
