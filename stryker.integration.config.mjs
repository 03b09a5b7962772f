// The third run of `npm run test:mutation` (see stryker.config.mjs): checks that need a real
// database or a real server, each paired with one small test file. PostgreSQL comes from
// DATABASE_URL, or the test suite's embedded one.
import { readFileSync } from 'node:fs';
import base from './stryker.config.mjs';

/**
 * `file:from-to` covering the declaration that starts with `start` up to the first line after it
 * that matches `end`: one function of a bigger file, found by name so that edits elsewhere in the
 * file do not shift what is mutated.
 */
function span(file, start, end) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const from = lines.findIndex((line) => line.includes(start));
  if (from < 0) throw new Error(`stryker.integration.config.mjs: "${start}" is no longer in ${file}`);
  const to = lines.findIndex((line, i) => i > from && end.test(line));
  if (to < 0) throw new Error(`stryker.integration.config.mjs: no end of "${start}" in ${file}`);
  return `${file}:${from + 1}-${to + 1}`;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'test/mutation/integration.vitest.config.ts', related: false },
  mutate: [
    // Token checks: the name and lifetime rules, and what turns a bearer token away
    span('server/domain/auth/tokens.ts', 'export const TOKEN_PREFIX', /^const createSchema/),
    span('server/domain/auth/tokens.ts', 'export async function resolveApiToken', /^\}$/),
    // CSRF and origin checks
    span('server/http/auth.ts', 'function csrfOk(', /^ {2}\}$/),
    span('server/http/graphql.ts', 'const POST_MEDIA_TYPES', /^\};$/),
    span('server/http/graphql.ts', 'const csrfForCookieMutations', /^\};$/),
  ],
  htmlReporter: { fileName: 'reports/mutation/integration/index.html' },
  jsonReporter: { fileName: 'reports/mutation/integration/mutation.json' },
};
