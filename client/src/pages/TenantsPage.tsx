import { Button, EmptyState, Group, SegmentedControl, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconPlus, IconSearch, IconTenants } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import type { TenantRow_TenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { replaceQuery, useSearch } from '../router/navigation.ts';
import {
  liveTenantsReducer,
  mergeTenantRows,
  queryOfView,
  type TenantStateName,
  type TenantView,
  viewFromQuery,
} from '../tenants/live-list.ts';
import { NewTenantModal } from '../tenants/NewTenantModal.tsx';
import { TenantTable } from '../tenants/TenantTable.tsx';

const TenantsPage_List = graphql(`
  query TenantsPage_List($first: Int!, $after: String, $search: String, $state: [TenantState!]) {
    tenants(first: $first, after: $after, search: $search, state: $state) {
      edges {
        node {
          ...TenantRow_Tenant
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const TenantsPage_Updates = graphql(`
  subscription TenantsPage_Updates {
    tenantUpdated {
      ...TenantRow_Tenant
    }
  }
`);

const PAGE_SIZE = 100;

const STATE_FILTERS: readonly { value: 'ALL' | TenantStateName; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'PROVISIONING', label: 'Provisioning' },
  { value: 'DELETING', label: 'Deleting' },
  { value: 'DELETED', label: 'Deleted' },
];

/** Every tenant, searchable and filterable by state, kept current live; "New tenant" starts one. */
export function TenantsPage() {
  const search = useSearch();
  const [view, setView] = useState<TenantView>(() => viewFromQuery(search));
  const [draft, setDraft] = useState(view.search);
  const [debounced] = useDebouncedValue(draft, 250);
  const [creating, setCreating] = useState(false);
  const mayCreate = useCan('tenant.create');

  useEffect(() => {
    setView((current) =>
      current.search === debounced.trim() ? current : { ...current, search: debounced.trim() },
    );
  }, [debounced]);
  useEffect(() => replaceQuery(queryOfView(view)), [view]);

  const [live, setLive] = useState<ReadonlyMap<string, TenantRow_TenantFragment>>(new Map());
  const [updates] = useSubscription(
    { query: TenantsPage_Updates },
    (previous: typeof live | undefined, data) => liveTenantsReducer(previous, data.tenantUpdated),
  );
  const liveFromSocket = updates.data;
  const allLive = useMemo(() => {
    if (!liveFromSocket) return live;
    const merged = new Map(live);
    for (const [id, tenant] of liveFromSocket) merged.set(id, tenant);
    return merged;
  }, [live, liveFromSocket]);

  const stateValue = view.states.length === 1 ? view.states[0]! : 'ALL';

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Each tenant has its own database, Kubernetes Secret and registry entry. Changes made anywhere show up here live."
        actions={
          mayCreate && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              New tenant
            </Button>
          )
        }
      />
      <Group justify="space-between" mb="md" gap="sm" wrap="wrap">
        <TextInput
          type="search"
          aria-label="Search tenants"
          placeholder="Search by slug or name"
          leftSection={<IconSearch size={16} />}
          value={draft}
          onChange={(event) => setDraft(event.currentTarget.value)}
          w={320}
          maxLength={100}
        />
        <SegmentedControl
          aria-label="Tenant state"
          value={stateValue}
          onChange={(value) =>
            setView((current) => ({ ...current, states: value === 'ALL' ? [] : [value as TenantStateName] }))
          }
          data={STATE_FILTERS.map((f) => ({ value: f.value, label: f.label }))}
        />
      </Group>
      {/* A new view is a new list: its pages start over. */}
      <TenantList
        key={JSON.stringify(view)}
        view={view}
        live={allLive}
        onCreate={mayCreate ? () => setCreating(true) : null}
      />
      {updates.error && (
        <Text fz="sm" c="orange" mt="xs" role="status">
          Live updates paused: {describeError(updates.error)}
        </Text>
      )}
      <NewTenantModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(tenant) => setLive((current) => liveTenantsReducer(current, tenant))}
      />
    </>
  );
}

type TenantListProps = {
  view: TenantView;
  live: ReadonlyMap<string, TenantRow_TenantFragment>;
  onCreate: (() => void) | null;
};

function TenantList({ view, live, onCreate }: TenantListProps) {
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({
    query: TenantsPage_List,
    variables: {
      first: PAGE_SIZE,
      after,
      search: view.search || null,
      state: view.states.length > 0 ? [...view.states] : null,
    },
    requestPolicy: after === null ? 'cache-and-network' : 'cache-first',
  });
  const connection = result.data?.tenants;
  const fetched = useMemo(() => connection?.edges.map((edge) => edge.node) ?? [], [connection]);
  const hasMore = connection?.pageInfo.hasNextPage ?? false;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  const rows = useMemo(() => mergeTenantRows(fetched, live, view, hasMore), [fetched, live, view, hasMore]);
  const liveIds = useMemo(() => {
    const fetchedIds = new Set(fetched.map((t) => t.id));
    return new Set([...live.keys()].filter((id) => !fetchedIds.has(id)));
  }, [fetched, live]);
  const onNeedMore = useCallback(() => {
    if (endCursor) setAfter(endCursor);
  }, [endCursor]);

  if (result.error && !connection)
    return <Problem title="Tenants could not be loaded" message={describeError(result.error)} />;

  const filtered = view.search !== '' || view.states.length > 0;
  const empty = !connection ? (
    <Text c="dimmed" ta="center" py="xl">
      Loading tenants…
    </Text>
  ) : (
    <EmptyState
      py={56}
      icon={<IconTenants size={28} />}
      withIndicatorBackground
      title={filtered ? 'No tenants match' : 'No tenants yet'}
      description={
        filtered
          ? 'Try another search or state.'
          : 'Create the first tenant: it gets its own database, Secret and registry entry in a few seconds.'
      }
    >
      {!filtered && onCreate && (
        <EmptyState.Actions>
          <Button leftSection={<IconPlus size={16} />} onClick={onCreate}>
            New tenant
          </Button>
        </EmptyState.Actions>
      )}
    </EmptyState>
  );

  return (
    <>
      <TenantTable
        rows={rows}
        liveIds={liveIds}
        hasMore={hasMore}
        loadingMore={result.fetching && after !== null}
        onNeedMore={onNeedMore}
        empty={empty}
      />
      <Text fz="xs" c="dimmed" mt="xs" data-testid="tenant-count">
        {connection
          ? `${rows.length.toLocaleString()} ${rows.length === 1 ? 'tenant' : 'tenants'}${hasMore ? ' loaded; more load as you scroll' : ''}`
          : ''}
      </Text>
    </>
  );
}
