import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readlink,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../log.ts';
import type { PostgresBinaries } from './binaries.ts';

const run = promisify(execFile);

/** The unprivileged account PostgreSQL runs as when the control plane runs as root. */
export type PostgresUser = { name: string; uid: number; gid: number };

/**
 * Where root keeps what the PostgreSQL user must reach when the checkout or DATA_DIR is private
 * (a 0700 home or `mktemp -d` folder): a copy of the binaries and relocated data directories.
 * EMBEDDED_PG_SYSTEM_DIR overrides it.
 */
export const SYSTEM_DIR = '/var/lib/justiam-control-plane';

const USER = 'postgres';

/**
 * PostgreSQL refuses to run as root: find the `postgres` account, or create it as a system user
 * with no login shell and no home, as a distribution's package would.
 */
export async function postgresUser(logger: Logger): Promise<PostgresUser> {
  const found = await lookup(USER);
  if (found) return found;
  try {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      USER,
    ]);
  } catch (error) {
    throw new Error(
      `running as root, embedded PostgreSQL needs an unprivileged user and "useradd ${USER}" failed (${firstLine(error)}); create a "${USER}" user, run as a normal user, or set DATABASE_URL`,
    );
  }
  logger.info({ user: USER }, 'created system user for embedded PostgreSQL');
  const created = await lookup(USER);
  if (!created) throw new Error(`user "${USER}" was created but cannot be found`);
  return created;
}

async function lookup(name: string): Promise<PostgresUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Whether `user` may traverse (`x`) or read (`r`) `path`, asked of the kernel as that user. */
export function userCan(user: PostgresUser, test: 'x' | 'r', path: string): boolean {
  const result = spawnSync('/bin/sh', ['-c', `test -${test} "$1"`, 'sh', path], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.status === 0;
}

/**
 * The binaries folder `user` can run: the package's own when its path is open to them, else a copy
 * under `systemDir` (made once per version, atomically, so two instances may race).
 */
export async function reachableBinaries(
  binaries: PostgresBinaries,
  user: PostgresUser,
  logger: Logger,
  systemDir: string,
): Promise<string> {
  if (userCan(user, 'x', binaries.postgres)) return binaries.root;
  const target = join(systemDir, `postgres-${binaries.version}`);
  if (await exists(join(target, 'bin', 'postgres'))) return target;
  await mkdir(systemDir, { recursive: true, mode: 0o755 });
  const staging = await mkdtemp(join(systemDir, '.postgres-'));
  try {
    await cp(binaries.root, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, target);
    logger.info(
      { from: binaries.root, to: target, user: user.name },
      `the PostgreSQL binaries are not reachable by user ${user.name} from this checkout: copied them to ${target}`,
    );
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another instance finished the same copy first.
    if (!(await exists(join(target, 'bin', 'postgres')))) throw error;
  }
  return target;
}

/**
 * The data directory `user` will own. `<dataDir>/pg` when `user` can reach `dataDir`; otherwise a
 * folder under `systemDir` with `<dataDir>/pg` a symbolic link to it, so the data still
 * belongs to this DATA_DIR (a new DATA_DIR gets a new cluster) and `ls -l` shows where it is.
 */
export async function reachableDataDir(
  dataDir: string,
  user: PostgresUser,
  logger: Logger,
  systemDir: string,
): Promise<string> {
  const link = join(dataDir, 'pg');
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) return resolve(dataDir, await readlink(link));
  if (userCan(user, 'x', dataDir)) {
    await mkdir(link, { recursive: true, mode: 0o700 });
    await ownTree(link, user);
    return link;
  }
  if (existing) {
    throw new Error(
      `${link} holds a database that user ${user.name} cannot reach (a folder on its path is private); make the path traversable (chmod o+x on each folder) or move DATA_DIR`,
    );
  }
  const cluster = join(systemDir, 'clusters', randomBytes(8).toString('hex'));
  await mkdir(join(systemDir, 'clusters'), { recursive: true, mode: 0o755 });
  await mkdir(join(cluster, 'pg'), { recursive: true, mode: 0o700 });
  await chown(cluster, user.uid, user.gid);
  await chmod(cluster, 0o700);
  await chown(join(cluster, 'pg'), user.uid, user.gid);
  await symlink(join(cluster, 'pg'), link);
  logger.info(
    { dataDir, cluster: join(cluster, 'pg'), user: user.name },
    `DATA_DIR is not reachable by user ${user.name}: embedded PostgreSQL keeps its data in ${join(cluster, 'pg')} (linked from ${link})`,
  );
  return join(cluster, 'pg');
}

/** Makes `user` the owner of a data directory (a cluster made by another account, or by root). */
async function ownTree(path: string, user: PostgresUser): Promise<void> {
  const info = await stat(path);
  if (info.uid === user.uid) return;
  await run('chown', ['-R', `${user.uid}:${user.gid}`, path]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(error)).trim().split('\n')[0] ?? '';
}
