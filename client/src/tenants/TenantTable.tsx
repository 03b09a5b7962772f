import { Anchor, Center, Loader, Table, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useRef } from 'react';
import { TenantBadge } from '../components/TenantBadges.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { TenantRow_TenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { Link } from '../router/Link.tsx';
import { isPlainLeftClick, navigate } from '../router/navigation.ts';
import { hrefOf, tenantPath } from '../router/routes.ts';

graphql(`
  fragment TenantRow_Tenant on Tenant {
    id
    slug
    name
    state
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
/** Start fetching the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 25;

const COLUMNS: readonly { label: string; width: string; align?: 'right' }[] = [
  { label: 'Slug', width: '18%' },
  { label: 'Name', width: '20%' },
  { label: 'State', width: '22%' },
  { label: 'Users', width: '8%', align: 'right' },
  { label: 'Backend', width: '14%' },
  { label: 'Last seen', width: '18%' },
];

type TenantTableProps = {
  rows: readonly TenantRow_TenantFragment[];
  /** Rows that arrived live rather than with a page; they are highlighted as they appear. */
  liveIds: ReadonlySet<string>;
  hasMore: boolean;
  loadingMore: boolean;
  onNeedMore: () => void;
  /** Shown inside the frame when there are no rows. */
  empty: ReactNode;
};

/**
 * The tenant list, virtualized: only the rows in view are in the DOM, so thousands of tenants
 * scroll as smoothly as ten. Scrolling near the end asks for the next page.
 */
export function TenantTable({ rows, liveIds, hasMore, loadingMore, onNeedMore, empty }: TenantTableProps) {
  const frame = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => frame.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

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
        minHeight: rows.length === 0 ? 320 : undefined,
      }}
      data-testid="tenant-table"
    >
      <Table layout="fixed" verticalSpacing={0} horizontalSpacing="md" miw={860}>
        <Table.Thead>
          <Table.Tr style={{ height: 40 }}>
            {COLUMNS.map((column) => (
              <Table.Th key={column.label} w={column.width} ta={column.align}>
                {column.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && (
            <tr style={{ height: paddingTop }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {items.map((item) => {
            const tenant = rows[item.index]!;
            return <TenantRow key={tenant.id} tenant={tenant} arrived={liveIds.has(tenant.id)} />;
          })}
          {paddingBottom > 0 && (
            <tr style={{ height: paddingBottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && empty}
      {loadingMore && (
        <Center py="sm">
          <Loader size="sm" />
        </Center>
      )}
    </div>
  );
}

function TenantRow({ tenant, arrived }: { tenant: TenantRow_TenantFragment; arrived: boolean }) {
  const to = tenantPath(tenant.slug);
  const { overview } = tenant;
  return (
    <Table.Tr
      style={{ height: ROW_HEIGHT, cursor: 'pointer' }}
      className={arrived ? 'cp-live-row' : undefined}
      data-slug={tenant.slug}
      data-state={tenant.state}
      onClick={(event) => {
        // The slug is a real link; a click anywhere else on the row opens the tenant too.
        if ((event.target as HTMLElement).closest('a') || !isPlainLeftClick(event)) return;
        navigate(hrefOf(to));
      }}
    >
      <Table.Td>
        <Anchor component={Link} to={to} fw={600} className="cp-mono" truncate="end" display="block">
          {tenant.slug}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text fz="sm" truncate="end">
          {tenant.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <TenantBadge state={tenant.state} status={overview.status} error={overview.statusError} />
      </Table.Td>
      <Table.Td ta="right">
        <Text
          fz="sm"
          c={overview.users == null ? 'dimmed' : undefined}
          style={{ fontVariantNumeric: 'tabular-nums' }}
        >
          {overview.users?.toLocaleString() ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text fz="sm" className="cp-mono" c={overview.backendVersion ? undefined : 'dimmed'} truncate="end">
          {overview.backendVersion ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text fz="sm" span>
          <TimeAgo iso={overview.lastSeenAt} fallback="never" />
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
