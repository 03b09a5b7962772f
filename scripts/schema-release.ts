// Records the schema as released (schema/released.graphql): run when a release is cut, so that
// `npm run schema:diff` judges later changes against what clients of that release may use.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSdl } from '../schema/index.ts';

const file = fileURLToPath(new URL('../schema/released.graphql', import.meta.url));
await writeFile(file, printSdl());
// Biome checks every .graphql file but schema.graphql: give the copy its format, or `npm run lint` fails.
const format = spawnSync('npx', ['biome', 'format', '--write', file], { stdio: 'inherit' });
if (format.status !== 0) process.exit(format.status ?? 1);
process.stdout.write(`wrote ${file}\n`);
