import { Anchor, Center, Group, Loader, Skeleton, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useRef } from 'react';
import { IconChevronDown } from '../components/icons.tsx';
import { TenantBadge } from '../components/TenantBadges.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { TenantRow_TenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { Link } from '../router/Link.tsx';
import { isPlainLeftClick, navigate } from '../router/navigation.ts';
import { hrefOf, tenantPath } from '../router/routes.ts';
import type { TenantOrder, TenantOrderField } from './order.ts';

graphql(`
  fragment TenantRow_Tenant on Tenant {
    id
    slug
    name
    state
    createdAt
    updatedAt
    overview {
      status
      statusError
      users
      activeUsers
      backendVersion
      lastSeenAt
    }
  }
`);

const ROW_HEIGHT = 49;
/** A card row of the narrow layout: the slug and name on two lines, the badge beside them. */
const COMPACT_ROW_HEIGHT = 64;
/** Start fetching the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 25;
/** Placeholder rows while the first page loads. */
const SKELETON_ROWS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];

type Column = { id: string; label: string; width: string; align?: 'right'; sort?: TenantOrderField };

const COLUMNS: readonly Column[] = [
  { id: 'slug', label: 'Slug', width: '15%', sort: 'SLUG' },
  { id: 'name', label: 'Name', width: '17%', sort: 'NAME' },
  { id: 'state', label: 'State', width: '20%', sort: 'STATE' },
  { id: 'users', label: 'Users', width: '8%', align: 'right' },
  { id: 'backend', label: 'Backend', width: '11%' },
  { id: 'created', label: 'Created', width: '14%', sort: 'CREATED_AT' },
  { id: 'seen', label: 'Last seen', width: '15%' },
];

/** At 390 px the state and health stay on screen: two columns, the tenant and its badge. */
const COMPACT_COLUMNS: readonly Column[] = [
  { id: 'tenant', label: 'Tenant', width: '55%', sort: 'SLUG' },
  { id: 'state', label: 'State', width: '45%', sort: 'STATE' },
];

type TenantTableProps = {
  rows: readonly TenantRow_TenantFragment[];
  /** Rows that arrived live rather than with a page; they are highlighted as they appear. */
  liveIds: ReadonlySet<string>;
  hasMore: boolean;
  loadingMore: boolean;
  /** The first page is on its way: placeholder rows stand where the tenants will be. */
  loading: boolean;
  onNeedMore: () => void;
  /** Shown inside the frame when there are no rows. */
  empty: ReactNode;
  order: TenantOrder;
  onSort: (field: TenantOrderField) => void;
  /** The narrow layout: two columns that fit a phone, no horizontal scrolling. */
  compact: boolean;
};

/**
 * The tenant list, virtualized: only the rows in view are in the DOM, so thousands of tenants
 * scroll as smoothly as ten. Scrolling near the end asks for the next page. Sortable columns ask
 * the API for another order (the list starts over); the header says which one is in force. The
 * layout is fixed for the table's life: the page mounts a new one when it changes.
 */
