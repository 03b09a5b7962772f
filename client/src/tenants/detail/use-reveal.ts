import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useState } from 'react';
import type { AnyVariables } from 'urql';
import { uncachedClient } from '../../graphql/client.ts';
import { type ErrorPayload, type MutationProblem, mutationProblem } from '../../graphql/mutation-errors.ts';

/** A reveal mutation's result: the value on success, else one of the API's errors. */
export type RevealPayload = ErrorPayload & { data?: { value: string } };

export type Reveal = {
  /** The revealed value while this component lives; it is kept nowhere else. */
  value: string | null;
  problem: MutationProblem<never> | null;
  revealing: boolean;
  reveal: () => Promise<void>;
  hide: () => void;
};

export const NO_ANSWER: MutationProblem<never> = {
  message: 'The API sent no answer.',
  code: null,
  fields: {},
  other: [],
};

/**
 * An audited reveal: the mutation goes through the cacheless client, and the value lives only in
 * this component's state, so leaving the tab or the page forgets it.
 */
export function useReveal<D, V extends AnyVariables>(
  document: TypedDocumentNode<D, V>,
  variables: V,
  pick: (data: D) => RevealPayload | null | undefined,
): Reveal {
  const [value, setValue] = useState<string | null>(null);
  const [problem, setProblem] = useState<MutationProblem<never> | null>(null);
  const [revealing, setRevealing] = useState(false);

  async function reveal() {
    setRevealing(true);
    const result = await uncachedClient
      .mutation(document, variables, { requestPolicy: 'network-only' })
      .toPromise();
    setRevealing(false);
    const payload = result.data ? pick(result.data) : null;
    if (payload?.data) {
      setValue(payload.data.value);
      setProblem(null);
      return;
    }
    setValue(null);
    setProblem(mutationProblem(payload, result.error, []) ?? NO_ANSWER);
  }

  return { value, problem, revealing, reveal, hide: () => setValue(null) };
}
