import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/**
 * The tests run against the mutants of stryker.integration.config.mjs (see domain.vitest.config.ts):
 * PostgreSQL from DATABASE_URL, or the suite's embedded one.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/integration/server/domain/auth/api-tokens.test.ts',
      'test/unit/server/http/auth-csrf.test.ts',
      'test/integration/server/http/csrf.test.ts',
    ],
  },
});
