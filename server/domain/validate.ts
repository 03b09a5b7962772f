import type { z } from 'zod';
import { type FieldIssue, ValidationError } from './errors.ts';

/**
 * Parses `input` with `schema`, or throws a {@link ValidationError} listing every problem by field.
 * Messages name fields as the caller spelled them, so REST (snake_case) callers pass their own names.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new ValidationError(`invalid ${what}: ${summary}`, issues);
}
