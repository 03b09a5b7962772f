/**
 * Every event the control plane publishes. Events carry ids and a change type, never whole objects
 * or secret values: subscribers re-fetch what they show, so an event stays small (PostgreSQL NOTIFY
 * payloads are capped at 8000 bytes) and can never leak what the reader may not see.
 */
export type Topics = {
  'audit.recorded': { id: string; action: string };
  'settings.changed': { section: 'alerts' | 'smtp' };
};

export type Topic = keyof Topics;

/** The argument shape yoga's `createPubSub` expects: one payload per topic. */
export type PubSubArgs = { [K in Topic]: [Topics[K]] };
