import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/**
 * The tests `npm run test:mutation` runs against the mutants of stryker.config.mjs. Chosen here
 * rather than with Stryker's `testFiles`, which (9.6) activates module-level mutants too late and
 * reports them as survivors. Unit tests only: no database to start.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: [
      'test/unit/client/slug.test.ts',
      'test/unit/server/domain/tenants/slug-reserved.test.ts',
      'test/unit/server/domain/tenants/secrets/rotatable.test.ts',
      'test/unit/server/domain/tenants/secrets/secret-specs.test.ts',
      'test/unit/schema/connection.test.ts',
    ],
  },
});
