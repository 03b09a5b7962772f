import { Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { Problem } from '../components/Problem.tsx';
import { formatTime } from '../components/time.ts';
import { useNow } from '../components/use-now.ts';
import type { InfrastructurePage_DatabaseFragment } from '../gql/graphql.ts';
import { Facts } from '../tenants/detail/SecretFacts.tsx';
import { formatBytes, formatUptime } from './look.ts';

type DatabaseCardProps = {
  database: InfrastructurePage_DatabaseFragment | null;
  error: string | null;
};

/** The tenants' database server: version, uptime, connections, sizes; refreshed by the leader. */
export function DatabaseCard({ database, error }: DatabaseCardProps) {
  const now = useNow();
  return (
    <Card component="section" aria-labelledby="infra-database" data-testid="database-card">
      <Title order={2} fz="md" id="infra-database" mb="sm">
        Database
      </Title>
      {!database ? (
        <Problem title="The database server could not be read" message={error ?? 'No figures yet.'} />
      ) : (
        <Stack gap="sm">
          <Facts
            rows={[
              [
                'Server',
                <span key="v" className="cp-mono" data-testid="database-version">
                  PostgreSQL {database.serverVersion}
                </span>,
              ],
              [
                'Uptime',
                <span key="u" title={`Started ${formatTime(database.startedAt)}`}>
                  {formatUptime(database.startedAt, Math.max(now, Date.now() - 1000))}
                </span>,
              ],
              [
                'Connections',
                <Stack key="c" gap={4}>
                  <span data-testid="database-connections">
                    {database.connections} of {database.maxConnections}
                  </span>
                  <Progress
                    value={
                      database.maxConnections > 0 ? (100 * database.connections) / database.maxConnections : 0
                    }
                    color={database.connections >= database.maxConnections * 0.8 ? 'orange' : 'blue'}
                    size="sm"
                    aria-label="Connections used"
                  />
                </Stack>,
              ],
              [
                'Tenant databases',
                <span key="s" data-testid="database-size">
                  {formatBytes(database.sizeBytes)}
                </span>,
              ],
            ]}
          />
          {database.tenants.length === 0 ? (
            <Text fz="sm" c="dimmed">
              No tenant database yet.
            </Text>
          ) : (
            <Table verticalSpacing={4} data-testid="database-tenants" data-count={database.tenants.length}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tenant</Table.Th>
                  <Table.Th ta="right">Size</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {database.tenants.map((tenant) => (
                  <Table.Tr key={tenant.slug} data-tenant={tenant.slug}>
                    <Table.Td className="cp-mono" fz="sm">
                      {tenant.slug}
                    </Table.Td>
                    <Table.Td ta="right" fz="sm">
                      {formatBytes(tenant.sizeBytes)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {error && (
            <Group>
              <Text fz="sm" c="orange">
                {error}
              </Text>
            </Group>
          )}
        </Stack>
      )}
    </Card>
  );
}
