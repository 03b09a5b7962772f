import { Alert, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { useCan } from '../../auth/operator.ts';
import { IconCheck, IconRotate } from '../../components/icons.tsx';
import { graphql } from '../../gql/index.ts';
import { mutationProblem } from '../../graphql/mutation-errors.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { Facts, secretRows } from './SecretFacts.tsx';
import { RevealField } from './SecretValue.tsx';
import { SectionLoading } from './SectionLoading.tsx';
import { useReveal } from './use-reveal.ts';
import { useTenantSecrets } from './use-tenant-secrets.ts';

const AdminPasswordSection_Reveal = graphql(`
  mutation AdminPasswordSection_Reveal($slug: String!) {
    revealTenantAdminPassword(slug: $slug) {
      __typename
      ... on MutationRevealTenantAdminPasswordSuccess {
        data {
          value
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const AdminPasswordSection_Reset = graphql(`
  mutation AdminPasswordSection_Reset($slug: String!) {
    resetTenantAdminPassword(slug: $slug) {
      __typename
      ... on MutationResetTenantAdminPasswordSuccess {
        data {
          ...SecretFacts_Secret
        }
      }
      ...MutationProblem_Error
    }
  }
`);

/** The tenant's admin password: revealed on request (audited), or reset to a new random one. */
export function AdminPasswordSection({ slug }: { slug: string }) {
  const mayChange = useCan('tenant.secrets');
  const { find, error } = useTenantSecrets(slug);
  const secret = find('ADMIN_PASSWORD');
  const reveal = useReveal(AdminPasswordSection_Reveal, { slug }, (d) => d.revealTenantAdminPassword);
  const [, reset] = useMutation(AdminPasswordSection_Reset);
  const [resetDone, setResetDone] = useState(false);

  return (
    <Card data-testid="admin-password-section">
      <Title order={2} fz="md">
        Admin password
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        The password of the tenant's first administrator. Revealing it is recorded in the audit log; resetting
        sets a new random password on the backend at once.
      </Text>
      <Stack gap="md">
        <Facts
          rows={[
            [
              'Password',
              <RevealField
                key="p"
                reveal={reveal}
                allowed={mayChange}
                label="admin password"
                testId="admin-password"
              />,
            ],
            ...(secret ? secretRows(secret) : []),
          ]}
        />
        <SectionLoading loaded={secret !== null} error={error} />
        {resetDone && (
          <Alert color="teal" icon={<IconCheck />} data-testid="admin-password-reset-done">
            The admin password was reset. The backend uses the new one now; reveal it to pass it on.
          </Alert>
        )}
        {mayChange && (
          <Group>
            <ConfirmAction
              label="Reset password"
              title="Reset the admin password?"
              confirmLabel="Reset"
              color="red"
              leftSection={<IconRotate size={16} />}
              testId="admin-password-reset"
              onConfirm={async () => {
                setResetDone(false);
                const result = await reset({ slug });
                return mutationProblem(result.data?.resetTenantAdminPassword, result.error, []);
              }}
              onDone={() => {
                reveal.hide();
                setResetDone(true);
              }}
            >
              The tenant's admin gets a new random password, and the current one stops working at once.
            </ConfirmAction>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
