import { graphql } from '../gql/index.ts';
import { describeError } from './errors.ts';

// What every mutation selects of its typed errors, in one place; `mutationProblem` reads it.
graphql(`
  fragment MutationProblem_Error on Error {
    code
    message
    ... on ValidationError {
      issues {
        path
        message
      }
    }
  }
`);

export type FieldIssue = { path: string; message: string };

/** Why a mutation did not succeed, in the API's words, split for display next to the fields. */
export type MutationProblem<F extends string> = {
  message: string;
  code: string | null;
  /** Issues about fields the form shows, by field. */
  fields: Partial<Record<F, string>>;
  /** Issues about anything else, for the summary under the form. */
  other: FieldIssue[];
};

/** The error members every mutation result union has, as `MutationProblem_Error` selects them. */
export type ErrorPayload = {
  __typename?: string;
  message?: string;
  code?: string;
  issues?: readonly FieldIssue[];
};

type CombinedErrorLike = Parameters<typeof describeError>[0];

/**
 * The problem a mutation reported: its typed error (`ValidationError`, `ConflictError`, …) with
 * field issues placed on the form's fields (a path like `slug` or `input.slug` names one), or the
 * request's failure. Null when there is nothing to report.
 */
export function mutationProblem<F extends string>(
  payload: ErrorPayload | null | undefined,
  error: CombinedErrorLike | null | undefined,
  formFields: readonly F[],
): MutationProblem<F> | null {
  if (!payload) {
    if (!error) return null;
    return { message: describeError(error), code: null, fields: {}, other: [] };
  }
  if (typeof payload.message !== 'string') return null;
  const fields: Partial<Record<F, string>> = {};
  const other: FieldIssue[] = [];
  for (const issue of payload.issues ?? []) {
    const name = issue.path.split('.').at(-1);
    const field = formFields.find((f) => f === name);
    if (field) fields[field] = fields[field] ? `${fields[field]}; ${issue.message}` : issue.message;
    else other.push(issue);
  }
  return { message: payload.message, code: payload.code ?? null, fields, other };
}

/** "must be at least 3 characters" → "Must be at least 3 characters", for a message standing alone. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
