import { Button, Menu, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { AuditFilterBar } from '../audit/AuditFilterBar.tsx';
import { AuditLogTable } from '../audit/AuditLogTable.tsx';
import type { ExportFormat } from '../audit/export.ts';
import { EXPORT_LIMIT, exportAuditLog } from '../audit/export-view.ts';
import { type AuditFilterForm, auditFilterFromQuery, auditFilterInput } from '../audit/filters.ts';
import { useCan } from '../auth/operator.ts';
import { IconChevronDown, IconDownload } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { bulkClient } from '../graphql/client.ts';
import { describeError } from '../graphql/errors.ts';
import { replaceQuery, useSearch } from '../router/navigation.ts';

/** The audit log: newest first, filtered by action, tenant, actor and time, live, exportable; an entry opens in a drawer. */
export function AuditPage() {
  // The URL is the one source of the filters and the open entry: back, forward and links agree with it.
  const search = useSearch();
  const filterKey = JSON.stringify(auditFilterFromQuery(search));
  const applied = useMemo<AuditFilterForm>(() => JSON.parse(filterKey), [filterKey]);
  const openEntry = new URLSearchParams(search).get('entry');
  const mayExport = useCan('audit.export');
  const [exporting, setExporting] = useState<{ count: number } | null>(null);
  const [exportOutcome, setExportOutcome] = useState<{ ok: boolean; message: string } | null>(null);

  function apply(next: AuditFilterForm) {
    setExportOutcome(null);
    replaceQuery({ ...next });
  }

  async function runExport(format: ExportFormat) {
    setExporting({ count: 0 });
    setExportOutcome(null);
    try {
      const { count, truncated } = await exportAuditLog(bulkClient, auditFilterInput(applied), format, (n) =>
        setExporting({ count: n }),
      );
      setExportOutcome({
        ok: true,
        message: truncated
          ? `Exported the newest ${count.toLocaleString()} entries (the limit is ${EXPORT_LIMIT.toLocaleString()}); narrow the filter for the rest.`
          : `Exported ${count.toLocaleString()} ${count === 1 ? 'entry' : 'entries'} as ${format.toUpperCase()}.`,
      });
    } catch (error) {
      const message =
        error && typeof error === 'object' && 'graphQLErrors' in error
          ? describeError(error as Parameters<typeof describeError>[0])
          : (error as Error).message;
      setExportOutcome({ ok: false, message });
    } finally {
      setExporting(null);
    }
  }

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through the control plane, by whom and when; newest first, with new entries appearing live. Secret values never appear here."
        actions={
          mayExport && (
            <Menu position="bottom-end" shadow="md">
              <Menu.Target>
                <Button
                  variant="default"
                  leftSection={<IconDownload size={16} />}
                  rightSection={<IconChevronDown size={14} />}
                  loading={exporting !== null}
                >
                  Export
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>The filtered view, every page</Menu.Label>
                <Menu.Item onClick={() => runExport('csv')}>CSV</Menu.Item>
                <Menu.Item onClick={() => runExport('ndjson')}>NDJSON</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )
        }
      />
      {/* Siblings need distinct keys: the same key on the bar and the log made React keep old bars. */}
      <AuditFilterBar key={`filters:${filterKey}`} initial={applied} onApply={apply} />
      {(exporting || exportOutcome) && (
        <Text
          fz="sm"
          mb="sm"
          c={exportOutcome && !exportOutcome.ok ? 'red' : 'dimmed'}
          role="status"
          data-testid="export-status"
        >
          {exporting
            ? `Exporting… ${exporting.count.toLocaleString()} entries so far.`
            : exportOutcome?.message}
        </Text>
      )}
      {/* A new filter is a new log: its pages and live entries start over. */}
      <AuditLogTable
        key={`log:${filterKey}`}
        form={applied}
        onFilter={(patch) => apply({ ...applied, ...patch })}
        openEntry={openEntry}
        onOpenEntry={(entry) => replaceQuery({ ...applied, entry })}
      />
    </>
  );
}
