import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Button, Group, Stack } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type AnyVariables, useMutation } from 'urql';
import { Problem } from '../components/Problem.tsx';
import { type ErrorPayload, type MutationProblem, mutationProblem } from '../graphql/mutation-errors.ts';
import { NO_ANSWER } from '../tenants/detail/use-reveal.ts';

export type SettingMutation<V, F extends string> = {
  running: boolean;
  /** Why the last attempt did not succeed, in the API's words; null after a success. */
  problem: MutationProblem<F> | null;
  /** Sends the mutation; resolves to its problem, or null when the API took it. */
  run: (variables: V) => Promise<MutationProblem<F> | null>;
  clear: () => void;
};

/**
 * One mutation of a form, with its problem kept for display next to it: the typed error the API
 * answered (issues placed on `fields`), or why the request failed.
 */
export function useSettingMutation<D, V extends AnyVariables, F extends string>(
  document: TypedDocumentNode<D, V>,
  pick: (data: D) => ErrorPayload | null | undefined,
  fields: readonly F[],
): SettingMutation<V, F> {
  const [state, execute] = useMutation(document);
  const [problem, setProblem] = useState<MutationProblem<F> | null>(null);

  async function run(variables: V): Promise<MutationProblem<F> | null> {
    setProblem(null);
    const result = await execute(variables);
    const payload = result.data ? pick(result.data) : null;
    // An answer that is not one of the errors is the success member.
    const refused = mutationProblem(payload, result.error, fields) ?? (payload ? null : NO_ANSWER);
    setProblem(refused);
    return refused;
  }

  return { running: state.fetching, problem, run, clear: () => setProblem(null) };
}

type SettingFormProps = {
  testId: string;
  /** The field(s); each shows its own error. */
  children: ReactNode;
  /** Under the fields: what the choice means. */
  hint?: ReactNode;
  /** Whether what is typed may be sent and differs from what is in force. */
  ready: boolean;
  running: boolean;
  label?: string;
  /** Shown under the form unless a field shows it (`onField`). */
  problem: MutationProblem<string> | null;
  onField?: boolean;
  problemTitle: string;
  /** The button beside one field (the default), or under several. */
  inline?: boolean;
  onSubmit: () => void;
};

// A field's label is one line of small text: beside it, the button lines up with the input.
const BESIDE_LABELLED_FIELD = { marginTop: 'calc(var(--mantine-font-size-sm) * var(--mantine-line-height))' };

/** A setting's form: its fields and a button on one line, the API's refusal right under them. */
export function SettingForm({
  testId,
  children,
  hint,
  ready,
  running,
  label = 'Save',
  problem,
  onField = false,
  problemTitle,
  inline = true,
  onSubmit,
}: SettingFormProps) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (ready) onSubmit();
  }
  return (
    <form onSubmit={submit} noValidate aria-busy={running} data-testid={testId}>
      <Stack gap={6}>
        {inline ? (
          <Group gap="sm" align="flex-start" wrap="wrap">
            {children}
            <Button type="submit" loading={running} disabled={!ready} style={BESIDE_LABELLED_FIELD}>
              {label}
            </Button>
          </Group>
        ) : (
          children
        )}
        {hint}
        {!inline && (
          <Group>
            <Button type="submit" loading={running} disabled={!ready}>
              {label}
            </Button>
          </Group>
        )}
        {problem && !onField && (
          <Problem title={problemTitle} message={problem.message} issues={problem.other} />
        )}
      </Stack>
    </form>
  );
}
