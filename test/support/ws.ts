import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Topic } from '../../server/events/topics.ts';

/** A graphql-ws client for a test server, failing fast instead of retrying. */
export function wsClient(baseUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams ? { connectionParams } : {}),
  });
}

/**
 * Subscribes and collects results. `ready` resolves once the server has acknowledged the
 * subscription's connection and had a moment to register its listener.
 */
export function collect<T>(client: Client, query: string, variables?: Record<string, unknown>) {
  const results: T[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let failure: unknown;
  const stop = client.subscribe<T>(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (value) => {
        results.push(value.data as T);
        for (const w of waiters.filter((w) => results.length >= w.count)) w.resolve();
      },
      error: (error) => {
        failure = error;
      },
      complete: () => {},
    },
  );
  return {
    results,
    stop,
    get failure() {
      return failure;
    },
    /** Resolves once `count` results have arrived, or rejects after `timeoutMs`. */
    waitFor(count: number, timeoutMs = 5000): Promise<T[]> {
      if (results.length >= count) return Promise.resolve(results);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`waited ${timeoutMs} ms for ${count} results, got ${results.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(results);
          },
        });
      });
    },
  };
}

/**
 * Resolves once the server has `count` local listeners on `topic`: a subscription is registered,
 * so an event published now reaches it. Use instead of a fixed wait after subscribing.
 */
export async function subscribed(
  bus: { subscriberCount(topic: Topic): number },
  topic: Topic,
  count = 1,
  timeoutMs = 5000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (bus.subscriberCount(topic) < count) {
    if (Date.now() > until) {
      throw new Error(
        `waited ${timeoutMs} ms for ${count} subscribers of ${topic}, have ${bus.subscriberCount(topic)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves once nothing listens on `topic` any more: the subscriptions a test stopped are gone. */
export async function unsubscribed(
  bus: { subscriberCount(topic: Topic): number },
  topic: Topic,
  timeoutMs = 5000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (bus.subscriberCount(topic) > 0) {
    if (Date.now() > until) {
      throw new Error(
        `waited ${timeoutMs} ms for ${topic} to lose its ${bus.subscriberCount(topic)} subscribers`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
