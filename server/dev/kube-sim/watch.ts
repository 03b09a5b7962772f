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
  const bookmark = (rv: number, initialEnd = false) =>
    send({
      type: 'BOOKMARK',
      object: {
        kind: w.rt.kind,
        apiVersion: w.rt.apiVersion,
        metadata: {
          resourceVersion: String(rv),
          ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
        },
      },
    });
  const forward = (event: StoreEvent) => {
    const wire = toWire(event, matches);
    if (wire) send(wire);
  };

  // History and the durable feed hold only changes that are on disk. The initial list is read
  // from memory, so it is sent once everything up to its resourceVersion is on disk too.
  let listed: { objects: KubeObject[]; rv: number } | undefined;
  let backlog: StoreEvent[] = [];
  if (start === undefined || w.sendInitialEvents) {
    listed = { objects: store.list(w.rt, w.namespace).filter(matches), rv: store.resourceVersion };
  } else {
    const since = store.eventsSince(w.rt, start);
    if (!Array.isArray(since)) {
      send({ type: 'ERROR', object: expired(start, since.expired).status });
      res.end();
      return;
    }
    backlog = since;
  }

  // Subscribing in the same tick as the reads above means no event can fall between them;
  // events released before the initial list is sent wait behind it.
  let live = false;
  const waiting: StoreEvent[] = [];
  const unsubscribe = store.subscribeDurable((event) => {
    if (event.rt !== w.rt || (listed && event.rv <= listed.rv)) return;
    if (live) forward(event);
    else waiting.push(event);
  });
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  const cleanup = () => {
    closed = true;
    unsubscribe();
    untrack();
    for (const t of timers) clearTimeout(t);
  };
  const finish = () => {
    cleanup();
    if (!res.writableEnded) res.end();
  };
  const untrack = store.trackWatch(finish);
  req.on('close', cleanup);
  res.on('close', cleanup);
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
    timers.push(setTimeout(finish, w.timeoutSeconds * 1000));
  }

  const begin = () => {
    if (closed) return;
    if (listed) {
      for (const object of listed.objects) send({ type: 'ADDED', object });
      if (w.sendInitialEvents && w.allowBookmarks) bookmark(listed.rv, true);
    }
    for (const event of backlog) forward(event);
    for (const event of waiting.splice(0)) forward(event);
    live = true;
    // Every change released so far has been sent: a bookmark may now claim the released version.
    if (w.allowBookmarks) {
      timers.push(setInterval(() => bookmark(store.durableResourceVersion), w.bookmarkIntervalMs));
    }
  };
  if (!listed || store.durableResourceVersion >= listed.rv) begin();
  else store.whenDurable(listed.rv).then(begin, finish);
}
