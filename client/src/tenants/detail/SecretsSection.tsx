import { Card, Table, Text, Title } from '@mantine/core';
import { useMutation } from 'urql';
import { useCan } from '../../auth/operator.ts';
import { IconRotate } from '../../components/icons.tsx';
import type { RotatableTenantSecret } from '../../gql/graphql.ts';
import { graphql } from '../../gql/index.ts';
import { mutationProblem } from '../../graphql/mutation-errors.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { LastRotation, SecretStatusBadge } from './SecretFacts.tsx';
import { SectionLoading } from './SectionLoading.tsx';
import { isRotatable, SECRET_LABELS } from './secret-status.ts';
import { useTenantSecrets } from './use-tenant-secrets.ts';

const SecretsSection_Rotate = graphql(`
  mutation SecretsSection_Rotate($slug: String!, $secret: RotatableTenantSecret!) {
    rotateTenantSecret(slug: $slug, secret: $secret) {
      __typename
      ... on MutationRotateTenantSecretSuccess {
        data {
          ...SecretFacts_Secret
        }
      }
      ...MutationProblem_Error
    }
  }
`);

function RotateButton({ slug, secret }: { slug: string; secret: RotatableTenantSecret }) {
  const [, rotate] = useMutation(SecretsSection_Rotate);
  const label = SECRET_LABELS[secret];
  return (
    <ConfirmAction
      label="Rotate"
      title={`Rotate ${label}?`}
      leftSection={<IconRotate size={14} />}
      testId={`rotate-${secret}`}
      onConfirm={async () => {
        const result = await rotate({ slug, secret });
        return mutationProblem(result.data?.rotateTenantSecret, result.error, []);
      }}
    >
      A new value becomes current on the backend at once. The previous one stays valid for the grace period,
      so whatever still holds it keeps working until then.
    </ConfirmAction>
  );
}

/** Every secret of the tenant with its version, last rotation and grace period; rotation for three. */
export function SecretsSection({ slug }: { slug: string }) {
  const mayRotate = useCan('tenant.secrets');
  const { secrets, error } = useTenantSecrets(slug);
  return (
    <Card data-testid="secrets-section">
      <Title order={2} fz="md">
        Secrets
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        Values stay in the tenant's Kubernetes Secret; this shows what is known of them. A rotation keeps the
        previous value valid for a grace period, so nothing that uses it breaks.
      </Text>
      <Table.ScrollContainer minWidth={720} className="cp-cards">
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Secret</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>Last rotation</Table.Th>
              <Table.Th>Status</Table.Th>
              {mayRotate && <Table.Th w={220} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(secrets ?? []).map((secret) => (
              <Table.Tr key={secret.secret} data-secret={secret.secret}>
                <Table.Td fw={500} data-label="Secret">
                  {SECRET_LABELS[secret.secret]}
                </Table.Td>
                <Table.Td
                  data-label="Version"
                  data-testid={`secret-version-${secret.secret}`}
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                >
                  {secret.version}
                </Table.Td>
                <Table.Td data-label="Last rotation">
                  <LastRotation secret={secret} />
                </Table.Td>
                <Table.Td data-label="Status">
                  <SecretStatusBadge secret={secret} />
                </Table.Td>
                {mayRotate && (
                  <Table.Td>
                    {isRotatable(secret.secret) ? (
                      <RotateButton slug={slug} secret={secret.secret} />
                    ) : (
                      <Text fz="xs" c="dimmed">
                        In its own tab
                      </Text>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <SectionLoading loaded={secrets !== null} error={error} />
    </Card>
  );
}
