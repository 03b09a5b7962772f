import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { IconAlert } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { graphql } from '../gql/index.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';

const DeleteTenant_Delete = graphql(`
  mutation DeleteTenant_Delete($slug: String!, $confirm: String!) {
    deleteTenant(slug: $slug, confirm: $confirm) {
      __typename
      ... on MutationDeleteTenantSuccess {
        data {
          id
          state
          updatedAt
          operation {
            ...OperationSteps_Operation
          }
        }
      }
      ...MutationProblem_Error
    }
  }
`);

type DeleteTenantModalProps = { slug: string; opened: boolean; onClose: () => void; onDeleted: () => void };

/** Deleting is irreversible, so the slug must be typed again; the API checks it too. */
export function DeleteTenantModal({ slug, opened, onClose, onDeleted }: DeleteTenantModalProps) {
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<MutationProblem<'confirm'> | null>(null);
  const [deleting, remove] = useMutation(DeleteTenant_Delete);
  const matches = confirm === slug;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    const result = await remove({ slug, confirm });
    const payload = result.data?.deleteTenant;
    if (payload?.__typename === 'MutationDeleteTenantSuccess') {
      setConfirm('');
      setProblem(null);
      onDeleted();
      return;
    }
    setProblem(
      mutationProblem(payload, result.error, ['confirm'] as const) ?? {
        message: 'The API sent no answer.',
        code: null,
        fields: {},
        other: [],
      },
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Delete {slug}?</Text>} size="md">
      <form onSubmit={submit} noValidate data-testid="delete-tenant-form">
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlert />}>
            This drops the tenant's database and removes its Secret, registry entry and workloads. It cannot
            be undone.
          </Alert>
          <TextInput
            label={
              <>
                Type <Code>{slug}</Code> to confirm
              </>
            }
            value={confirm}
            onChange={(event) => {
              setConfirm(event.currentTarget.value);
              setProblem(null);
            }}
            error={problem?.fields.confirm ? sentence(problem.fields.confirm) : undefined}
            autoComplete="off"
            spellCheck={false}
            classNames={{ input: 'cp-mono' }}
            name="confirm"
            data-autofocus
          />
          {problem && (
            <Problem title="The tenant was not deleted" message={problem.message} issues={problem.other} />
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!matches} loading={deleting.fetching}>
              Delete tenant
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
