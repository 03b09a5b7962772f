import type { Client } from 'urql';
import { graphql } from '../gql/index.ts';
import {
  EXPORT_MIME,
  type ExportEntry,
  type ExportFormat,
  exportFileName,
  toCsv,
  toNdjson,
} from './export.ts';
import { fetchAllPages } from './fetch-all.ts';
import type { AuditFilterInput } from './filters.ts';

const AuditExport_Page = graphql(`
  query AuditExport_Page($first: Int!, $after: String, $filter: AuditFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          id
          at
          action
          actor {
            kind
            id
            label
          }
          target {
            kind
            id
          }
          details
          requestId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const EXPORT_PAGE = 500;
/** An export is for reading and archiving a view; beyond this, use the API with a narrower filter. */
export const EXPORT_LIMIT = 100_000;

/**
 * Reads every entry of the filtered view from the API (not from what the page has loaded) and
 * saves it as a file. Resolves with how many entries were written.
 */
export async function exportAuditLog(
  client: Client,
  filter: AuditFilterInput,
  format: ExportFormat,
  onProgress: (count: number) => void,
): Promise<{ count: number; truncated: boolean }> {
  const { entries, truncated } = await fetchAllPages<ExportEntry>(
    async (after) => {
      const result = await client
        .query(AuditExport_Page, { first: EXPORT_PAGE, after, filter }, { requestPolicy: 'network-only' })
        .toPromise();
      if (result.error) throw result.error;
      const connection = result.data?.auditLog;
      if (!connection) throw new Error('The API sent no audit entries.');
      return {
        entries: connection.edges.map((edge) => edge.node),
        endCursor: connection.pageInfo.endCursor ?? null,
        hasNextPage: connection.pageInfo.hasNextPage,
      };
    },
    { limit: EXPORT_LIMIT, onProgress },
  );
  const body = format === 'csv' ? toCsv(entries) : toNdjson(entries);
  const url = URL.createObjectURL(new Blob([body], { type: EXPORT_MIME[format] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = exportFileName(format, new Date());
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { count: entries.length, truncated };
}
