import { describe, expect, it } from 'vitest';
import { graphqlWsUrl, retryDelayMs, willReconnect } from '../../../client/src/graphql/transport.ts';

describe('graphqlWsUrl', () => {
  it('uses wss behind HTTPS and ws otherwise, on the page host and port', () => {
    expect(graphqlWsUrl({ protocol: 'https:', host: 'cp.example.com' })).toBe('wss://cp.example.com/graphql');
    expect(graphqlWsUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/graphql');
  });
});

describe('retryDelayMs', () => {
  it('doubles the wait after each failed attempt', () => {
    const upper = (retries: number) => retryDelayMs(retries, () => 0.999999);
    expect(upper(0)).toBe(500);
    expect(upper(1)).toBe(1000);
    expect(upper(3)).toBe(4000);
  });

  it('never waits more than 30 seconds, however long the API is away', () => {
    expect(retryDelayMs(20, () => 0.999999)).toBe(30_000);
    expect(retryDelayMs(10_000, () => 0.999999)).toBe(30_000);
  });

  it('spreads reconnects between half and all of the ceiling so browsers do not reconnect in step', () => {
    expect(retryDelayMs(3, () => 0)).toBe(2000);
    expect(retryDelayMs(3, () => 0.5)).toBe(3000);
  });
});

describe('willReconnect', () => {
  it('retries drops, restarts and normal closes', () => {
    for (const code of [undefined, 1000, 1001, 1005, 1006, 1012, 1013, 1014, 4403, 4408, 4499, 4504])
      expect(willReconnect(code), String(code)).toBe(true);
  });

  it('gives up after an internal error of the socket and the protocol’s fatal codes: the page must reload', () => {
    for (const code of [1002, 1003, 1008, 1011, 4004, 4005, 4400, 4401, 4406, 4409, 4429, 4500])
      expect(willReconnect(code), String(code)).toBe(false);
  });
});
