import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../client/src/graphql/errors.ts';

describe('describeError', () => {
  it("gives the API's messages as it wrote them, without urql's [GraphQL] prefix", () => {
    const error = new CombinedError({ graphQLErrors: [{ message: 'Not authenticated.' }] });
    expect(error.message).toContain('[GraphQL]');
    expect(describeError(error)).toBe('Not authenticated.');
  });

  it('says the API could not be reached when the request never got an answer', () => {
    const error = new CombinedError({ networkError: new Error('Failed to fetch') });
    expect(describeError(error)).toBe('The API could not be reached: Failed to fetch');
  });
});
