import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../../auth/operator.ts';
import { IconDatabase } from '../../components/icons.tsx';
import { formatTime } from '../../components/time.ts';
import { graphql } from '../../gql/index.ts';
import { mutationProblem } from '../../graphql/mutation-errors.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { connectionStrings } from './connection.ts';
import { Facts } from './SecretFacts.tsx';
import { RevealField, ShownOnce } from './SecretValue.tsx';
import { SectionLoading } from './SectionLoading.tsx';
import { formatBytes } from './secret-status.ts';
import { useReveal } from './use-reveal.ts';

const DatabaseSection_Database = graphql(`
  query DatabaseSection_Database($slug: String!) {
    tenant(slug: $slug) {
      id
      database {
        host
        port
        database
        user
        sizeBytes
        connections
        serverVersion
        statsError
      }
      migrations {
        applied {
          id
          appliedAt
        }
        pending
      }
    }
  }
`);

const DatabaseSection_RevealPassword = graphql(`
  mutation DatabaseSection_RevealPassword($slug: String!) {
    revealTenantDatabasePassword(slug: $slug) {
      __typename
      ... on MutationRevealTenantDatabasePasswordSuccess {
        data {
          value
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const DatabaseSection_ApplyMigrations = graphql(`
  mutation DatabaseSection_ApplyMigrations($slug: String!) {
    applyTenantMigrations(slug: $slug) {
      __typename
      ... on MutationApplyTenantMigrationsSuccess {
        data {
          pending
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const mono = (value: string | number) => <span className="cp-mono">{value}</span>;

/** How the backend reaches its database, the database's figures, and its migrations. */
export function DatabaseSection({ slug }: { slug: string }) {
  const mayChange = useCan('tenant.secrets');
  const [result] = useQuery({
    query: DatabaseSection_Database,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  const reveal = useReveal(DatabaseSection_RevealPassword, { slug }, (d) => d.revealTenantDatabasePassword);
  const [, apply] = useMutation(DatabaseSection_ApplyMigrations);
  const tenant = result.data?.tenant;
  const database = tenant?.database;
  const migrations = tenant?.migrations;

  return (
    <Stack gap="lg" data-testid="database-section">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card>
          <Title order={2} fz="md" mb="sm">
            Connection
          </Title>
          {database && (
            <Facts
              rows={[
                ['Host', mono(database.host)],
                ['Port', mono(database.port)],
                ['Database', mono(database.database)],
                ['User', mono(database.user)],
                [
                  'Password',
                  <RevealField
                    key="p"
                    reveal={reveal}
                    allowed={mayChange}
                    label="database password"
                    testId="database-password"
                  />,
                ],
              ]}
            />
          )}
          {database && <ConnectCommands database={database} password={reveal.value} />}
          <SectionLoading
            loaded={database != null || (tenant != null && !result.fetching)}
            error={result.error ?? null}
          />
        </Card>
        <Card>
          <Title order={2} fz="md" mb="sm">
            Now
          </Title>
          {database && (
            <Facts
              rows={[
                ['Size', formatBytes(database.sizeBytes)],
                ['Connections', database.connections?.toLocaleString() ?? '—'],
                ['Server version', database.serverVersion ? mono(database.serverVersion) : '—'],
                ...(database.statsError
                  ? ([
                      [
                        'Error',
                        <Text key="e" c="red" fz="sm">
                          {database.statsError}
                        </Text>,
                      ],
                    ] as const)
                  : []),
              ]}
            />
          )}
        </Card>
      </SimpleGrid>
      <Card>
        <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
          <div>
            <Title order={2} fz="md">
              Migrations
            </Title>
            <Text fz="sm" c="dimmed">
              As the tenant's backend reports them.
            </Text>
          </div>
          {mayChange && migrations && (
            <ConfirmAction
              label="Apply pending migrations"
              title="Apply the pending migrations?"
              confirmLabel="Apply"
              variant="filled"
              leftSection={<IconDatabase size={16} />}
              disabled={migrations.pending.length === 0}
              testId="apply-migrations"
              onConfirm={async () => {
                const outcome = await apply({ slug });
                return mutationProblem(outcome.data?.applyTenantMigrations, outcome.error, []);
              }}
            >
              The backend applies {migrations.pending.length} migration
              {migrations.pending.length === 1 ? '' : 's'} to the tenant database, in order.
            </ConfirmAction>
          )}
        </Group>
        {migrations ? (
          <Table verticalSpacing={6} data-testid="migrations" className="cp-cards">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Migration</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Applied</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {migrations.applied.map((migration) => (
                <Table.Tr key={migration.id} data-migration-state="applied">
                  <Table.Td data-label="Migration">{mono(migration.id)}</Table.Td>
                  <Table.Td data-label="State">
                    <Badge color="teal" variant="light">
                      Applied
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm" data-label="Applied">
                    {formatTime(migration.appliedAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
              {migrations.pending.map((id) => (
                <Table.Tr key={id} data-migration-state="pending">
                  <Table.Td data-label="Migration">{mono(id)}</Table.Td>
                  <Table.Td data-label="State">
                    <Badge color="orange" variant="light">
                      Pending
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm" c="dimmed" data-label="Applied">
                    —
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          !result.fetching &&
          !result.error && (
            <Text fz="sm" c="dimmed">
              The backend did not report its migrations.
            </Text>
          )
        )}
      </Card>
    </Stack>
  );
}

/** The connection URI and psql command, copyable; the password is in them only once revealed. */
function ConnectCommands({
  database,
  password,
}: {
  database: { host: string; port: number; database: string; user: string };
  password: string | null;
}) {
  const { uri, psql } = connectionStrings(database, password);
  return (
    <Stack gap={6} mt="md" data-testid="database-connect">
      <Text fz="xs" c="dimmed">
        {password === null
          ? 'Connect (without the password: reveal it to include it)'
          : 'Connect (with the revealed password; gone when you leave this tab)'}
      </Text>
      <ShownOnce value={uri} testId="database-uri" />
      <ShownOnce value={psql} testId="database-psql" />
    </Stack>
  );
}
