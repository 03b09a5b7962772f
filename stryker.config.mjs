// Mutation testing of the pure domain rules: `npm run test:mutation` (not part of CI) makes three
// runs, each pairing modules with the fast tests meant to pin them down (test/mutation/*.vitest.config.ts):
//   this file                       slug rules, rotation state, keyset cursors (unit tests)
//   stryker.rest.config.mjs         REST mapping (unit tests)
//   stryker.integration.config.mjs  token checks (real database), CSRF and origin checks (real server)
// A mutant in module-level code ("static") must run every test of its run, so each run keeps its
// tests few and light; that is what keeps the three under 15 minutes on two cores.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/domain.vitest.config.ts', related: false },
  mutate: [
    // Slug rules
    'server/domain/tenants/slug-rules.ts',
    'server/domain/tenants/slug.ts',
    // Rotation state
    'server/domain/tenants/secrets/rotatable.ts',
    // Keyset cursors
    'schema/connection.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/domain/index.html' },
  jsonReporter: { fileName: 'reports/mutation/domain/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.data', 'dist', 'client/dist', 'test/e2e/artifacts', 'reports'],
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 20_000,
};
