// Fails when the schema breaks its conventions (schema/lint.ts): a missing description, a name in
// the wrong case, an unreachable type, a page size without its maximum.
import { schema } from '../schema/index.ts';
import { lintSchema } from '../schema/lint.ts';

const issues = lintSchema(schema);
for (const issue of issues) process.stderr.write(`${issue.at}: ${issue.message} [${issue.rule}]\n`);
if (issues.length > 0) {
  process.stderr.write(`schema lint: ${issues.length} issue(s); conventions in README.md, "GraphQL"\n`);
  process.exit(1);
}
process.stdout.write(
  'schema lint: every type, field, argument and enum value described and named by the conventions\n',
);
