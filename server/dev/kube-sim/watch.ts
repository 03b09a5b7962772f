import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resources.ts';
import { type FieldRequirement, type LabelRequirement, matchesFields, matchesLabels } from './selectors.ts';
import { badRequest, expired } from './status.ts';
import type { ObjectStore, StoreEvent } from './store.ts';
import { toTable } from './table.ts';

/** What a `?watch=true` request asked for. */
export interface WatchRequest {
  rt: ResourceType;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  bookmarkIntervalMs: number;
  /** Set when the client asked for Table rows (`kubectl get -w`) instead of objects. */
  table?: { includeObject: string | null };
}

type WireEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown };

// A filtered watch sees an object that starts matching as ADDED and one that stops as DELETED,
// which is what the API server's watch cache does.
function toWire(event: StoreEvent, matches: (o: KubeObject) => boolean): WireEvent | undefined {
  const now = matches(event.object);
  const was = event.previous ? matches(event.previous) : false;
  switch (event.type) {
    case 'ADDED':
      return now ? { type: 'ADDED', object: event.object } : undefined;
    case 'DELETED':
      return was ? { type: 'DELETED', object: event.object } : undefined;
    case 'MODIFIED':
      if (now && was) return { type: 'MODIFIED', object: event.object };
      if (now) return { type: 'ADDED', object: event.object };
      if (was) return { type: 'DELETED', object: event.object };
      return undefined;
  }
}

function parseStartVersion(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  if (!/^[0-9]+$/.test(raw)) throw badRequest(`invalid resource version: ${raw}`);
  return Number(raw);
}

/**
 * Streams a watch as the API server does: chunked newline-delimited JSON events, starting with
 * synthetic ADDED events when no resourceVersion is given, replaying history after a given one,
 * or a single ERROR (410 Expired) event when that version is older than the kept history.
 * @throws StatusError 400 before anything is written, for an unparseable resourceVersion.
 */
export function serveWatch(
  store: ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  w: WatchRequest,
): void {
  const start = parseStartVersion(w.resourceVersion);
  const matches = (o: KubeObject) =>
    (w.namespace === undefined || o.metadata.namespace === w.namespace) &&
    matchesLabels(w.labels, o.metadata.labels) &&
    matchesFields(w.fields, o);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // Clients wait for the response headers before reading events; an idle watch must still get them.
  res.flushHeaders();
  let columnsSent = false;
  const send = (e: WireEvent) => {
    if (res.writableEnded) return;
    let wire = e;
    if (w.table && e.type !== 'BOOKMARK' && e.type !== 'ERROR') {
      const obj = e.object as KubeObject;
      const table = toTable(
        w.rt,
        [obj],
        obj.metadata.resourceVersion ?? '',
        w.table.includeObject,
        !columnsSent,
      );
      columnsSent = true;
      wire = { type: e.type, object: table };
    }
    res.write(`${JSON.stringify(wire)}\n`);
  };
  const bookmark = (initialEnd = false) =>
    send({
      type: 'BOOKMARK',
      object: {
        kind: w.rt.kind,
        apiVersion: w.rt.apiVersion,
        metadata: {
          resourceVersion: String(store.resourceVersion),
          ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
        },
      },
    });

  let backlog: StoreEvent[] = [];
  if (start === undefined || w.sendInitialEvents) {
    for (const object of store.list(w.rt, w.namespace)) {
      if (matches(object)) send({ type: 'ADDED', object });
    }
    if (w.sendInitialEvents && w.allowBookmarks) bookmark(true);
  } else {
    const since = store.eventsSince(w.rt, start);
    if (!Array.isArray(since)) {
      send({ type: 'ERROR', object: expired(start, since.expired).status });
      res.end();
      return;
    }
    backlog = since;
  }
  for (const event of backlog) {
    const wire = toWire(event, matches);
    if (wire) send(wire);
  }

  // Subscribing in the same tick as the snapshot above means no event can fall between them.
  const unsubscribe = store.subscribe((event) => {
    if (event.rt !== w.rt) return;
    const wire = toWire(event, matches);
    if (wire) send(wire);
  });
  const timers: NodeJS.Timeout[] = [];
  if (w.allowBookmarks) timers.push(setInterval(() => bookmark(), w.bookmarkIntervalMs));
  const finish = () => {
    cleanup();
    if (!res.writableEnded) res.end();
  };
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
    timers.push(setTimeout(finish, w.timeoutSeconds * 1000));
  }
  const untrack = store.trackWatch(finish);
  const cleanup = () => {
    unsubscribe();
    untrack();
    for (const t of timers) clearTimeout(t);
  };
  req.on('close', cleanup);
  res.on('close', cleanup);
}
