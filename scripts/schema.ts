// Writes schema/schema.graphql from the Pothos schema, or with --check fails when the file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSdl } from '../schema/index.ts';

const file = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
const sdl = printSdl();

if (process.argv.includes('--check')) {
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current !== sdl) {
    process.stderr.write(
      'schema/schema.graphql is stale: run `npm run schema:print` and commit the result.\n',
    );
    process.exit(1);
  }
  process.stdout.write('schema/schema.graphql is current\n');
} else {
  await writeFile(file, sdl);
  process.stdout.write(`wrote ${file}\n`);
}
