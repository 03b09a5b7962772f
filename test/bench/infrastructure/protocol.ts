/** IPC between infrastructure-feed.bench.ts and its subscriber process (subscribers.ts). */
export type ToSubscribers =
  | { kind: 'open'; url: string; authorization: string; count: number }
  | { kind: 'round'; names: string[]; ready: boolean }
  | { kind: 'collect'; changedAt: number[] }
  | { kind: 'close' };

export type FromSubscribers =
  | { kind: 'ready' }
  | { kind: 'armed' }
  | { kind: 'received' }
  | { kind: 'result'; latencies: number[]; messages: number[] }
  | { kind: 'failed'; message: string };
