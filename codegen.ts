import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the UI: every `graphql()` call under client/src is checked against the printed
 * schema and gets its result and variable types in client/src/gql/ (committed; `--check` fails when stale).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['client/src/**/*.{ts,tsx}', '!client/src/gql/**'],
  generates: {
    'client/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        // String unions rather than TS enums: nothing to emit at runtime (the preset's name for
        // what the typescript plugin calls enumsAsTypes).
        enumType: 'string-literal',
        // The tsconfig has verbatimModuleSyntax and NodeNext resolution: type-only imports must
        // say so, and relative imports need their extension.
        useTypeImports: true,
        importExtension: '.ts',
      },
    },
    // Which types each union and interface can be, for graphcache's exact fragment matching.
    'client/src/gql/possible-types.ts': {
      plugins: ['./client/build/codegen-possible-types.js'],
    },
  },
};

export default config;
