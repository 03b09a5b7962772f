import { createPubSub, type PubSub } from 'graphql-yoga';
import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { Executor } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { createPgEventTarget, EVENTS_CHANNEL, encodeEvent } from './pg-event-target.ts';
import type { PubSubArgs, Topic, Topics } from './topics.ts';

export type EventBus = {
  /** Publishes now (outside any transaction). */
  publish<T extends Topic>(topic: T, payload: Topics[T]): void;
  /**
   * Publishes as part of `trx`: delivered to every replica when, and only if, the transaction
   * commits. Domain operations use this so nobody hears of a change that was rolled back.
   */
  publishIn<T extends Topic>(trx: Executor, topic: T, payload: Topics[T]): Promise<void>;
  /**
   * The SQL expression that publishes an event (`pg_notify(…)`), to select in a statement of one's
   * own: sent when, and only if, that statement's transaction commits, once per row selected.
   */
  notification<T extends Topic>(topic: T, payload: Topics[T]): RawBuilder<unknown>;
  /**
   * The same, for a payload the statement itself makes (a generated id, say): `payload` is a SQL
   * `json` expression of the topic's payload shape.
   */
  notificationOf<T extends Topic>(topic: T, payload: RawBuilder<unknown>): RawBuilder<unknown>;
  /** Many events of one topic as part of `trx`, in one statement (a batch's worth of changes). */
  publishManyIn<T extends Topic>(trx: Executor, topic: T, payloads: Topics[T][]): Promise<void>;
  subscribe<T extends Topic>(topic: T): AsyncIterableIterator<Topics[T]>;
  /** How many local subscribers a topic has right now. */
  subscriberCount(topic: Topic): number;
  ready: Promise<void>;
  /** Which LISTEN connection delivers events now; undefined while none does (see PgEventTarget). */
  listening(): number | undefined;
  close(): Promise<void>;
};

/** Creates the event bus: typed topics on yoga's pub/sub, delivered across processes by LISTEN/NOTIFY. */
export function createEventBus(options: {
  pool: pg.Pool;
  connect: () => pg.Client;
  logger: Logger;
}): EventBus {
  const target = createPgEventTarget(options);
  const pubsub: PubSub<PubSubArgs> = createPubSub<PubSubArgs>({ eventTarget: target });
  const notification = (topic: Topic, payload: unknown) =>
    sql`pg_notify(${EVENTS_CHANNEL}, ${encodeEvent(topic, payload)})`;
  return {
    publish(topic, payload) {
      (pubsub.publish as (t: Topic, p: unknown) => void)(topic, payload);
    },
    async publishIn(trx, topic, payload) {
      await sql`select ${notification(topic, payload)}`.execute(trx);
    },
    notification,
    notificationOf: (topic, payload) =>
      // The wire shape of encodeEvent ({ t, d }), built by the server.
      sql`pg_notify(${EVENTS_CHANNEL}, json_build_object('t', ${topic}::text, 'd', ${payload})::text)`,
    async publishManyIn(trx, topic, payloads) {
      if (payloads.length === 0) return;
      const encoded = payloads.map((payload) => encodeEvent(topic, payload));
      await sql`select pg_notify(${EVENTS_CHANNEL}, payload) from unnest(${encoded}::text[]) as payload`.execute(
        trx,
      );
    },
    subscribe(topic) {
      return (pubsub.subscribe as (t: Topic) => AsyncIterableIterator<never>)(topic);
    },
    subscriberCount: (topic) => target.listenerCount(topic),
    ready: target.ready,
    listening: () => target.listening(),
    close: () => target.close(),
  };
}
