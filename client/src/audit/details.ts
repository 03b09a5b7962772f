import { formatTime } from '../components/time.ts';
import { formatBytes } from '../tenants/detail/secret-status.ts';

/**
 * An entry's details for people: each field with a label in words and its value formatted (times
 * in the viewer's zone, durations, sizes, lists), nested objects as nested fields. Details hold no
 * secret values to begin with (they are typed per action on the server); nothing here hides any.
 */
export type DetailValue =
  | { kind: 'text'; text: string; mono?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'fields'; fields: DetailField[] }
  | { kind: 'none' };

export type DetailField = { key: string; label: string; value: DetailValue };

export type FormatOptions = { locale?: string; timeZone?: string };

/** Fields whose name alone would read poorly. */
const LABELS: Readonly<Record<string, string>> = {
  operationId: 'Operation',
  cancelledOperationId: 'Cancelled operation',
  backupId: 'Backup',
  upgradeId: 'Upgrade',
  rollbackId: 'Rollback',
  durationMs: 'Duration',
  sizeBytes: 'Size',
  sha256: 'SHA-256',
  lid: 'License id',
  previousLid: 'Previous license',
  maxUsers: 'Maximum users',
  userCap: 'User cap',
  keyId: 'Key id',
  previousKeyId: 'Previous key id',
  previousExpiresAt: 'Previous key expires',
  expiresAt: 'Expires',
  graceUntil: 'Previous value valid until',
  purgeBackups: 'Backups removed with it',
  fromVersion: 'From version',
  previousVersion: 'Previous version',
  to: 'To',
};

/** Values that are ids or hashes: shown in a monospace font. */
const MONO = /(Id|Lid)$|^(lid|sha256|prefix)$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** "operationId" → "Operation", "maxUsers" → "Maximum users", "capacity_thresholds" → "Capacity thresholds". */
export function detailLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "850 ms", "4.2 s", "3 min 5 s", "2 h 5 min". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function scalar(key: string, value: unknown, options: FormatOptions): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (/Ms$/.test(key)) return formatMs(value);
    if (/Bytes$/.test(key)) return formatBytes(value);
    return value.toLocaleString(options.locale);
  }
  if (typeof value === 'string') {
    if (value === '') return '(empty)';
    return ISO_INSTANT.test(value) ? formatTime(value, options.locale, options.timeZone) : value;
  }
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function detailValue(key: string, value: unknown, options: FormatOptions): DetailValue {
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'none' };
    if (value.every((item) => !isPlainObject(item) && !Array.isArray(item)))
      return { kind: 'list', items: value.map((item) => scalar(key, item, options)) };
    return {
      kind: 'fields',
      fields: value.map((item, i) => ({
        key: String(i),
        label: `#${i + 1}`,
        value: detailValue(key, item, options),
      })),
    };
  }
  if (isPlainObject(value)) {
    const fields = detailFields(value, options);
    return fields.length === 0 ? { kind: 'none' } : { kind: 'fields', fields };
  }
  if (value === null || value === undefined) return { kind: 'none' };
  return { kind: 'text', text: scalar(key, value, options), mono: MONO.test(key) };
}

/** The fields of an entry's details, in the order the server wrote them. */
export function detailFields(details: unknown, options: FormatOptions = {}): DetailField[] {
  if (!isPlainObject(details)) return [];
  return Object.entries(details).map(([key, value]) => ({
    key,
    label: detailLabel(key),
    value: detailValue(key, value, options),
  }));
}

/** The details on one line for a table cell: "Changed: alertEmail, dailyReports · Duration: 4.2 s". */
export function summarizeDetails(details: unknown, options: FormatOptions = {}): string {
  const line = (fields: DetailField[]): string =>
    fields.map((field) => `${field.label}: ${inline(field.value)}`).join(' · ');
  const inline = (value: DetailValue): string => {
    switch (value.kind) {
      case 'text':
        return value.text;
      case 'list':
        return value.items.join(', ');
      case 'fields':
        return `{ ${line(value.fields)} }`;
      case 'none':
        return '—';
    }
  };
  return line(detailFields(details, options));
}
