// The REST-mapping run of `npm run test:mutation` (see stryker.config.mjs): what a route does with
// its input and answer (`variables`, `respond`), snake_case and enum conversion. The route tables
// themselves are data evaluated when the module loads (GraphQL text, paths, input schemas): each of
// their ~270 mutants needs a full reload and run of the tests (170 of them took 7½ minutes), which
// would take `npm run test:mutation` past 15 minutes, so this run ignores static mutants. Those
// parts are checked as a whole by routes.test.ts, openapi.test.ts and the REST integration tests.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'test/mutation/rest.vitest.config.ts', related: false },
  mutate: [
    'server/http/rest/case.ts',
    'server/http/rest/enum-values.ts',
    'server/http/rest/routes.ts',
    'server/http/rest/tenant-detail-routes.ts',
  ],
  ignoreStatic: true,
  htmlReporter: { fileName: 'reports/mutation/rest/index.html' },
  jsonReporter: { fileName: 'reports/mutation/rest/mutation.json' },
};
