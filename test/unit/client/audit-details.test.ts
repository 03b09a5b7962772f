import { describe, expect, it } from 'vitest';
import { detailFields, detailLabel, formatMs, summarizeDetails } from '../../../client/src/audit/details.ts';

const utc = { locale: 'en-GB', timeZone: 'UTC' };

describe('audit details in words', () => {
  it('labels fields in words', () => {
    expect(detailLabel('operationId')).toBe('Operation');
    expect(detailLabel('maxUsers')).toBe('Maximum users');
    expect(detailLabel('previousVersion')).toBe('Previous version');
    expect(detailLabel('changed')).toBe('Changed');
    expect(detailLabel('capacity_thresholds')).toBe('Capacity thresholds');
  });

  it('formats times, durations, sizes, booleans, lists and missing values', () => {
    const fields = detailFields(
      {
        secret: 'jwt',
        version: 3,
        graceUntil: '2026-11-28T12:00:05Z',
        expiresAt: null,
        background: false,
        durationMs: 4200,
        sizeBytes: 12_345_678,
        changed: ['alertEmail', 'dailyReports'],
        drift: [],
        operationId: '42',
      },
      utc,
    );
    expect(Object.fromEntries(fields.map((f) => [f.label, f.value]))).toEqual({
      Secret: { kind: 'text', text: 'jwt', mono: false },
      Version: { kind: 'text', text: '3', mono: false },
      'Previous value valid until': { kind: 'text', text: '28 Nov 2026, 12:00:05', mono: false },
      Expires: { kind: 'none' },
      Background: { kind: 'text', text: 'No', mono: false },
      Duration: { kind: 'text', text: '4.2 s', mono: false },
      Size: { kind: 'text', text: '12 MB', mono: false },
      Changed: { kind: 'list', items: ['alertEmail', 'dailyReports'] },
      Drift: { kind: 'none' },
      Operation: { kind: 'text', text: '42', mono: true },
    });
  });

  it('nests objects and lists of objects as fields of their own', () => {
    expect(detailFields({ limits: { maxUsers: 10, tags: ['a'] }, steps: [{ name: 'x' }] }, utc)).toEqual([
      {
        key: 'limits',
        label: 'Limits',
        value: {
          kind: 'fields',
          fields: [
            { key: 'maxUsers', label: 'Maximum users', value: { kind: 'text', text: '10', mono: false } },
            { key: 'tags', label: 'Tags', value: { kind: 'list', items: ['a'] } },
          ],
        },
      },
      {
        key: 'steps',
        label: 'Steps',
        value: {
          kind: 'fields',
          fields: [
            {
              key: '0',
              label: '#1',
              value: {
                kind: 'fields',
                fields: [{ key: 'name', label: 'Name', value: { kind: 'text', text: 'x', mono: false } }],
              },
            },
          ],
        },
      },
    ]);
  });

  it('has nothing to show for empty or missing details, and puts details on one line for a table cell', () => {
    expect(detailFields({})).toEqual([]);
    expect(detailFields(null)).toEqual([]);
    expect(summarizeDetails({ changed: ['alertEmail'], durationMs: 850 }, utc)).toBe(
      'Changed: alertEmail · Duration: 850 ms',
    );
    expect(summarizeDetails({})).toBe('');
  });

  it('writes durations in the unit that reads best', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(4200)).toBe('4.2 s');
    expect(formatMs(185_000)).toBe('3 min 5 s');
    expect(formatMs(7_500_000)).toBe('2 h 5 min');
  });
});
