import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/** The tests run against the mutants of stryker.rest.config.mjs (see domain.vitest.config.ts). */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: [
      'test/unit/server/http/rest/case.test.ts',
      'test/unit/server/http/rest/enum-values.test.ts',
      'test/unit/server/http/rest/enum-lowering.test.ts',
      'test/unit/server/http/rest/route-variables.test.ts',
    ],
  },
});
