import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.ts';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string with a time zone (e.g. 2026-11-28T12:00:00Z).',
  serialize: (value) =>
    value instanceof Date ? value.toISOString() : new Date(value as string).toISOString(),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string such as 2026-11-28T12:00:00Z');
    return parseDateTime(ast.value);
  },
});

builder.scalarType('JSON', {
  description: 'A JSON value. Used only for typed, secret-free details such as audit entry details.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

function parseDateTime(value: unknown): Date {
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  ) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new GraphQLError(
    `DateTime must be an ISO 8601 instant with a time zone, got ${JSON.stringify(value)}`,
  );
}
