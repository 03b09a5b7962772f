import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { mutationProblem, sentence } from '../../../client/src/graphql/mutation-errors.ts';

const fields = ['slug', 'name'] as const;

describe('mutationProblem', () => {
  it('is null for a success', () => {
    expect(mutationProblem({ __typename: 'MutationCreateTenantSuccess' }, undefined, fields)).toBeNull();
    expect(mutationProblem(undefined, undefined, fields)).toBeNull();
  });

  it("puts a ValidationError's issues on the form fields and keeps the rest for the summary", () => {
    const problem = mutationProblem(
      {
        __typename: 'ValidationError',
        code: 'VALIDATION',
        message: 'invalid tenant: slug: must be at least 3 characters',
        issues: [
          { path: 'slug', message: 'must be at least 3 characters' },
          { path: 'input.name', message: 'must not be empty' },
          { path: '(input)', message: 'unexpected field' },
        ],
      },
      undefined,
      fields,
    );
    expect(problem).toEqual({
      message: 'invalid tenant: slug: must be at least 3 characters',
      code: 'VALIDATION',
      fields: { slug: 'must be at least 3 characters', name: 'must not be empty' },
      other: [{ path: '(input)', message: 'unexpected field' }],
    });
  });

  it("gives a typed error's code and message as the API wrote them", () => {
    expect(
      mutationProblem(
        {
          __typename: 'ConflictError',
          code: 'TENANT_EXISTS',
          message: 'a tenant with slug "acme" already exists',
        },
        undefined,
        fields,
      ),
    ).toMatchObject({ code: 'TENANT_EXISTS', message: 'a tenant with slug "acme" already exists' });
  });

  it('reports a request that failed before the mutation ran', () => {
    const error = new CombinedError({ graphQLErrors: [{ message: 'Unexpected error.' }] });
    expect(mutationProblem(null, error, fields)?.message).toBe('Unexpected error.');
  });
});

describe('sentence', () => {
  it('capitalises a message that stands alone', () => {
    expect(sentence('must not be empty')).toBe('Must not be empty');
    expect(sentence('')).toBe('');
  });
});
