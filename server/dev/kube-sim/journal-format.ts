import { crc32 } from 'node:zlib';
import type { KubeObject } from './objects.ts';
import { resourceKey } from './resources.ts';
import type { StoreEvent, StoreSnapshot } from './store.ts';

/** One change as the journal keeps it: the whole new object, or for a delete only its key. */
export type JournalEvent =
  | { rv: number; type: 'ADDED' | 'MODIFIED'; resource: string; object: KubeObject }
  | { rv: number; type: 'DELETED'; resource: string; namespace?: string; name: string };

/** The journal form of a committed change, serialised once, when it is made. */
export function encodeEvent(event: StoreEvent): string {
  const resource = resourceKey(event.rt);
  const { rv, type, object } = event;
  const record: JournalEvent =
    type === 'DELETED'
      ? { rv, type, resource, namespace: object.metadata.namespace, name: object.metadata.name! }
      : { rv, type, resource, object };
  return JSON.stringify(record);
}

/**
 * One record: the events of one group commit as a JSON array on one line, preceded by the CRC-32
 * of that JSON in hex. A record is the unit that is written and fsynced, so a crash tears at most
 * the last one, and the checksum tells a torn or zero-filled record from a whole one.
 */
export function encodeRecord(encodedEvents: readonly string[]): Buffer {
  const json = Buffer.from(`[${encodedEvents.join(',')}]`);
  const head = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `);
  return Buffer.concat([head, json, Buffer.from('\n')]);
}

/** What a journal file holds. */
export interface JournalContents {
  events: JournalEvent[];
  /** Bytes of whole records from the start; anything after them is a torn last record. */
  validBytes: number;
  /** Bytes of the torn last record that were dropped (0 when the file ends cleanly). */
  droppedBytes: number;
}

/** Thrown when a record in the middle of a journal is damaged: not a torn write, lost data. */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
}

const NEWLINE = 0x0a;

function isEvent(value: unknown): value is JournalEvent {
  const e = value as JournalEvent;
  if (!e || typeof e !== 'object' || !Number.isSafeInteger(e.rv) || typeof e.resource !== 'string')
    return false;
  if (e.type === 'DELETED') return typeof e.name === 'string';
  return (
    (e.type === 'ADDED' || e.type === 'MODIFIED') &&
    typeof e.object?.metadata === 'object' &&
    typeof e.object.metadata.name === 'string'
  );
}

function decodeLine(line: Buffer): JournalEvent[] | undefined {
  const checksum = line.subarray(0, 8).toString('latin1');
  if (line.length < 10 || line[8] !== 0x20 || !/^[0-9a-f]{8}$/.test(checksum)) return undefined;
  const json = line.subarray(9);
  if (crc32(json) !== Number.parseInt(checksum, 16)) return undefined;
  try {
    const events: unknown = JSON.parse(json.toString('utf8'));
    return Array.isArray(events) && events.length > 0 && events.every(isEvent) ? events : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a journal. A bad last record (cut short, zero-filled, or failing its checksum) is a
 * write that a crash interrupted before it was acknowledged: it is dropped whole. A bad record
 * with a good one after it cannot come from a crash (each record is fsynced before the next is
 * written), so it is refused rather than skipped.
 * @throws JournalCorruptError
 */
export function decodeJournal(data: Buffer): JournalContents {
  const events: JournalEvent[] = [];
  let offset = 0;
  let firstBad: number | undefined;
  while (offset < data.length) {
    const end = data.indexOf(NEWLINE, offset);
    const line = data.subarray(offset, end === -1 ? data.length : end);
    const decoded = end === -1 ? undefined : decodeLine(line);
    if (!decoded) {
      firstBad ??= offset;
    } else if (firstBad !== undefined) {
      throw new JournalCorruptError(
        `the record at byte ${firstBad} is damaged but whole records follow it at byte ${offset}`,
      );
    } else {
      events.push(...decoded);
    }
    offset = end === -1 ? data.length : end + 1;
  }
  const validBytes = firstBad ?? data.length;
  return { events, validBytes, droppedBytes: data.length - validBytes };
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * Applies journal events to a snapshot, skipping those it already contains (a crash between
 * writing a snapshot and emptying the journal leaves both), and returns the resulting state.
 */
export function replayJournal(snapshot: StoreSnapshot, events: readonly JournalEvent[]): StoreSnapshot {
  const buckets = new Map<string, Map<string, KubeObject>>();
  for (const [resource, objects] of Object.entries(snapshot.objects)) {
    buckets.set(
      resource,
      new Map(objects.map((o) => [objectKey(o.metadata.namespace, o.metadata.name!), o])),
    );
  }
  let rv = snapshot.resourceVersion;
  for (const event of events) {
    if (event.rv <= rv) continue;
    rv = event.rv;
    const bucket = buckets.get(event.resource) ?? new Map<string, KubeObject>();
    buckets.set(event.resource, bucket);
    if (event.type === 'DELETED') bucket.delete(objectKey(event.namespace, event.name));
    else bucket.set(objectKey(event.object.metadata.namespace, event.object.metadata.name!), event.object);
  }
  const objects: Record<string, KubeObject[]> = {};
  for (const [resource, bucket] of buckets) objects[resource] = [...bucket.values()];
  return { version: 1, resourceVersion: rv, objects };
}
