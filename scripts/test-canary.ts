/**
 * A suite that cannot fail hides everything else. This runs a deliberately failing test through the
 * suite's own vitest setup — with embedded PostgreSQL (no DATABASE_URL) and, when it is set, with
 * DATABASE_URL — and fails unless vitest reports the failure and exits non-zero each time.
 */
import { spawnSync } from 'node:child_process';

const { DATABASE_URL, ...withoutDatabase } = process.env;
const setups: [string, NodeJS.ProcessEnv][] = [['embedded PostgreSQL', withoutDatabase]];
if (DATABASE_URL) setups.push(['DATABASE_URL', process.env]);

let ok = true;
for (const [label, env] of setups) {
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/canary/vitest.config.ts'],
    { env: { ...env, FORCE_COLOR: '0', NO_COLOR: '1' }, encoding: 'utf8' },
  );
  const output = `${run.stdout}${run.stderr}`;
  const reported = /Tests\s+1 failed \| 1 passed/.test(output);
  if (run.status !== 0 && reported) {
    console.log(`canary (${label}): the failing fixture failed the run (exit ${run.status})`);
    continue;
  }
  ok = false;
  console.error(
    `canary (${label}): vitest exited ${run.status ?? run.signal} and ${reported ? 'reported' : 'did not report'} the planted failure; a failing test must fail the run\n${output}`,
  );
}
process.exit(ok ? 0 : 1);
