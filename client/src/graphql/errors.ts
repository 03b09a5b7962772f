type CombinedErrorLike = {
  networkError?: Error | undefined;
  graphQLErrors: readonly { message: string }[];
};

/**
 * A request's failure in the API's own words: its GraphQL error messages, or why the request did
 * not reach it. (urql's `CombinedError.message` prefixes each with "[GraphQL]", meant for logs.)
 */
export function describeError(error: CombinedErrorLike): string {
  if (error.graphQLErrors.length > 0) return error.graphQLErrors.map((e) => e.message).join(' ');
  if (error.networkError) return `The API could not be reached: ${error.networkError.message}`;
  return 'The request failed.';
}
