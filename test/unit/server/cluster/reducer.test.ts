import type { KubernetesObject } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRelist, applyWatchEvent, type Cache, isNewer } from '../../../../server/cluster/reducer.ts';

const pod = (uid: string, rv: number, name = uid): KubernetesObject => ({
  kind: 'Pod',
  metadata: { uid, name, resourceVersion: String(rv) },
});

describe('informer reducer', () => {
  it('adds, modifies and deletes by uid', () => {
    const cache: Cache<KubernetesObject> = new Map();
    expect(applyWatchEvent(cache, 'ADDED', pod('a', 1))?.type).toBe('ADDED');
    expect(applyWatchEvent(cache, 'MODIFIED', pod('a', 2))?.type).toBe('MODIFIED');
    expect(cache.get('a')?.metadata?.resourceVersion).toBe('2');
    expect(applyWatchEvent(cache, 'DELETED', pod('a', 3))?.type).toBe('DELETED');
    expect(cache.size).toBe(0);
  });

  it('skips events older than the cached resourceVersion, and deletes of unknown objects', () => {
    const cache: Cache<KubernetesObject> = new Map([['a', pod('a', 10)]]);
    expect(applyWatchEvent(cache, 'MODIFIED', pod('a', 9))).toBeNull();
    expect(applyWatchEvent(cache, 'MODIFIED', pod('a', 10))).toBeNull();
    expect(applyWatchEvent(cache, 'DELETED', pod('zz', 11))).toBeNull();
    expect(cache.get('a')?.metadata?.resourceVersion).toBe('10');
  });

  it('compares resourceVersions as integers, not strings', () => {
    expect(isNewer('10', '9')).toBe(true);
    expect(isNewer('9', '10')).toBe(false);
    expect(isNewer('100000000000000000001', '100000000000000000000')).toBe(true);
  });

  it('a relist reports what appeared, changed and disappeared since', () => {
    const cache: Cache<KubernetesObject> = new Map([
      ['a', pod('a', 1)],
      ['b', pod('b', 2)],
    ]);
    const changes = applyRelist(cache, [pod('a', 1), pod('b', 5), pod('c', 6)]);
    expect(changes.map((c) => [c.type, c.object.metadata?.uid])).toEqual([
      ['MODIFIED', 'b'],
      ['ADDED', 'c'],
    ]);
    const gone = applyRelist(cache, [pod('c', 6)]);
    expect(gone.map((c) => [c.type, c.object.metadata?.uid]).sort()).toEqual([
      ['DELETED', 'a'],
      ['DELETED', 'b'],
    ]);
  });

  it('replaying any event history in order converges to the same cache as one relist of the end state', () => {
    const event = fc.record({
      uid: fc.constantFrom('a', 'b', 'c', 'd'),
      del: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const truth = new Map<string, KubernetesObject>();
        const watched: Cache<KubernetesObject> = new Map();
        events.forEach((e, i) => {
          const obj = pod(e.uid, i + 1);
          if (e.del && truth.has(e.uid)) {
            truth.delete(e.uid);
            applyWatchEvent(watched, 'DELETED', obj);
          } else if (!e.del) {
            const type = truth.has(e.uid) ? 'MODIFIED' : 'ADDED';
            truth.set(e.uid, obj);
            applyWatchEvent(watched, type, obj);
            // Replays of an older event are ignored.
            applyWatchEvent(watched, 'MODIFIED', pod(e.uid, i));
          }
        });
        const listed: Cache<KubernetesObject> = new Map();
        applyRelist(listed, [...truth.values()]);
        expect([...watched.entries()].sort()).toEqual([...listed.entries()].sort());
      }),
    );
  });
});
