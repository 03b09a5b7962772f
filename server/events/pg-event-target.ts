import type { PubSubEventTarget } from '@graphql-yoga/subscription';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { PubSubArgs } from './topics.ts';

type ListenerArg = EventListenerOrEventListenerObject | null;

export const EVENTS_CHANNEL = 'justiam_cp_events';

/** The wire form of one event on the NOTIFY channel. */
export type WireEvent = { t: string; d: unknown };

export type PgEventTarget = PubSubEventTarget<PubSubArgs> & {
  /** Resolves once the LISTEN connection is up. */
  ready: Promise<void>;
  /**
   * The number of the LISTEN connection up now (each new one gets the next), or undefined while
   * there is none: events published in between were missed.
   */
  listening(): number | undefined;
  /** Local listeners of a topic (for tests and metrics). */
  listenerCount(topic: string): number;
  close(): Promise<void>;
};

/**
 * An event target shaped like yoga's Redis event target, over PostgreSQL LISTEN/NOTIFY.
 *
 * Each process holds one dedicated LISTEN connection and fans notifications out to its local
 * listeners, so the number of subscribers costs no database connections. Publishing goes through
 * NOTIFY even for local subscribers: every replica, this one included, sees the same events in the
 * same (commit) order, and an event sent inside a transaction is delivered only if it commits.
 * If the LISTEN connection drops it is re-opened with backoff; events sent while it was down are
 * missed, which subscribers tolerate because events only tell them what to re-fetch.
 */
export function createPgEventTarget(options: {
  pool: pg.Pool;
  connect: () => pg.Client;
  logger: Logger;
  channel?: string;
}): PgEventTarget {
  const { pool, logger } = options;
  const channel = options.channel ?? EVENTS_CHANNEL;
  const listeners = new Map<string, Set<ListenerArg>>();
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let connections = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const deliver = (raw: string | undefined) => {
    if (!raw) return;
    let wire: WireEvent;
    try {
      wire = JSON.parse(raw) as WireEvent;
    } catch {
      logger.warn({ channel }, 'ignored a malformed event notification');
      return;
    }
    const set = listeners.get(wire.t);
    if (!set) return;
    const event = new CustomEvent(wire.t, { detail: wire.d });
    for (const listener of [...set]) {
      try {
        if (typeof listener === 'function') listener(event);
        else listener?.handleEvent(event);
      } catch (error) {
        // One slow or broken subscriber must not stop delivery to the others.
        logger.warn({ err: error, topic: wire.t }, 'event listener failed');
      }
    }
  };

  const open = async (): Promise<void> => {
    while (!closed) {
      const next = options.connect();
      try {
        next.on('notification', (msg) => {
          if (msg.channel === channel) deliver(msg.payload);
        });
        next.on('error', (error) => {
          logger.warn({ err: error }, 'event bus connection failed; reconnecting');
          void next.end().catch(() => {});
          if (client === next) {
            client = undefined;
            void open();
          }
        });
        await next.connect();
        await next.query(`LISTEN ${channel}`);
        if (closed) {
          await next.end();
          return;
        }
        client = next;
        connections += 1;
        attempt = 0;
        markReady();
        return;
      } catch (error) {
        await next.end().catch(() => {});
        attempt += 1;
        const delay = Math.min(5000, 100 * 2 ** attempt);
        logger.warn({ err: error, retryInMs: delay }, 'event bus could not listen; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  void open();

  const target = {
    ready,
    listening: () => (client ? connections : undefined),
    listenerCount: (topic: string) => listeners.get(topic)?.size ?? 0,
    addEventListener(type: string, listener: ListenerArg) {
      let set = listeners.get(type);
      if (!set) {
        set = new Set();
        listeners.set(type, set);
      }
      set.add(listener);
    },
    removeEventListener(type: string, listener: ListenerArg) {
      const set = listeners.get(type);
      set?.delete(listener);
      if (set?.size === 0) listeners.delete(type);
    },
    dispatchEvent(event: Event) {
      const detail = (event as CustomEvent).detail;
      const payload = encodeEvent(event.type, detail);
      pool.query('select pg_notify($1, $2)', [channel, payload]).catch((error: unknown) => {
        logger.error({ err: error, topic: event.type }, 'event publish failed');
      });
      return true;
    },
    async close() {
      closed = true;
      markReady();
      const current = client;
      client = undefined;
      listeners.clear();
      await current?.end().catch(() => {});
    },
  };
  return target as unknown as PgEventTarget;
}

/** Serialises an event for NOTIFY, refusing payloads PostgreSQL would reject. */
export function encodeEvent(topic: string, detail: unknown): string {
  const payload = JSON.stringify({ t: topic, d: detail } satisfies WireEvent);
  if (Buffer.byteLength(payload) >= 8000) {
    throw new Error(`event ${topic} is ${Buffer.byteLength(payload)} bytes; events carry ids, not objects`);
  }
  return payload;
}
