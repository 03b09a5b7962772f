/**
 * Messages between the fan-out benchmark (which hosts the control plane) and the process that
 * holds its graphql-ws subscribers. The subscribers live in a process of their own so that the
 * server's memory figures count the server's side only.
 */
export type ToSubscribers =
  /** Opens `subscriptions` subscriptions to `tenantUpdated(slug)`, `perSocket` on each socket. */
  | { kind: 'open'; url: string; slug: string; subscriptions: number; perSocket: number }
  /**
   * One change: the subscriber process notes the time, asks for the trigger (`fire`), and answers
   * with each subscription's delay until it received the tenant with `status`.
   */
  | { kind: 'round'; round: number; status: string; timeoutMs: number }
  | { kind: 'ping'; id: number }
  | { kind: 'close' };

export type FromSubscribers =
  | { kind: 'opened'; sockets: number; subscriptions: number; ms: number }
  | { kind: 'fire'; round: number }
  | { kind: 'result'; round: number; latencies: number[]; missing: number; stale: number }
  | { kind: 'pong'; id: number }
  | { kind: 'closed' }
  | { kind: 'failed'; message: string };

export const TENANT_UPDATED_SUBSCRIPTION = /* GraphQL */ `
  subscription TenantsBench_Updated($slug: String!) {
    tenantUpdated(slug: $slug) { slug overview { status } }
  }
`;
