import type { Actor } from './actor.ts';

/**
 * Who asks, and in which request. Every domain operation takes its services first, this second,
 * then its input: `operation(services, call, input)`. The GraphQL context is a Call, so resolvers
 * pass `ctx` as it is; jobs pass `{ actor: SYSTEM_ACTOR }`.
 */
export type Call = { actor: Actor; requestId?: string | undefined };
