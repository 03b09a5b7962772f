export type ExportEntry = {
  id: string;
  at: string;
  action: string;
  actor: { kind: string; id?: string | null; label: string };
  target?: { kind: string; id: string } | null;
  details: unknown;
  requestId?: string | null;
};

export type ExportFormat = 'csv' | 'ndjson';

const CSV_COLUMNS = [
  'id',
  'at',
  'action',
  'actor_kind',
  'actor_id',
  'actor_label',
  'target_kind',
  'target_id',
  'request_id',
  'details',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A value a
 * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe, so an
 * exported log cannot carry a formula into whoever opens it.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(entry: ExportEntry): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: entry.id,
    at: entry.at,
    action: entry.action,
    actor_kind: entry.actor.kind,
    actor_id: entry.actor.id ?? '',
    actor_label: entry.actor.label,
    target_kind: entry.target?.kind ?? '',
    target_id: entry.target?.id ?? '',
    request_id: entry.requestId ?? '',
    details: JSON.stringify(entry.details ?? {}),
  };
  return CSV_COLUMNS.map((column) => csvField(cells[column])).join(',');
}

/** The entries as CSV with a header row, CRLF line ends as RFC 4180 has them. */
export function toCsv(entries: readonly ExportEntry[]): string {
  return [CSV_COLUMNS.join(','), ...entries.map(csvRow)].map((line) => `${line}\r\n`).join('');
}

/** The entries as newline-delimited JSON, one entry per line, as the API returned them. */
export function toNdjson(entries: readonly ExportEntry[]): string {
  return entries
    .map(
      (e) =>
        `${JSON.stringify({
          id: e.id,
          at: e.at,
          action: e.action,
          actor: { kind: e.actor.kind, id: e.actor.id ?? null, label: e.actor.label },
          target: e.target ? { kind: e.target.kind, id: e.target.id } : null,
          details: e.details ?? {},
          requestId: e.requestId ?? null,
        })}\n`,
    )
    .join('');
}

/** `audit-20261128-120005.csv`, from the export time in UTC. */
export function exportFileName(format: ExportFormat, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `audit-${stamp}.${format}`;
}

export const EXPORT_MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  ndjson: 'application/x-ndjson',
};
