import {
  Alert,
  Button,
  Card,
  EmptyState,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconAudit, IconSearch, IconTrash } from '../components/icons.tsx';
import { OperationSteps } from '../components/OperationSteps.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import { StatusIndicator, TenantBadge } from '../components/TenantBadges.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { OperationSteps_OperationFragment, TenantPage_TenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { Link } from '../router/Link.tsx';
import { replaceQuery, useSearch } from '../router/navigation.ts';
import { withQuery } from '../router/routes.ts';
import { DeleteTenantModal } from '../tenants/DeleteTenantModal.tsx';
import { SectionPanel } from '../tenants/detail/SectionPanel.tsx';
import { newestOperation, operationAboveTabs } from '../tenants/operations.ts';
import { DriftNotice, isFailing, RetryOperationButton } from '../tenants/RepairActions.tsx';
import { sectionOf, TENANT_SECTIONS } from '../tenants/sections.tsx';
import { TenantPageSkeleton } from '../tenants/TenantPageSkeleton.tsx';
import { TombstoneView } from '../tenants/TombstoneView.tsx';

// Subscriptions select only the fields their event re-reads: the API resolves nested objects of a
// subscription (a tenant's operation, an operation's tenant) once per subscription, not per event.
graphql(`
  fragment TenantPage_Fields on Tenant {
    id
    slug
    name
    adminEmail
    state
    createdAt
    createdBy
    updatedAt
    deletedAt
    drift
    driftCheckedAt
    overview {
      status
      statusError
      backendVersion
      users
      groups
      apps
      activeUsers
      lastSeenAt
      checkedAt
    }
  }
`);

graphql(`
  fragment TenantPage_Tenant on Tenant {
    ...TenantPage_Fields
    operation {
      ...OperationSteps_Operation
    }
  }
`);

const TenantPage_Tenant = graphql(`
  query TenantPage_Tenant($slug: String!) {
    tenant(slug: $slug) {
      ...TenantPage_Tenant
    }
  }
`);

const TenantPage_Tombstone = graphql(`
  query TenantPage_Tombstone($slug: String!) {
    deletedTenant(slug: $slug) {
      ...TombstoneView_DeletedTenant
    }
  }
`);

const TenantPage_Updates = graphql(`
  subscription TenantPage_Updates($slug: String!) {
    tenantUpdated(slug: $slug) {
      ...TenantPage_Fields
    }
  }
`);

const TenantPage_Operation = graphql(`
  subscription TenantPage_Operation($slug: String!) {
    tenantOperation(slug: $slug) {
      ...OperationSteps_Operation
    }
  }
`);

/** One tenant: its overview, the operation under way, its sections, and the danger zone. */
export function TenantPage({ slug }: { slug: string }) {
  const [result] = useQuery({
    query: TenantPage_Tenant,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  // Updates land in the normalized cache, so the query's tenant stays current, deleted or not.
  useSubscription({ query: TenantPage_Updates, variables: { slug } });
  const [operations] = useSubscription({ query: TenantPage_Operation, variables: { slug } });
  const tenant = result.data?.tenant;
  // No live tenant has the slug: a deleted one may have had it (its read-only tombstone).
  const missing = !tenant && !result.fetching && !!result.data;
  const [tombstone] = useQuery({ query: TenantPage_Tombstone, variables: { slug }, pause: !missing });
  const mayDownload = useCan('tenant.backups');

  if (!tenant) {
    if (result.fetching || !result.data || (!tombstone.data && !tombstone.error)) {
      if (result.error)
        return <Problem title="The tenant could not be loaded" message={describeError(result.error)} />;
      return <TenantPageSkeleton />;
    }
    const deleted = tombstone.data?.deletedTenant;
    if (deleted) return <TombstoneView tombstone={deleted} mayDownload={mayDownload} />;
    return (
      <>
        <PageHeader title={slug} breadcrumbs={[{ label: 'Tenants', to: '/tenants' }, { label: slug }]} />
        <EmptyState
          py={64}
          icon={<IconSearch size={28} />}
          withIndicatorBackground
          title="No such tenant"
          description={`No tenant, live or deleted, has had the slug "${slug}". The audit log has every request made with it.`}
        >
          <EmptyState.Actions>
            <Button component={Link} to={withQuery('/audit', { tenant: slug })} variant="light">
              Open its audit log
            </Button>
            <Button component={Link} to="/tenants" variant="default">
              All tenants
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </>
    );
  }
  return <TenantView tenant={tenant} liveOperation={operations.data?.tenantOperation ?? null} />;
}

type TenantViewProps = {
  tenant: TenantPage_TenantFragment;
  /** The newest operation event, which may be a new operation the tenant query has not seen. */
  liveOperation: OperationSteps_OperationFragment | null;
};

function TenantView({ tenant, liveOperation }: TenantViewProps) {
  const search = useSearch();
  const section = sectionOf(new URLSearchParams(search).get('tab'));
  const operation = newestOperation(tenant.operation, liveOperation);
  const showOperation = operationAboveTabs(operation, tenant.state, section);

  return (
    <>
      <PageHeader
        title={tenant.name}
        breadcrumbs={[{ label: 'Tenants', to: '/tenants' }, { label: tenant.slug }]}
        badges={
          <>
            <TenantBadge
              state={tenant.state}
              status={tenant.overview.status}
              error={tenant.overview.statusError}
            />
            <Text className="cp-mono" c="dimmed">
              {tenant.slug}
            </Text>
          </>
        }
        actions={
          <Button
            component={Link}
            to={withQuery('/audit', { tenant: tenant.slug })}
            variant="default"
            leftSection={<IconAudit size={16} />}
          >
            Audit log
          </Button>
        }
      />
      {tenant.state === 'DELETED' && (
        <Alert color="gray" mb="lg" title="This tenant was deleted" data-testid="tenant-deleted">
          Its database, Secret, registry entry and workloads are gone
          {tenant.deletedAt ? ` since ${formatTime(tenant.deletedAt)}` : ''}. The slug can be used again.
        </Alert>
      )}
      {tenant.state === 'ACTIVE' && (
        <DriftNotice
          slug={tenant.slug}
          drift={tenant.drift}
          checkedAt={tenant.driftCheckedAt}
          busy={operation?.state === 'RUNNING'}
        />
      )}
      {operation && showOperation && (
        <Card mb="lg">
          <OperationSteps
            operation={operation}
            collapsible
            problemAction={isFailing(operation) ? <RetryOperationButton slug={tenant.slug} /> : undefined}
          />
        </Card>
      )}
      {tenant.state === 'DELETED' ? (
        // Nothing of a deleted tenant runs any more: what is left is its record.
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <DetailsCard tenant={tenant} />
        </SimpleGrid>
      ) : (
        <Tabs
          keepMounted={false}
          value={section}
          onChange={(value) => replaceQuery({ tab: value === 'overview' ? null : value })}
        >
          <Tabs.List mb="lg">
            {TENANT_SECTIONS.map(({ id, label, icon: Icon }) => (
              <Tabs.Tab key={id} value={id} leftSection={<Icon size={16} />}>
                {label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {TENANT_SECTIONS.map((entry) => (
            <Tabs.Panel key={entry.id} value={entry.id}>
              {entry.id === 'overview' ? (
                <Overview tenant={tenant} operation={operation} />
              ) : (
                <SectionPanel section={entry} slug={tenant.slug} state={tenant.state} operation={operation} />
              )}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </>
  );
}

function Stat({ label, value }: { label: string; value: number | null | undefined }) {
  return (
    <Card padding="md" data-stat={label}>
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text
        fz={28}
        fw={650}
        mt={4}
        c={value == null ? 'dimmed' : undefined}
        style={{ fontVariantNumeric: 'tabular-nums' }}
        data-testid="stat-value"
      >
        {value?.toLocaleString() ?? '—'}
      </Text>
    </Card>
  );
}

function Facts({ rows }: { rows: readonly [string, ReactNode][] }) {
  return (
    <Table verticalSpacing={8} withRowBorders={false} layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="38%" fw={500} c="dimmed" fz="sm" pl={0}>
              {label}
            </Table.Th>
            <Table.Td fz="sm">{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Overview({
  tenant,
  operation,
}: {
  tenant: TenantPage_TenantFragment;
  operation: OperationSteps_OperationFragment | null;
}) {
  const { overview } = tenant;
  const [deleting, setDeleting] = useState(false);
  const mayDelete = useCan('tenant.delete');
  const deletable = tenant.state === 'ACTIVE' || tenant.state === 'PROVISIONING';
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Users" value={overview.users} />
        <Stat label="Active users" value={overview.activeUsers} />
        <Stat label="Groups" value={overview.groups} />
        <Stat label="Apps" value={overview.apps} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card>
          <Title order={2} fz="md" mb="sm">
            Backend
          </Title>
          <Facts
            rows={[
              ['Status', <StatusIndicator key="s" status={overview.status} />],
              [
                'Version',
                <span key="v" className="cp-mono">
                  {overview.backendVersion ?? '—'}
                </span>,
              ],
              ['Last seen', <TimeAgo key="l" iso={overview.lastSeenAt} fallback="never" />],
              ['Last checked', <TimeAgo key="c" iso={overview.checkedAt} fallback="not yet" />],
              ...(overview.statusError
                ? ([
                    [
                      'Error',
                      <Text key="e" c="red" fz="sm">
                        {overview.statusError}
                      </Text>,
                    ],
                  ] as [string, ReactNode][])
                : []),
            ]}
          />
        </Card>
        <DetailsCard tenant={tenant} />
      </SimpleGrid>
      {operation && operation.state === 'SUCCEEDED' && tenant.state === 'ACTIVE' && (
        <Card>
          <Title order={2} fz="md" mb="md">
            Last operation
          </Title>
          <OperationSteps operation={operation} collapsible />
        </Card>
      )}
      {mayDelete && deletable && (
        <Card className="cp-danger-zone" data-testid="danger-zone">
          <Group justify="space-between" wrap="wrap" gap="md">
            <div>
              <Title order={2} fz="md" c="red">
                Danger zone
              </Title>
              <Text fz="sm" c="dimmed" mt={4}>
                Deleting drops the tenant's database and removes all of its Kubernetes resources. It cannot be
                undone.
              </Text>
            </div>
            <Button
              color="red"
              variant="outline"
              leftSection={<IconTrash size={16} />}
              onClick={() => setDeleting(true)}
            >
              Delete tenant…
            </Button>
          </Group>
          <DeleteTenantModal
            slug={tenant.slug}
            opened={deleting}
            onClose={() => setDeleting(false)}
            onDeleted={() => setDeleting(false)}
          />
        </Card>
      )}
    </Stack>
  );
}

function DetailsCard({ tenant }: { tenant: TenantPage_TenantFragment }) {
  return (
    <Card>
      <Title order={2} fz="md" mb="sm">
        Details
      </Title>
      <Facts
        rows={[
          [
            'Slug',
            <span key="s" className="cp-mono">
              {tenant.slug}
            </span>,
          ],
          ['Admin email', tenant.adminEmail ?? '—'],
          [
            'Created',
            <span key="c">
              {formatTime(tenant.createdAt)} by {tenant.createdBy}
            </span>,
          ],
          ['Updated', <TimeAgo key="u" iso={tenant.updatedAt} />],
          [
            'Database',
            <span key="d" className="cp-mono">
              tenant_{tenant.slug}
            </span>,
          ],
          [
            'Secret',
            <span key="k" className="cp-mono">
              tenant-{tenant.slug}
            </span>,
          ],
        ]}
      />
    </Card>
  );
}
