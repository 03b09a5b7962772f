import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMajor } from '../../../../server/db/embedded/postgres.ts';

describe('the embedded data directory’s major version', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  async function pgdata(version: string) {
    const dir = await mkdtemp(join(tmpdir(), 'cp-pgdata-'));
    dirs.push(dir);
    await writeFile(join(dir, 'PG_VERSION'), `${version}\n`);
    return dir;
  }

  it('accepts a data directory made by the embedded major', async () => {
    await expect(checkMajor(await pgdata('15'), '15.18.0-beta.17')).resolves.toBeUndefined();
  });

  it('refuses one made by another major, saying what to do, before PostgreSQL is started', async () => {
    const dir = await pgdata('18');
    await expect(checkMajor(dir, '15.18.0-beta.17')).rejects.toThrow(
      `the embedded PostgreSQL data in ${dir} was made by PostgreSQL 18, and this version of the control plane embeds PostgreSQL 15: move that folder away`,
    );
  });
});
