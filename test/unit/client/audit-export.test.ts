import { describe, expect, it } from 'vitest';
import {
  csvField,
  type ExportEntry,
  exportFileName,
  toCsv,
  toNdjson,
} from '../../../client/src/audit/export.ts';
import { fetchAllPages } from '../../../client/src/audit/fetch-all.ts';

const entry: ExportEntry = {
  id: '41',
  at: '2026-11-28T12:00:05.000Z',
  action: 'tenant.create.requested',
  actor: { kind: 'operator', id: 'alice', label: 'Alice, Ops' },
  target: { kind: 'tenant', id: 'acme' },
  details: { name: 'Acme "Corp"', operationId: 'op-1' },
  requestId: 'req-9',
};

describe('toCsv', () => {
  it('writes a header and one row per entry, quoting what needs it', () => {
    const csv = toCsv([
      entry,
      { ...entry, id: '40', actor: { kind: 'system', label: 'control plane' }, target: null },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,at,action,actor_kind,actor_id,actor_label,target_kind,target_id,request_id,details',
    );
    expect(lines[1]).toBe(
      '41,2026-11-28T12:00:05.000Z,tenant.create.requested,operator,alice,"Alice, Ops",tenant,acme,req-9,"{""name"":""Acme \\""Corp\\"""",""operationId"":""op-1""}"',
    );
    expect(lines[2]).toBe(
      '40,2026-11-28T12:00:05.000Z,tenant.create.requested,system,,control plane,,,req-9,"{""name"":""Acme \\""Corp\\"""",""operationId"":""op-1""}"',
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('keeps line breaks inside a quoted field', () => {
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('plain')).toBe('plain');
  });
});

describe('toNdjson', () => {
  it('writes one JSON object per line that parses back to the entry', () => {
    const text = toNdjson([entry, { ...entry, id: '40', target: null, requestId: null }]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual(entry);
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: '40', target: null, requestId: null });
  });
});

describe('exportFileName', () => {
  it('stamps the file with the export time in UTC', () => {
    expect(exportFileName('csv', new Date('2026-11-28T12:00:05.123Z'))).toBe('audit-20261128-120005.csv');
    expect(exportFileName('ndjson', new Date('2026-01-02T03:04:05Z'))).toBe('audit-20260102-030405.ndjson');
  });
});

describe('fetchAllPages', () => {
  const pages = new Map<
    string | null,
    { entries: { id: string }[]; endCursor: string | null; hasNextPage: boolean }
  >([
    [null, { entries: [{ id: '5' }, { id: '4' }], endCursor: 'c4', hasNextPage: true }],
    ['c4', { entries: [{ id: '4' }, { id: '3' }, { id: '2' }], endCursor: 'c2', hasNextPage: true }],
    ['c2', { entries: [{ id: '1' }], endCursor: 'c1', hasNextPage: false }],
  ]);
  const fetchPage = async (after: string | null) => pages.get(after)!;

  it('follows the cursors to the last page, keeping each entry once', async () => {
    const progress: number[] = [];
    const result = await fetchAllPages(fetchPage, { limit: 100, onProgress: (n) => progress.push(n) });
    expect(result.entries.map((e) => e.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(result.truncated).toBe(false);
    expect(progress).toEqual([2, 4, 5]);
  });

  it('stops at the limit and says so', async () => {
    const result = await fetchAllPages(fetchPage, { limit: 3 });
    expect(result.entries.map((e) => e.id)).toEqual(['5', '4', '3']);
    expect(result.truncated).toBe(true);
  });

  it('stops when asked to', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fetchAllPages(fetchPage, { limit: 10, signal: controller.signal })).rejects.toThrow();
  });
});
