import { Badge, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../../auth/operator.ts';
import { IconRotate, IconTrash } from '../../components/icons.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { formatTime } from '../../components/time.ts';
import { graphql } from '../../gql/index.ts';
import { mutationProblem } from '../../graphql/mutation-errors.ts';
import { bootstrapExpiry } from './bootstrap-expiry.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { Facts } from './SecretFacts.tsx';
import { RevealField } from './SecretValue.tsx';
import { SectionLoading } from './SectionLoading.tsx';
import { useReveal } from './use-reveal.ts';

const BootstrapTokenSection_Token = graphql(`
  query BootstrapTokenSection_Token($slug: String!) {
    tenant(slug: $slug) {
      id
      bootstrapToken {
        set
        masked
        version
        expiresAt
        expired
        rotatedAt
        rotatedBy
        revokedAt
      }
    }
  }
`);

const BootstrapTokenSection_Reveal = graphql(`
  mutation BootstrapTokenSection_Reveal($slug: String!) {
    revealTenantBootstrapToken(slug: $slug) {
      __typename
      ... on MutationRevealTenantBootstrapTokenSuccess {
        data {
          value
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const BootstrapTokenSection_Rotate = graphql(`
  mutation BootstrapTokenSection_Rotate($slug: String!, $expiresAt: DateTime) {
    rotateTenantBootstrapToken(slug: $slug, expiresAt: $expiresAt) {
      __typename
      ...MutationProblem_Error
    }
  }
`);

const BootstrapTokenSection_Revoke = graphql(`
  mutation BootstrapTokenSection_Revoke($slug: String!) {
    revokeTenantBootstrapToken(slug: $slug) {
      __typename
      ...MutationProblem_Error
    }
  }
`);

type TokenState = { set: boolean; expired: boolean };

function StateBadge({ token }: { token: TokenState }) {
  if (!token.set) return <Badge color="gray">Revoked</Badge>;
  if (token.expired) return <Badge color="red">Expired</Badge>;
  return <Badge color="teal">Active</Badge>;
}

/** The Terraform bootstrap token: masked, revealed on request, replaced or revoked. */
export function BootstrapTokenSection({ slug }: { slug: string }) {
  const mayChange = useCan('tenant.secrets');
  const [result] = useQuery({
    query: BootstrapTokenSection_Token,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  const reveal = useReveal(BootstrapTokenSection_Reveal, { slug }, (d) => d.revealTenantBootstrapToken);
  const [, rotate] = useMutation(BootstrapTokenSection_Rotate);
  const [, revoke] = useMutation(BootstrapTokenSection_Revoke);
  const [expiryDate, setExpiryDate] = useState('');
  const expiry = bootstrapExpiry(expiryDate, Date.now());
  const token = result.data?.tenant?.bootstrapToken;

  return (
    <Card data-testid="bootstrap-token-section">
      <Title order={2} fz="md">
        Bootstrap token
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        The token Terraform uses to bootstrap this tenant. A new token replaces the old one at once; a revoked
        token works nowhere until a new one is issued.
      </Text>
      <Stack gap="md">
        {token && (
          <Facts
            rows={[
              ['State', <StateBadge key="s" token={token} />],
              [
                'Token',
                token.set ? (
                  <RevealField
                    key="t"
                    reveal={reveal}
                    allowed={mayChange}
                    mask={token.masked ?? undefined}
                    label="bootstrap token"
                    testId="bootstrap-token"
                  />
                ) : (
                  <Text key="t" fz="sm" c="dimmed">
                    none{token.revokedAt ? ` (revoked ${formatTime(token.revokedAt)})` : ''}
                  </Text>
                ),
              ],
              ['Expires', token.expiresAt ? formatTime(token.expiresAt) : 'never'],
              ['Version', String(token.version)],
              [
                'Last issued',
                token.rotatedAt ? (
                  <Text key="r" span fz="sm">
                    <TimeAgo iso={token.rotatedAt} />
                    {token.rotatedBy ? ` by ${token.rotatedBy}` : ''}
                  </Text>
                ) : (
                  'at provisioning'
                ),
              ],
            ]}
          />
        )}
        <SectionLoading
          loaded={token != null || (!result.fetching && result.data != null)}
          error={result.error ?? null}
        />
        {mayChange && token && (
          <Group align="flex-start">
            <ConfirmAction
              label={token.set ? 'Rotate' : 'Issue a new token'}
              title={token.set ? 'Replace the bootstrap token?' : 'Issue a bootstrap token?'}
              confirmLabel={token.set ? 'Rotate' : 'Issue'}
              leftSection={<IconRotate size={16} />}
              testId="bootstrap-token-rotate"
              ready={expiry.problem === null}
              fields={
                <TextInput
                  type="date"
                  label="Expires on (optional)"
                  description="At the end of that day; at most 366 days away. Empty: no expiry."
                  value={expiryDate}
                  onChange={(event) => setExpiryDate(event.currentTarget.value)}
                  error={expiry.problem ?? undefined}
                />
              }
              onConfirm={async () => {
                const outcome = await rotate({ slug, expiresAt: expiry.expiresAt });
                return mutationProblem(outcome.data?.rotateTenantBootstrapToken, outcome.error, []);
              }}
              onDone={() => {
                reveal.hide();
                setExpiryDate('');
              }}
            >
              {token.set
                ? 'A new token is issued and the current one stops working at once.'
                : 'A new token is issued for Terraform to use.'}
            </ConfirmAction>
            {token.set && (
              <ConfirmAction
                label="Revoke"
                title="Revoke the bootstrap token?"
                color="red"
                variant="outline"
                leftSection={<IconTrash size={16} />}
                testId="bootstrap-token-revoke"
                onConfirm={async () => {
                  const outcome = await revoke({ slug });
                  return mutationProblem(outcome.data?.revokeTenantBootstrapToken, outcome.error, []);
                }}
                onDone={reveal.hide}
              >
                The token stops working at once, and Terraform cannot bootstrap this tenant until a new one is
                issued.
              </ConfirmAction>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
