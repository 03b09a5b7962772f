import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconAlert, IconRotate } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { graphql } from '../gql/index.ts';
import { type MutationProblem, mutationProblem } from '../graphql/mutation-errors.ts';
import { ConfirmAction } from './detail/ConfirmAction.tsx';

const RepairActions_Repair = graphql(`
  mutation RepairActions_Repair($slug: String!) {
    repairTenant(slug: $slug) {
      __typename
      ... on MutationRepairTenantSuccess {
        data {
          id
          operation {
            ...OperationSteps_Operation
          }
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const RepairActions_Retry = graphql(`
  mutation RepairActions_Retry($slug: String!) {
    retryTenantOperation(slug: $slug) {
      __typename
      ... on MutationRetryTenantOperationSuccess {
        data {
          ...OperationSteps_Operation
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const NO_ANSWER: MutationProblem<string> = {
  message: 'The API sent no answer.',
  code: null,
  fields: {},
  other: [],
};

/** Whether an operation failed, or waits to retry after a failed attempt: a retry applies to it. */
export function isFailing(operation: { state: string; attempts: number }): boolean {
  return operation.state === 'FAILED' || (operation.state === 'RUNNING' && operation.attempts > 0);
}

/**
 * "Retry now", beside the explanation of a failed attempt: runs the tenant's operation again at
 * once rather than when its backoff ends. Admins only; a viewer reads the explanation alone.
 */
export function RetryOperationButton({ slug }: { slug: string }) {
  const mayRetry = useCan('tenant.repair');
  const [state, retry] = useMutation(RepairActions_Retry);
  const [problem, setProblem] = useState<MutationProblem<string> | null>(null);
  if (!mayRetry) return null;
  return (
    <Stack gap={6} align="flex-start">
      <Button
        size="xs"
        variant="light"
        color="orange"
        leftSection={<IconRotate size={14} />}
        loading={state.fetching}
        onClick={async () => {
          setProblem(null);
          const result = await retry({ slug });
          const payload = result.data?.retryTenantOperation;
          if (payload?.__typename === 'MutationRetryTenantOperationSuccess') return;
          setProblem(mutationProblem(payload, result.error, []) ?? NO_ANSWER);
        }}
        data-testid="retry-operation"
      >
        Retry now
      </Button>
      {problem && (
        <div data-testid="retry-operation-problem">
          <Problem title="Retry failed" message={problem.message} />
        </div>
      )}
    </Stack>
  );
}

type DriftNoticeProps = {
  slug: string;
  drift: readonly string[];
  checkedAt: string | null | undefined;
  /** An operation of the tenant is under way: a repair would be refused until it ends. */
  busy: boolean;
};

/**
 * What the leader's drift check found missing of what provisioning made, in its words, with the
 * repair beside it for admins (asked first: a lost Secret gets new values). Viewers read it alone.
 */
export function DriftNotice({ slug, drift, checkedAt, busy }: DriftNoticeProps) {
  const mayRepair = useCan('tenant.repair');
  const [, repair] = useMutation(RepairActions_Repair);
  if (drift.length === 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlert />}
      mb="lg"
      title="Part of what provisioning made is missing"
      data-testid="tenant-drift"
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={4} style={{ flex: '1 1 20rem' }}>
          <List size="sm" spacing={2}>
            {drift.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
          <Text fz="xs" c="dimmed">
            Found by the drift check <TimeAgo iso={checkedAt} fallback="earlier" />.{' '}
            {busy
              ? 'An operation of this tenant is under way; repair once it ends.'
              : 'A repair makes them again from what the control plane keeps.'}
          </Text>
        </Stack>
        {mayRepair && (
          <ConfirmAction
            label="Repair…"
            title={`Repair ${slug}`}
            confirmLabel="Repair"
            color="red"
            variant="filled"
            leftSection={<IconRotate size={14} />}
            disabled={busy}
            testId="repair-tenant"
            onConfirm={async () => {
              const result = await repair({ slug });
              const payload = result.data?.repairTenant;
              if (payload?.__typename === 'MutationRepairTenantSuccess') return null;
              return mutationProblem(payload, result.error, []) ?? NO_ANSWER;
            }}
          >
            The Secret, the database and its role, and the registry entry are made again where they are
            missing. Values still in the Secret are kept; if the Secret itself is gone, it gets new values and
            the tenant's backend must restart to read them. The admin password is not handed over again.
          </ConfirmAction>
        )}
      </Group>
    </Alert>
  );
}
