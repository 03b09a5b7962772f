import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { describeAction } from '../audit/format.ts';
import { IconAudit, IconDownload } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatTime } from '../components/time.ts';
import type { TombstoneView_DeletedTenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { Link } from '../router/Link.tsx';
import { withQuery } from '../router/routes.ts';
import { formatBytes } from './detail/secret-status.ts';

graphql(`
  fragment TombstoneView_DeletedTenant on DeletedTenant {
    slug
    name
    createdBy
    createdAt
    deletedAt
    deleteRequestedAt
    deletedBy
    backupsPurged
    backupsRemovedAt
    slugInUse
    auditLog(first: 50) {
      edges {
        node {
          id
          at
          action
          actor {
            label
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    backups(first: 50) {
      edges {
        node {
          id
          state
          trigger
          startedAt
          sizeBytes
          sha256
        }
      }
    }
  }
`);

const when = (iso: string | null | undefined) => (iso ? formatTime(iso) : '—');

/**
 * What stays of a deleted tenant, read-only: who deleted it and when, its audit entries, and the
 * backups kept after it with their download links and when the leader removes them. No health:
 * there is no backend left to ask.
 */
export function TombstoneView({
  tombstone: d,
  mayDownload,
}: {
  tombstone: TombstoneView_DeletedTenantFragment;
  mayDownload: boolean;
}) {
  const backups = d.backups.edges.map((e) => e.node);
  const entries = d.auditLog.edges.map((e) => e.node);
  const kept = backups.filter((b) => b.state === 'SUCCEEDED');
  return (
    <>
      <PageHeader
        title={d.name}
        breadcrumbs={[{ label: 'Tenants', to: '/tenants' }, { label: d.slug }]}
        actions={
          <Button
            component={Link}
            to={withQuery('/audit', { tenant: d.slug })}
            variant="light"
            leftSection={<IconAudit size={16} />}
          >
            Full audit log
          </Button>
        }
      />
      <Stack gap="lg" data-testid="tenant-tombstone" data-backups={kept.length}>
        <Alert color="gray" title="This tenant was deleted" data-testid="tombstone-summary">
          <Text fz="sm">
            Deleted by <b>{d.deletedBy ?? 'unknown'}</b>, asked {when(d.deleteRequestedAt)}, finished{' '}
            {when(d.deletedAt)}. Its database, Secret and registry entry are gone; this record stays for the
            audit trail and is read-only.
          </Text>
          {d.slugInUse && (
            <Text fz="sm" mt="xs">
              A new tenant has the slug <code>{d.slug}</code> now; this page shows the latest deleted one.
            </Text>
          )}
        </Alert>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Card withBorder>
            <Text fz="xs" c="dimmed">
              Created
            </Text>
            <Text>{when(d.createdAt)}</Text>
            <Text fz="xs" c="dimmed">
              by {d.createdBy}
            </Text>
          </Card>
          <Card withBorder>
            <Text fz="xs" c="dimmed">
              Deleted
            </Text>
            <Text>{when(d.deletedAt)}</Text>
            <Text fz="xs" c="dimmed">
              by {d.deletedBy ?? 'unknown'}
            </Text>
          </Card>
          <Card withBorder>
            <Text fz="xs" c="dimmed">
              Kept backups
            </Text>
            <Text>{kept.length}</Text>
            <Text fz="xs" c="dimmed" data-testid="tombstone-removal">
              {d.backupsPurged
                ? 'removed with the tenant (purge asked)'
                : kept.length > 0
                  ? `removed ${when(d.backupsRemovedAt)}`
                  : 'none left'}
            </Text>
          </Card>
        </SimpleGrid>

        <Stack gap="xs">
          <Title order={4}>Kept backups</Title>
          {backups.length === 0 ? (
            <Text c="dimmed" fz="sm">
              No backups are kept for this tenant.
            </Text>
          ) : (
            <Table data-testid="tombstone-backups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Started</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Removed</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {backups.map((b) => (
                  <Table.Tr key={b.id} data-backup={b.id}>
                    <Table.Td>{when(b.startedAt)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={b.state === 'SUCCEEDED' ? 'green' : 'red'}>
                        {b.state.toLowerCase()}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatBytes(b.sizeBytes)}</Table.Td>
                    <Table.Td>{when(d.backupsRemovedAt)}</Table.Td>
                    <Table.Td>
                      {b.state === 'SUCCEEDED' && mayDownload && (
                        <Anchor
                          href={`/tenants/${encodeURIComponent(d.slug)}/backups/${b.id}/download`}
                          download
                          fz="sm"
                          data-testid="download-backup"
                        >
                          <Group gap={4} wrap="nowrap">
                            <IconDownload size={14} /> Download
                          </Group>
                        </Anchor>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>

        <Stack gap="xs">
          <Title order={4}>Audit entries</Title>
          <Table data-testid="tombstone-audit">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Who</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.id} data-action={e.action}>
                  <Table.Td>{when(e.at)}</Table.Td>
                  <Table.Td>{describeAction(e.action)}</Table.Td>
                  <Table.Td>{e.actor.label}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {d.auditLog.pageInfo.hasNextPage && (
            <Text fz="sm" c="dimmed">
              Older entries are in the{' '}
              <Anchor component={Link} to={withQuery('/audit', { tenant: d.slug })}>
                audit log
              </Anchor>
              .
            </Text>
          )}
        </Stack>
      </Stack>
    </>
  );
}
