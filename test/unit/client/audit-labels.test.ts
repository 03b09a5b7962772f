import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, describeAction } from '../../../client/src/audit/format.ts';

/** The actions the API records, read from their declaration (server/domain/audit/actions.ts). */
async function recordedActions(): Promise<string[]> {
  const source = await readFile(
    resolve(import.meta.dirname, '../../../server/domain/audit/actions.ts'),
    'utf8',
  );
  const body = source.slice(
    source.indexOf('export type AuditDetails = {'),
    source.indexOf('export type AuditAction'),
  );
  return [...body.matchAll(/^ {2}'([a-z_.]+)':/gm)].map((m) => m[1]!);
}

describe('audit action labels', () => {
  it('name every action the API records in words, never as its raw name', async () => {
    const actions = await recordedActions();
    expect(actions.length).toBeGreaterThan(40);
    expect(actions.filter((a) => !(a in ACTION_LABELS))).toEqual([]);
    for (const action of actions) expect(describeAction(action), action).not.toBe(action);
  });

  it('label no action the API does not record', async () => {
    const actions = new Set(await recordedActions());
    expect(Object.keys(ACTION_LABELS).filter((a) => !actions.has(a))).toEqual([]);
  });
});
