import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconAlert, IconKey, IconPlus, IconTrash } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import { useNow } from '../components/use-now.ts';
import type { ApiTokensPage_TokenFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { uncachedClient } from '../graphql/client.ts';
import { describeError } from '../graphql/errors.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { ConfirmAction } from '../tenants/detail/ConfirmAction.tsx';
import { ShownOnce } from '../tenants/detail/SecretValue.tsx';
import { NO_ANSWER } from '../tenants/detail/use-reveal.ts';
import {
  TOKEN_DAYS_DEFAULT,
  TOKEN_FORM_FIELDS,
  type TokenForm,
  type TokenFormField,
  tokenInput,
  tokenStatus,
  validateTokenForm,
} from '../tokens/token-form.ts';

graphql(`
  fragment ApiTokensPage_Token on ApiToken {
    id
    name
    prefix
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
  }
`);

const ApiTokensPage_Tokens = graphql(`
  query ApiTokensPage_Tokens {
    apiTokens {
      ...ApiTokensPage_Token
    }
  }
`);

const ApiTokensPage_Create = graphql(`
  mutation ApiTokensPage_Create($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on MutationCreateApiTokenSuccess {
        data {
          token
          apiToken {
            id
            name
          }
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const ApiTokensPage_Revoke = graphql(`
  mutation ApiTokensPage_Revoke($id: String!) {
    revokeApiToken(id: $id) {
      __typename
      ... on MutationRevokeApiTokenSuccess {
        data {
          ...ApiTokensPage_Token
        }
      }
      ...MutationProblem_Error
    }
  }
`);

/** The signed-in operator's API tokens, for automation: list, create (shown once), revoke. */
export function ApiTokensPage() {
  const mayManage = useCan('token.manage');
  const [result, refetch] = useQuery({ query: ApiTokensPage_Tokens, requestPolicy: 'cache-and-network' });
  const tokens = result.data?.apiTokens;
  // The token just made, shown once; it lives here so revoking it also takes its banner away.
  const [created, setCreated] = useState<{ id: string; name: string; token: string } | null>(null);
  const activeNames = new Set(
    (tokens ?? [])
      .filter((t) => tokenStatus(t, Date.now()) === 'active')
      .map((t) => t.name.trim().toLowerCase()),
  );
  return (
    <>
      <PageHeader
        title="API tokens"
        breadcrumbs={[{ label: 'Operator' }, { label: 'API tokens' }]}
        description={
          <>
            Tokens act as you, with your role, on GraphQL, REST and subscriptions: send{' '}
            <code>Authorization: Bearer cpt_…</code>. Only a hash is stored.
          </>
        }
      />
      <Stack gap="lg">
        {mayManage && (
          <CreateTokenCard
            created={created}
            setCreated={setCreated}
            activeNames={activeNames}
            onCreated={() => refetch({ requestPolicy: 'network-only' })}
          />
        )}
        <Card>
          <Title order={2} fz="md" mb="sm">
            Your tokens
          </Title>
          {result.error && (
            <Problem title="The tokens could not be loaded" message={describeError(result.error)} />
          )}
          {tokens && (
            <TokenTable
              tokens={tokens}
              mayRevoke={mayManage}
              onRevoked={(id) => setCreated((current) => (current?.id === id ? null : current))}
            />
          )}
        </Card>
      </Stack>
    </>
  );
}

function CreateTokenCard({
  created,
  setCreated,
  activeNames,
  onCreated,
}: {
  created: { id: string; name: string; token: string } | null;
  setCreated: (created: { id: string; name: string; token: string } | null) => void;
  /** Names of the operator's active tokens, lower-cased: a second one of a name is warned about. */
  activeNames: ReadonlySet<string>;
  onCreated: () => void;
}) {
  const [form, setForm] = useState<TokenForm>({ name: '', days: TOKEN_DAYS_DEFAULT });
  const [touched, setTouched] = useState<ReadonlySet<TokenFormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [creating, setCreating] = useState(false);
  const [problem, setProblem] = useState<MutationProblem<TokenFormField> | null>(null);
  const errors = validateTokenForm(form);
  // Once a token is made, the next thing to do is copy it: focus goes to its copy button.
  const copy = useRef<HTMLButtonElement>(null);
  const createdId = created?.id;
  useEffect(() => {
    if (createdId) copy.current?.focus();
  }, [createdId]);
  const shown = (field: TokenFormField) => {
    const message = problem?.fields[field] ?? ((submitted || touched.has(field)) && errors[field]);
    return message ? sentence(message) : undefined;
  };
  const edit = (field: TokenFormField, patch: Partial<TokenForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setTouched((current) => new Set(current).add(field));
    setProblem(null);
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    setCreating(true);
    // The answer holds the token itself: it goes through the cacheless client.
    const result = await uncachedClient
      .mutation(ApiTokensPage_Create, { input: tokenInput(form) }, { requestPolicy: 'network-only' })
      .toPromise();
    setCreating(false);
    const payload = result.data?.createApiToken;
    if (payload?.__typename === 'MutationCreateApiTokenSuccess') {
      setCreated({
        id: payload.data.apiToken.id,
        name: payload.data.apiToken.name,
        token: payload.data.token,
      });
      setForm({ name: '', days: TOKEN_DAYS_DEFAULT });
      setTouched(new Set());
      setSubmitted(false);
      setProblem(null);
      onCreated();
      return;
    }
    setProblem(mutationProblem(payload, result.error, TOKEN_FORM_FIELDS) ?? NO_ANSWER);
  }

  return (
    <Card>
      <Title order={2} fz="md" mb="sm">
        New token
      </Title>
      <form onSubmit={submit} noValidate data-testid="new-token-form">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label="Name"
            description="What it is for, e.g. terraform"
            value={form.name}
            onChange={(event) => edit('name', { name: event.currentTarget.value })}
            onBlur={() => setTouched((current) => new Set(current).add('name'))}
            error={shown('name')}
            autoComplete="off"
            w={300}
          />
          <TextInput
            label="Expires in (days)"
            description="1–365"
            value={form.days}
            onChange={(event) => edit('expiresInDays', { days: event.currentTarget.value })}
            error={shown('expiresInDays')}
            inputMode="numeric"
            autoComplete="off"
            w={160}
          />
          <Button type="submit" mt={46} leftSection={<IconPlus size={16} />} loading={creating}>
            Create token
          </Button>
        </Group>
        {activeNames.has(form.name.trim().toLowerCase()) && !shown('name') && (
          <Text fz="sm" c="orange" mt={6} data-testid="duplicate-token-name">
            You already have an active token named “{form.name.trim()}”: give this one a name that tells them
            apart, or revoke the old one.
          </Text>
        )}
        {problem && (
          <Stack mt="sm">
            <Problem title="The token was not created" message={problem.message} issues={problem.other} />
          </Stack>
        )}
      </form>
      {created && (
        <Alert
          mt="md"
          color="yellow"
          icon={<IconAlert />}
          title={`Token "${created.name}" created: copy it now`}
          data-testid="created-token"
          withCloseButton
          onClose={() => setCreated(null)}
          closeButtonLabel="Dismiss"
        >
          <Stack gap={6}>
            <Text fz="sm">
              It is shown this once and cannot be retrieved later. Store it where your automation reads
              secrets.
            </Text>
            <ShownOnce value={created.token} testId="created-token-value" copyRef={copy} />
          </Stack>
        </Alert>
      )}
    </Card>
  );
}

const STATUS_BADGES = {
  active: <Badge color="teal">Active</Badge>,
  expired: <Badge color="gray">Expired</Badge>,
  revoked: <Badge color="red">Revoked</Badge>,
} as const;

function TokenTable({
  tokens,
  mayRevoke,
  onRevoked,
}: {
  tokens: readonly ApiTokensPage_TokenFragment[];
  mayRevoke: boolean;
  onRevoked: (id: string) => void;
}) {
  const now = useNow();
  const [, revoke] = useMutation(ApiTokensPage_Revoke);
  if (tokens.length === 0) {
    return (
      <Group gap="xs" c="dimmed">
        <IconKey size={16} />
        <Text fz="sm">No tokens yet.</Text>
      </Group>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860} className="cp-cards">
      <Table verticalSpacing="sm" data-testid="api-tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
            {mayRevoke && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => {
            const status = tokenStatus(token, Math.max(now, Date.now() - 1000));
            return (
              <Table.Tr key={token.id} data-token-name={token.name} data-token-status={status}>
                <Table.Td fw={500} data-label="Name">
                  {token.name}
                </Table.Td>
                <Table.Td className="cp-mono" fz="sm" data-label="Prefix">
                  {token.prefix}…
                </Table.Td>
                <Table.Td fz="sm" data-label="Created">
                  <TimeAgo iso={token.createdAt} />
                </Table.Td>
                <Table.Td fz="sm" data-label="Expires">
                  {formatTime(token.expiresAt)}
                </Table.Td>
                <Table.Td fz="sm" data-label="Last used">
                  <TimeAgo iso={token.lastUsedAt} fallback="never" />
                </Table.Td>
                <Table.Td data-label="Status">
                  {STATUS_BADGES[status]}
                  {token.revokedAt && (
                    <Text fz="xs" c="dimmed">
                      {formatTime(token.revokedAt)}
                    </Text>
                  )}
                </Table.Td>
                {mayRevoke && (
                  <Table.Td>
                    {status !== 'revoked' && (
                      <ConfirmAction
                        label="Revoke"
                        title={`Revoke "${token.name}"?`}
                        color="red"
                        variant="subtle"
                        leftSection={<IconTrash size={14} />}
                        testId={`revoke-token-${token.id}`}
                        onConfirm={async () => {
                          const result = await revoke({ id: token.id });
                          const problem = mutationProblem(result.data?.revokeApiToken, result.error, []);
                          if (!problem) onRevoked(token.id);
                          return problem;
                        }}
                      >
                        Anything using this token gets 401 from now on. This cannot be undone.
                      </ConfirmAction>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
