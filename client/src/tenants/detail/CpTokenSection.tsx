import { Card, List, Stack, Text, Title } from '@mantine/core';
import { useMutation } from 'urql';
import { useCan } from '../../auth/operator.ts';
import { IconRotate } from '../../components/icons.tsx';
import { graphql } from '../../gql/index.ts';
import { mutationProblem } from '../../graphql/mutation-errors.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { Facts, secretRows } from './SecretFacts.tsx';
import { SectionLoading } from './SectionLoading.tsx';
import { useTenantSecrets } from './use-tenant-secrets.ts';

const CpTokenSection_Rotate = graphql(`
  mutation CpTokenSection_Rotate($slug: String!) {
    rotateTenantCpToken(slug: $slug) {
      __typename
      ... on MutationRotateTenantCpTokenSuccess {
        data {
          ...SecretFacts_Secret
        }
      }
      ...MutationProblem_Error
    }
  }
`);

/** The token the control plane calls the tenant's API with, rotated by a handshake. */
export function CpTokenSection({ slug }: { slug: string }) {
  const mayRotate = useCan('tenant.secrets');
  const { find, error } = useTenantSecrets(slug);
  const secret = find('CP_TOKEN');
  const [, rotate] = useMutation(CpTokenSection_Rotate);
  return (
    <Card data-testid="cp-token-section">
      <Title order={2} fz="md">
        CP token
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        The token the control plane uses to call this tenant's backend.
      </Text>
      <Stack gap="md">
        {secret && <Facts rows={secretRows(secret)} />}
        <SectionLoading loaded={secret !== null} error={error} />
        <div>
          <Text fz="sm" fw={600} mb={4}>
            How a rotation works
          </Text>
          <List type="ordered" size="sm" spacing={4}>
            <List.Item>
              The new token is stored in the tenant's Secret as pending; the current one stays in use.
            </List.Item>
            <List.Item>It is sent to the backend in a call authenticated with the current token.</List.Item>
            <List.Item>A call authenticated with the new token must succeed.</List.Item>
            <List.Item>
              Only then does the control plane switch; the old token stays valid for the grace period.
            </List.Item>
          </List>
          <Text fz="xs" c="dimmed" mt={6}>
            A failure at any step leaves the current token working, so the control plane never locks itself
            out; a rotation stopped half-way shows as pending and is finished automatically.
          </Text>
        </div>
        {mayRotate && (
          <ConfirmAction
            label="Rotate CP token"
            title="Rotate the CP token?"
            confirmLabel="Rotate"
            leftSection={<IconRotate size={16} />}
            testId="cp-token-rotate"
            onConfirm={async () => {
              const result = await rotate({ slug });
              return mutationProblem(result.data?.rotateTenantCpToken, result.error, []);
            }}
          >
            The control plane hands the backend a new token and switches to it once the backend accepts it.
          </ConfirmAction>
        )}
      </Stack>
    </Card>
  );
}
