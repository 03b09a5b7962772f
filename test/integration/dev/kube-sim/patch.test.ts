import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  PatchError,
} from '../../../../server/dev/kube-sim/patch.ts';

const podSpec = {
  containers: [
    { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
    { name: 'sidecar', image: 'side:1' },
  ],
  volumes: [{ name: 'v1', emptyDir: {} }],
};

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces arrays wholesale', () => {
    const out = applyMergePatch(
      { a: 1, b: { c: 2, d: 3 }, list: [1, 2] },
      { a: null, b: { c: 5 }, list: [9], e: 'x' },
    );
    expect(out).toEqual({ b: { c: 5, d: 3 }, list: [9], e: 'x' });
  });

  it('replaces the containers list, dropping containers not named in the patch', () => {
    const out = applyMergePatch(podSpec, { containers: [{ name: 'app', image: 'app:2' }] }) as typeof podSpec;
    expect(out.containers).toEqual([{ name: 'app', image: 'app:2' }]);
  });

  it('does not modify its input', () => {
    const target = { a: { b: 1 } };
    applyMergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name, keeping other containers and untouched fields', () => {
    const out = applyStrategicMergePatch(podSpec, {
      containers: [{ name: 'app', image: 'app:2' }],
    }) as typeof podSpec;
    expect(out.containers).toEqual([
      { name: 'app', image: 'app:2', env: [{ name: 'A', value: '1' }] },
      { name: 'sidecar', image: 'side:1' },
    ]);
  });

  it('merges nested env by name and appends unknown entries', () => {
    const out = applyStrategicMergePatch(podSpec, {
      containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }],
    }) as typeof podSpec;
    expect(out.containers[0]!.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
  });

  it('honours $patch: delete on a list element and $patch: replace on a list', () => {
    const deleted = applyStrategicMergePatch(podSpec, {
      containers: [{ name: 'sidecar', $patch: 'delete' }],
    }) as typeof podSpec;
    expect(deleted.containers.map((c) => c.name)).toEqual(['app']);
    const replaced = applyStrategicMergePatch(podSpec, {
      volumes: [{ name: 'v2', emptyDir: {} }, { $patch: 'replace' }],
    }) as typeof podSpec;
    expect(replaced.volumes).toEqual([{ name: 'v2', emptyDir: {} }]);
  });

  it('ignores kubectl $setElementOrder directives and applies $deleteFromPrimitiveList', () => {
    const out = applyStrategicMergePatch(
      { containers: [{ name: 'a', args: ['x', 'y'] }] },
      {
        '$setElementOrder/containers': [{ name: 'a' }],
        containers: [{ name: 'a', '$deleteFromPrimitiveList/args': ['x'] }],
      },
    );
    expect(out).toEqual({ containers: [{ name: 'a', args: ['y'] }] });
  });

  it('merges ports by containerPort in containers and by port in services', () => {
    const c = applyStrategicMergePatch(
      { ports: [{ containerPort: 80, name: 'http' }] },
      { ports: [{ containerPort: 443, name: 'https' }] },
    );
    expect(c).toEqual({
      ports: [
        { containerPort: 80, name: 'http' },
        { containerPort: 443, name: 'https' },
      ],
    });
    const s = applyStrategicMergePatch(
      { ports: [{ port: 80, targetPort: 8080 }] },
      { ports: [{ port: 80, targetPort: 9090 }] },
    );
    expect(s).toEqual({ ports: [{ port: 80, targetPort: 9090 }] });
  });

  it('replaces lists that have no merge key, like a merge patch', () => {
    expect(applyStrategicMergePatch({ args: ['a', 'b'] }, { args: ['c'] })).toEqual({ args: ['c'] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { labels: { a: '1', 'x/y': '2' } }, items: [1, 2, 3] };

  it('applies add, remove, replace, move, copy and test in order', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/items/0', value: 1 },
      { op: 'add', path: '/items/-', value: 4 },
      { op: 'add', path: '/items/0', value: 0 },
      { op: 'remove', path: '/metadata/labels/x~1y' },
      { op: 'replace', path: '/metadata/labels/a', value: 'z' },
      { op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/b' },
      { op: 'move', from: '/items/4', path: '/last' },
    ]);
    expect(out).toEqual({ metadata: { labels: { a: 'z', b: 'z' } }, items: [0, 1, 2, 3], last: 4 });
    expect(doc.items).toEqual([1, 2, 3]);
  });

  it('fails as a whole on a failed test or a missing path', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/items/0', value: 9 }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/metadata/nope', value: 1 }])).toThrow(
      PatchError,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/items/7', value: 1 }])).toThrow(PatchError);
  });

  it('marks a non-array body as malformed', () => {
    try {
      applyJsonPatch(doc, { op: 'add' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PatchError);
      expect((err as PatchError).malformed).toBe(true);
    }
  });
});
