import { describe, expect, it } from 'vitest';
import {
  liveOperationsReducer,
  newestOperation,
  operationAboveTabs,
} from '../../../client/src/tenants/operations.ts';

const op = (id: string, createdAt: string, state = 'RUNNING') => ({
  id,
  createdAt,
  state,
  tenant: { id: 't1' },
});

describe('newestOperation', () => {
  const create = op('create', '2026-11-28T12:00:00Z', 'SUCCEEDED');
  const remove = op('delete', '2026-11-28T12:05:00Z');

  it('takes whichever exists', () => {
    expect(newestOperation(null, remove)).toBe(remove);
    expect(newestOperation(create, undefined)).toBe(create);
    expect(newestOperation(null, null)).toBeNull();
  });

  it("shows a tenant's next operation as soon as it arrives live", () => {
    expect(newestOperation(create, remove)).toBe(remove);
  });

  it('keeps the fetched operation when a late event is about an older one', () => {
    expect(newestOperation(remove, create)).toBe(remove);
  });

  it('prefers the live copy of the same operation', () => {
    const fresher = { ...remove, state: 'SUCCEEDED' };
    expect(newestOperation(remove, fresher)).toBe(fresher);
  });
});

describe('liveOperationsReducer', () => {
  it('keeps the newest operation of each tenant', () => {
    let map = liveOperationsReducer(undefined, op('create', '2026-11-28T12:00:00Z'));
    map = liveOperationsReducer(map, op('delete', '2026-11-28T12:05:00Z'));
    map = liveOperationsReducer(map, op('create', '2026-11-28T12:00:00Z', 'CANCELLED'));
    map = liveOperationsReducer(map, { ...op('other', '2026-11-28T12:01:00Z'), tenant: { id: 't2' } });
    expect([...map.entries()].map(([tenant, o]) => `${tenant}:${o.id}`)).toEqual(['t1:delete', 't2:other']);
  });
});

describe('operationAboveTabs', () => {
  const workers = { kind: 'WORKERS', state: 'RUNNING' };

  it('shows an operation under way, or any while the tenant is not active', () => {
    expect(operationAboveTabs({ kind: 'CREATE', state: 'RUNNING' }, 'PROVISIONING', 'overview')).toBe(true);
    expect(operationAboveTabs({ kind: 'DELETE', state: 'SUCCEEDED' }, 'DELETED', 'overview')).toBe(true);
    expect(operationAboveTabs(workers, 'ACTIVE', 'secrets')).toBe(true);
  });

  it('leaves a finished operation of an active tenant to the overview', () => {
    expect(operationAboveTabs({ kind: 'CREATE', state: 'SUCCEEDED' }, 'ACTIVE', 'overview')).toBe(false);
    expect(operationAboveTabs(null, 'ACTIVE', 'overview')).toBe(false);
  });

  it('leaves worker settings to the Workers tab, which shows them itself', () => {
    expect(operationAboveTabs(workers, 'ACTIVE', 'workers')).toBe(false);
    expect(operationAboveTabs({ kind: 'WORKERS', state: 'FAILED' }, 'ACTIVE', 'workers')).toBe(false);
    expect(operationAboveTabs({ kind: 'REPAIR', state: 'RUNNING' }, 'ACTIVE', 'workers')).toBe(true);
  });
});