export function TenantTable({
  rows,
  liveIds,
  hasMore,
  loadingMore,
  loading,
  onNeedMore,
  empty,
  order,
  onSort,
  compact,
}: TenantTableProps) {
  const frame = useRef<HTMLDivElement>(null);
  const rowHeight = compact ? COMPACT_ROW_HEIGHT : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => frame.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const columns = compact ? COMPACT_COLUMNS : COLUMNS;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onNeedMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onNeedMore]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;

  return (
    <div
      ref={frame}
      className="cp-table-frame"
      // As tall as its rows, up to what fits on screen; the rows scroll inside it.
      style={{
        maxHeight: 'max(360px, calc(100dvh - 300px))',
        minHeight: rows.length === 0 && !loading ? 320 : undefined,
      }}
      data-testid="tenant-table"
      data-layout={compact ? 'compact' : 'wide'}
      aria-busy={loading}
    >
      <Table layout="fixed" verticalSpacing={0} horizontalSpacing="md" miw={compact ? undefined : 940}>
        <Table.Thead>
          <Table.Tr style={{ height: 40 }}>
            {columns.map((column) => (
              <HeaderCell key={column.id} column={column} order={order} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading &&
            SKELETON_ROWS.map((key) => (
              <Table.Tr key={key} style={{ height: rowHeight }} data-testid="tenant-row-skeleton">
                {columns.map((column) => (
                  <Table.Td key={column.id}>
                    <Skeleton h={compact && column.id === 'tenant' ? 30 : 14} w={column.align ? 40 : '70%'} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          {paddingTop > 0 && (
            <tr style={{ height: paddingTop }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const tenant = rows[item.index]!;
            return (
              <TenantRow key={tenant.id} tenant={tenant} arrived={liveIds.has(tenant.id)} compact={compact} />
            );
          })}
          {paddingBottom > 0 && (
            <tr style={{ height: paddingBottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && !loading && empty}
      {loadingMore && (
        <Center py="sm">
          <Loader size="sm" aria-label="Loading more tenants" />
        </Center>
      )}
    </div>
  );
}

function HeaderCell({
  column,
  order,
  onSort,
}: {
  column: Column;
  order: TenantOrder;
  onSort: (field: TenantOrderField) => void;
}) {
  if (!column.sort) {
    return (
      <Table.Th w={column.width} ta={column.align}>
        {column.label}
      </Table.Th>
    );
  }
  const field = column.sort;
  const active = order.field === field;
  const ascending = order.direction === 'ASC';
  return (
    <Table.Th
      w={column.width}
      ta={column.align}
      aria-sort={active ? (ascending ? 'ascending' : 'descending') : 'none'}
      data-sort-field={field}
    >
      <UnstyledButton
        onClick={() => onSort(field)}
        style={{ font: 'inherit', textTransform: 'inherit', letterSpacing: 'inherit', color: 'inherit' }}
        aria-label={`Sort by ${column.label.toLowerCase()}${active ? (ascending ? ', now ascending' : ', now descending') : ''}`}
      >
        <Group gap={4} wrap="nowrap">
          {column.label}
          <IconChevronDown
            size={14}
            style={{
              opacity: active ? 1 : 0.35,
              transform: active && ascending ? 'rotate(180deg)' : undefined,
            }}
          />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function TenantRow({
  tenant,
  arrived,
  compact,
}: {
  tenant: TenantRow_TenantFragment;
  arrived: boolean;
  compact: boolean;
}) {
  const to = tenantPath(tenant.slug);
  const { overview } = tenant;
  const slug = (
    <Anchor component={Link} to={to} fw={600} className="cp-mono" truncate="end" display="block">
      {tenant.slug}
    </Anchor>
  );
  const badge = <TenantBadge state={tenant.state} status={overview.status} error={overview.statusError} />;
  return (
    <Table.Tr
      style={{ height: compact ? COMPACT_ROW_HEIGHT : ROW_HEIGHT, cursor: 'pointer' }}
      className={arrived ? 'cp-live-row' : undefined}
      data-slug={tenant.slug}
      data-state={tenant.state}
      onClick={(event) => {
        // The slug is a real link; a click anywhere else on the row opens the tenant too.
        if ((event.target as HTMLElement).closest('a') || !isPlainLeftClick(event)) return;
        navigate(hrefOf(to));
      }}
    >
      {compact ? (
        <>
          <Table.Td>
            <Stack gap={0}>
              {slug}
              <Text fz="xs" c="dimmed" truncate="end">
                {tenant.name}
              </Text>
            </Stack>
          </Table.Td>
          <Table.Td>
            <Stack gap={2} align="flex-start">
              {badge}
              <Text fz="xs" c="dimmed" data-testid="tenant-users">
                {overview.users == null ? '— users' : `${overview.users.toLocaleString()} users`}
              </Text>
            </Stack>
          </Table.Td>
        </>
      ) : (
        <>
          <Table.Td>{slug}</Table.Td>
          <Table.Td>
            <Text fz="sm" truncate="end">
              {tenant.name}
            </Text>
          </Table.Td>
          <Table.Td>{badge}</Table.Td>
          <Table.Td ta="right">
            <Text
              fz="sm"
              c={overview.users == null ? 'dimmed' : undefined}
              style={{ fontVariantNumeric: 'tabular-nums' }}
              data-testid="tenant-users"
            >
              {overview.users?.toLocaleString() ?? '—'}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text
              fz="sm"
              className="cp-mono"
              c={overview.backendVersion ? undefined : 'dimmed'}
              truncate="end"
            >
              {overview.backendVersion ?? '—'}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text fz="sm" span data-testid="tenant-created">
              <TimeAgo iso={tenant.createdAt} />
            </Text>
          </Table.Td>
          <Table.Td>
            <Text fz="sm" span>
              <TimeAgo iso={overview.lastSeenAt} fallback="never" />
            </Text>
          </Table.Td>
        </>
      )}
    </Table.Tr>
  );
}
