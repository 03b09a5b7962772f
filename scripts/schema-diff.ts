// Compares the schema with the last release (schema/released.graphql): prints dangerous changes,
// and fails on a breaking one. The README's "GraphQL" section has the deprecation policy.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { compareSchemas } from '../schema/compatibility.ts';
import { schema } from '../schema/index.ts';

const file = fileURLToPath(new URL('../schema/released.graphql', import.meta.url));
const released = await readFile(file, 'utf8').catch(() => undefined);
if (released === undefined) {
  process.stderr.write(`${file} is missing: run \`npm run schema:release\` when cutting a release.\n`);
  process.exit(1);
}

const { breaking, dangerous, safe } = await compareSchemas(buildSchema(released), schema);
const line = (label: string) => (change: Change) =>
  `${label} ${change.path ?? ''}: ${change.message}${change.criticality.reason ? ` (${change.criticality.reason})` : ''}\n`;
for (const change of dangerous) process.stdout.write(line('dangerous')(change));
for (const change of breaking) process.stderr.write(line('BREAKING')(change));
if (breaking.length > 0) {
  process.stderr.write(
    `schema diff: ${breaking.length} breaking change(s) against the last release. Deprecate first ` +
      '(@deprecated(reason:) naming the replacement), release, and remove in a later release.\n',
  );
  process.exit(1);
}
process.stdout.write(
  `schema diff: no breaking change against the last release (${dangerous.length} dangerous, ${safe.length} safe)\n`,
);
