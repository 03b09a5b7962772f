/** Thrown when a patch cannot be applied; the server answers 422 (or 400 for malformed input). */
export class PatchError extends Error {
  override name = 'PatchError';
  constructor(
    message: string,
    readonly malformed = false,
  ) {
    super(message);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Applies an RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else
 * (including arrays) replaces.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value) as Json;
  }
  return result;
}

// The patchMergeKey of the list fields our kinds have; other lists are replaced wholesale.
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  containerStatuses: 'name',
};

// `ports` means containerPort in a container and port in a Service spec.
function mergeKeyFor(field: string, ...lists: Json[][]): string | undefined {
  if (field !== 'ports') return MERGE_KEYS[field];
  const items = lists.flat().filter(isObject);
  return items.some((i) => 'containerPort' in i) ? 'containerPort' : 'port';
}

function mergeList(field: string, target: Json, patch: Json[]): Json[] {
  const base = Array.isArray(target) ? target : [];
  const key = mergeKeyFor(field, base, patch);
  if (!key || !patch.every(isObject) || !base.every(isObject)) {
    return patch.filter((p) => !(isObject(p) && '$patch' in p)).map((p) => clone(p));
  }
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && '$patch' in p)).map((p) => clone(p));
  }
  const result = clone(base) as JsonObject[];
  for (const item of patch as JsonObject[]) {
    const idx = result.findIndex((r) => r[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) result.splice(idx, 1);
      continue;
    }
    if (idx >= 0) result[idx] = applyStrategicMergePatch(result[idx], item) as JsonObject;
    else result.push(applyStrategicMergePatch({}, item) as JsonObject);
  }
  return result;
}

/**
 * Applies a strategic merge patch as the API server does for the fields our kinds use: like a
 * merge patch, except lists with a merge key (containers and env by `name`, ports, volumes,
 * conditions …) merge element-wise, and the `$patch`, `$retainKeys`, `$deleteFromPrimitiveList`
 * and `$setElementOrder` directives that kubectl sends are honoured.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'delete') return undefined;
  const replace = patch.$patch === 'replace';
  const result: JsonObject = isObject(target) && !replace ? clone(target) : {};
  let retain: string[] | undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder/')) continue;
    if (key === '$retainKeys') {
      retain = Array.isArray(value) ? value.map(String) : [];
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(value) ? value : [];
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((v) => !drop.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, result[key] ?? null, value);
    } else if (isObject(value)) {
      const merged = applyStrategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged as Json;
    } else {
      result[key] = value;
    }
  }
  if (retain) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}"`, true);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`invalid array index "${token}"`);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) throw new PatchError(`array index ${i} out of bounds`);
  return i;
}

function parentOf(doc: Json, tokens: string[], path: string): Json {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false)] as Json;
    else if (isObject(cur) && t in cur) cur = cur[t] as Json;
    else throw new PatchError(`doc is missing path: "${path}"`);
  }
  return cur;
}

function getAt(doc: Json, path: string): Json {
  let cur = doc;
  for (const t of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false)] as Json;
    else if (isObject(cur) && t in cur) cur = cur[t] as Json;
    else throw new PatchError(`doc is missing path: "${path}"`);
  }
  return cur;
}

function removeAt(doc: Json, path: string): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchError('cannot remove the document root');
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) return parent.splice(arrayIndex(last, parent.length, false), 1)[0] as Json;
  if (isObject(parent) && last in parent) {
    const old = parent[last] as Json;
    delete parent[last];
    return old;
  }
  throw new PatchError(`unable to remove nonexistent key: ${last}: missing value`);
}

function addAt(doc: Json, path: string, value: Json, replace: boolean): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length, !replace);
    parent.splice(i, replace ? 1 : 0, value);
  } else if (isObject(parent)) {
    if (replace && !(last in parent))
      throw new PatchError(`replace operation does not apply: doc is missing key: ${path}`);
    parent[last] = value;
  } else {
    throw new PatchError(`doc is missing path: "${path}"`);
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Applies an RFC 6902 JSON patch (all six operations) to a copy of the document.
 * @throws PatchError when an operation does not apply; earlier operations are then discarded.
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations', true);
  let doc = clone(target) as Json;
  for (const raw of operations as JsonPatchOperation[]) {
    if (!isObject(raw as unknown) || typeof raw.path !== 'string') {
      throw new PatchError('each JSON patch operation needs "op" and "path"', true);
    }
    const value = clone(raw.value) as Json;
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, value, false);
        break;
      case 'replace':
        doc = addAt(doc, raw.path, value, true);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'move': {
        const moved = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, moved, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, clone(getAt(doc, raw.from ?? '')), false);
        break;
      case 'test':
        if (!deepEqual(getAt(doc, raw.path), value))
          throw new PatchError(`testing value ${raw.path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String((raw as { op: unknown }).op)}`, true);
    }
  }
  return doc;
}
