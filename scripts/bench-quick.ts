/**
 * `npm run bench:quick`: every benchmark of test/bench/ at a size that keeps each one short, one
 * after the other, for a look before and after a performance-sensitive change. The figures are the
 * same tables as the full runs print, with fewer samples (so wider p99s); the README's figures come
 * from the full sizes (`npm run bench`). Stops at the first benchmark that fails.
 *
 *   npm run bench:quick [-- --only tenants,http]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

/** Name → script and the arguments of its quick size. */
const QUICK: [name: string, script: string, args: string[], flags?: string[]][] = [
  [
    'tenants',
    'test/bench/tenants.bench.ts',
    ['--tenants', '20', '--list-size', '2000', '--clients', '500', '--rounds', '5', '--iterations', '100'],
    ['--expose-gc'],
  ],
  ['http', 'test/bench/http-throughput.bench.ts', ['--seconds', '4', '--rounds', '2']],
  ['dashboard', 'test/bench/dashboard.bench.ts', ['--tenants', '2000', '--iterations', '100']],
  ['limits', 'test/bench/graphql-limits.bench.ts', ['--tenants', '500', '--iterations', '100']],
  ['license', 'test/bench/license-fanout.bench.ts', ['--tenants', '200', '--reps', '3', '--stall-reps', '1']],
  [
    'infrastructure',
    'test/bench/infrastructure-feed.bench.ts',
    ['--pods', '500', '--subscribers', '50', '--rounds', '2'],
  ],
  ['backups', 'test/bench/backups.bench.ts', ['--rows', '20000', '--reps', '2']],
];

const { values } = parseArgs({ options: { only: { type: 'string' } }, strict: true });
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !QUICK.some(([n]) => n === name));
if (unknown?.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${QUICK.map(([n]) => n).join(', ')}`);
  process.exit(2);
}

const started = Date.now();
const times: string[] = [];
for (const [name, script, args, flags = []] of QUICK) {
  if (only && !only.includes(name)) continue;
  console.log(`\n===== ${name}: ${script} ${args.join(' ')}`);
  const t0 = Date.now();
  const run = spawnSync(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  times.push(`${name} ${seconds} s`);
  if (run.status !== 0) {
    console.error(`\n${name} failed (exit ${run.status ?? run.signal}) after ${seconds} s`);
    process.exit(1);
  }
}
console.log(`\nbench:quick: ${times.join(', ')}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
