import { Button, Chip, EmptyState, Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
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
import {
  DEFAULT_ORDER,
  orderFromQuery,
  queryOfOrder,
  type TenantOrder,
  type TenantOrderField,
  toggledOrder,
} from '../tenants/order.ts';
import { TenantTable } from '../tenants/TenantTable.tsx';
import { type TenantCounts, useTenantCounts } from '../tenants/use-tenant-counts.ts';

const TenantsPage_List = graphql(`
  query TenantsPage_List(
    $first: Int!
    $after: String
    $search: String
    $state: [TenantState!]
    $orderBy: TenantOrderInput
  ) {
    tenants(first: $first, after: $after, search: $search, state: $state, orderBy: $orderBy) {
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

/** Below this width the list turns into two columns that fit a phone (390 px). */
const COMPACT_QUERY = '(max-width: 40em)';

const SORT_CHOICES: readonly { value: string; label: string }[] = [
  { value: 'SLUG:ASC', label: 'Slug, A to Z' },
  { value: 'SLUG:DESC', label: 'Slug, Z to A' },
  { value: 'NAME:ASC', label: 'Name, A to Z' },
  { value: 'NAME:DESC', label: 'Name, Z to A' },
  { value: 'STATE:ASC', label: 'State' },
  { value: 'CREATED_AT:DESC', label: 'Newest first' },
  { value: 'CREATED_AT:ASC', label: 'Oldest first' },
];

const STATE_FILTERS: readonly { value: 'ALL' | TenantStateName; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'PROVISIONING', label: 'Provisioning' },
  { value: 'DELETING', label: 'Deleting' },
  { value: 'DELETED', label: 'Deleted' },
];

/**
 * Every tenant, searchable, filterable by state (with the server's count of each) and sortable,
 * kept current live; "New tenant" starts one.
 */
export function TenantsPage() {
  const search = useSearch();
  const [view, setView] = useState<TenantView>(() => viewFromQuery(search));
  const [order, setOrder] = useState<TenantOrder>(() => orderFromQuery(search));
  const compact = useMediaQuery(COMPACT_QUERY) ?? false;
  const counts = useTenantCounts();
  const [draft, setDraft] = useState(view.search);
  const [debounced] = useDebouncedValue(draft, 250);
  const [creating, setCreating] = useState(false);
  const mayCreate = useCan('tenant.create');

  useEffect(() => {
    setView((current) =>
      current.search === debounced.trim() ? current : { ...current, search: debounced.trim() },
    );
  }, [debounced]);
  useEffect(() => replaceQuery({ ...queryOfView(view), ...queryOfOrder(order) }), [view, order]);
  const sortBy = useCallback(
    (field: TenantOrderField) => setOrder((current) => toggledOrder(current, field)),
    [],
  );

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
          w={{ base: '100%', xs: 320 }}
          maxLength={100}
        />
        {compact && (
          <Select
            aria-label="Sort tenants"
            data={SORT_CHOICES}
            value={`${order.field}:${order.direction}`}
            onChange={(value) => {
              const [field, direction] = (value ?? 'SLUG:ASC').split(':') as [
                TenantOrderField,
                'ASC' | 'DESC',
              ];
              setOrder({ field, direction });
            }}
            allowDeselect={false}
            w="100%"
          />
        )}
      </Group>
      <StateChips
        value={stateValue}
        counts={counts}
        onChange={(value) =>
          setView((current) => ({ ...current, states: value === 'ALL' ? [] : [value as TenantStateName] }))
        }
      />
      {/* A new view or order is a new list: its pages start over. */}
      <TenantList
        key={`${JSON.stringify(view)}:${order.field}:${order.direction}:${compact}`}
        view={view}
        order={order}
        onSort={sortBy}
        compact={compact}
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

/**
 * The state filter as chips, each with the server's count of tenants in that state (the dashboard's
 * aggregate, over every tenant whatever the search); they wrap on a narrow screen.
 */
function StateChips({
  value,
  counts,
  onChange,
}: {
  value: string;
  counts: TenantCounts | null;
  onChange: (value: string) => void;
}) {
  return (
    <Chip.Group multiple={false} value={value} onChange={onChange}>
      <Group gap="xs" mb="md" role="radiogroup" aria-label="Tenant state" data-testid="state-chips">
        {STATE_FILTERS.map((filter) => (
          <Chip
            key={filter.value}
            value={filter.value}
            size="sm"
            variant="outline"
            wrapperProps={{ 'data-testid': `state-chip-${filter.value}` }}
          >
            {filter.label}{' '}
            <Text span fz="xs" fw={600} ml={2} c="dimmed" data-testid="state-count">
              {counts ? counts[filter.value].toLocaleString() : '…'}
            </Text>
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}

type TenantListProps = {
  view: TenantView;
  order: TenantOrder;
  onSort: (field: TenantOrderField) => void;
  compact: boolean;
  live: ReadonlyMap<string, TenantRow_TenantFragment>;
  onCreate: (() => void) | null;
};

function TenantList({ view, order, onSort, compact, live, onCreate }: TenantListProps) {
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({
    query: TenantsPage_List,
    variables: {
      first: PAGE_SIZE,
      after,
      search: view.search || null,
      state: view.states.length > 0 ? [...view.states] : null,
      orderBy:
        order.field === DEFAULT_ORDER.field && order.direction === DEFAULT_ORDER.direction ? null : order,
    },
    requestPolicy: after === null ? 'cache-and-network' : 'cache-first',
  });
  const connection = result.data?.tenants;
  const fetched = useMemo(() => connection?.edges.map((edge) => edge.node) ?? [], [connection]);
  const hasMore = connection?.pageInfo.hasNextPage ?? false;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  const rows = useMemo(
    () => mergeTenantRows(fetched, live, view, hasMore, order),
    [fetched, live, view, hasMore, order],
  );
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
  const empty = (
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
        loading={!connection}
        onNeedMore={onNeedMore}
        empty={empty}
        order={order}
        onSort={onSort}
        compact={compact}
      />
      <Text fz="xs" c="dimmed" mt="xs" data-testid="tenant-count">
        {connection
          ? `${rows.length.toLocaleString()} ${rows.length === 1 ? 'tenant' : 'tenants'}${hasMore ? ' loaded; more load as you scroll' : ''}`
          : ''}
      </Text>
    </>
  );
}
