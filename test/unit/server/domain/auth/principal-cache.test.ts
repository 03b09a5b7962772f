import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../../server/domain/auth/principal.ts';
import { createPrincipalCache, isRevocation } from '../../../../../server/domain/auth/principal-cache.ts';

const T0 = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function principal(operatorId: string, tokenId: string): Principal {
  return {
    operator: {
      id: operatorId,
      email: `${operatorId}@test.local`,
      name: operatorId,
      subject: operatorId,
      role: 'admin',
    },
    role: 'admin',
    via: { kind: 'token', id: tokenId, name: 'ci', expiresAt: at(3_600_000) },
  };
}

/** A cache over a pretend database: `reads` counts the lookups that reached it. */
function setUp(options: { ttlMs?: number; max?: number } = {}) {
  let connection: number | undefined = 1;
  const rows = new Map<string, { principal: Principal; until: Date }>();
  const counter = { reads: 0 };
  const cache = createPrincipalCache({
    ttlMs: options.ttlMs ?? 5000,
    max: options.max ?? 100,
    listening: () => connection,
  });
  const lookup = (key: string, now = T0) =>
    cache.resolve(key, now, async () => {
      counter.reads += 1;
      return rows.get(key) ?? null;
    });
  return {
    cache,
    rows,
    counter,
    lookup,
    setConnection: (value: number | undefined) => {
      connection = value;
    },
  };
}

describe('principal cache', () => {
  it('reads a credential once per TTL, and again after it', async () => {
    const { rows, counter, lookup } = setUp({ ttlMs: 5000 });
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    expect(await lookup('a')).toMatchObject({ via: { id: 'tok1' } });
    expect(await lookup('a', at(4999))).toMatchObject({ via: { id: 'tok1' } });
    expect(counter.reads).toBe(1);
    expect(await lookup('a', at(5000))).toMatchObject({ via: { id: 'tok1' } });
    expect(counter.reads).toBe(2);
  });

  it('never trusts a credential past the moment it stops being good', async () => {
    const { rows, counter, lookup } = setUp({ ttlMs: 60_000 });
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(1000) });
    await lookup('a');
    rows.delete('a');
    expect(await lookup('a', at(999))).not.toBeNull();
    expect(await lookup('a', at(1000))).toBeNull();
    expect(counter.reads).toBe(2);
  });

  it('drops an entry when the clock is set back before it was made', async () => {
    const { rows, counter, lookup } = setUp();
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    await lookup('a', at(60_000));
    await lookup('a', at(60_001));
    expect(counter.reads).toBe(1);
    await lookup('a', at(0));
    expect(counter.reads).toBe(2);
  });

  it('does not cache what was not found', async () => {
    const { counter, lookup } = setUp();
    expect(await lookup('nobody')).toBeNull();
    expect(await lookup('nobody')).toBeNull();
    expect(counter.reads).toBe(2);
  });

  it('forgets a revoked token or session, and every credential of a changed operator', async () => {
    const { cache, rows, counter, lookup } = setUp();
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    rows.set('b', { principal: principal('op1', 'tok2'), until: at(3_600_000) });
    rows.set('c', { principal: principal('op2', 'tok3'), until: at(3_600_000) });
    for (const key of ['a', 'b', 'c']) await lookup(key);
    expect(cache.size).toBe(3);

    cache.revoke({ kind: 'token', id: 'tok1' });
    expect(cache.get('a', T0)).toBeUndefined();
    expect(cache.get('b', T0)).toBeDefined();
    cache.revoke({ kind: 'operator', id: 'op1' });
    expect(cache.get('b', T0)).toBeUndefined();
    expect(cache.get('c', T0)).toBeDefined();
    expect(counter.reads).toBe(3);
  });

  it("forgets everything on a revocation of all, and finds an operator's keys after a key was cached again", async () => {
    const { cache, rows, lookup } = setUp({ ttlMs: 5000 });
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    rows.set('b', { principal: principal('op2', 'tok2'), until: at(3_600_000) });
    await lookup('a');
    await lookup('b');
    // Read again after its TTL: cached again under the same key, still found by its operator.
    await lookup('a', at(6000));
    cache.revoke({ kind: 'operator', id: 'op1' });
    expect(cache.get('a', at(6000))).toBeUndefined();
    cache.revoke({ kind: 'all', id: '' });
    expect(cache.size).toBe(0);
  });

  it('tells a revocation from any other payload', () => {
    expect(isRevocation({ kind: 'token', id: 'x' })).toBe(true);
    expect(isRevocation({ kind: 'all', id: '' })).toBe(true);
    for (const bad of [
      null,
      undefined,
      'x',
      7,
      {},
      { kind: 'token' },
      { kind: 'token', id: 7 },
      { kind: 'team', id: 'x' },
    ])
      expect(isRevocation(bad)).toBe(false);
  });

  it('does not cache a read that a revocation overtook', async () => {
    const { cache, rows } = setUp();
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = cache.resolve('a', T0, async () => {
      await gate;
      return rows.get('a') ?? null;
    });
    // The token is revoked while its (older) row is on its way back.
    cache.revoke({ kind: 'token', id: 'tok1' });
    release();
    expect(await pending).not.toBeNull();
    expect(cache.get('a', T0)).toBeUndefined();
  });

  it('caches nothing while the event connection is down, and drops what an earlier one vouched for', async () => {
    const { cache, rows, counter, lookup, setConnection } = setUp();
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    setConnection(undefined);
    await lookup('a');
    await lookup('a');
    expect(counter.reads).toBe(2);
    expect(cache.size).toBe(0);

    setConnection(1);
    await lookup('a');
    expect(cache.get('a', T0)).toBeDefined();
    // Reconnected: events sent in between were missed, so the entry is no longer trusted.
    setConnection(2);
    expect(cache.get('a', T0)).toBeUndefined();
    await lookup('a');
    expect(counter.reads).toBe(4);
  });

  it('keeps at most `max` entries, dropping the oldest', async () => {
    const { cache, rows, lookup } = setUp({ max: 2 });
    for (const key of ['a', 'b', 'c']) {
      rows.set(key, { principal: principal(`op-${key}`, `tok-${key}`), until: at(3_600_000) });
      await lookup(key);
    }
    expect(cache.size).toBe(2);
    expect(cache.get('a', T0)).toBeUndefined();
    expect(cache.get('c', T0)).toBeDefined();
  });

  it('with a TTL of 0 reads every time', async () => {
    const { rows, counter, lookup } = setUp({ ttlMs: 0 });
    rows.set('a', { principal: principal('op1', 'tok1'), until: at(3_600_000) });
    await lookup('a');
    await lookup('a');
    expect(counter.reads).toBe(2);
  });
});
