import { createClient as createWsClient } from 'graphql-ws';
import { useSyncExternalStore } from 'react';
import { redirectToLogin, WS_UNAUTHORIZED_CLOSE } from '../auth/login.ts';
import { graphqlWsUrl, retryDelayMs, willReconnect } from './transport.ts';

/**
 * The state of the subscription socket, for the header's indicator: `idle` before any page asked
 * for live data (the socket is lazy), `reconnecting` after it dropped and while it comes back,
 * `disconnected` once the client has given up (a fatal close: only a reload makes the page live).
 */
export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

const NORMAL_CLOSE = 1000;

let status: LiveStatus = 'idle';
const listeners = new Set<() => void>();
/** Told each time the socket is back after a drop: what pages show may have missed changes. */
const reconnectListeners = new Set<() => void>();

function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

// The UI stays open for days; it should ride out API restarts and deploys, never give up. (A socket
// that cannot connect closes with 1006, which graphql-ws retries; its fatal close codes still end it.)
export const wsClient = createWsClient({
  url: () => graphqlWsUrl(window.location),
  lazy: true,
  // Moving between pages unsubscribes and resubscribes at once: keep the socket for that moment.
  lazyCloseTimeout: 3000,
  retryAttempts: Number.POSITIVE_INFINITY,
  retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
  on: {
    connecting: (isRetry) => setStatus(isRetry ? 'reconnecting' : 'connecting'),
    connected: () => {
      const wasDown = status === 'reconnecting';
      setStatus('connected');
      if (wasDown) for (const listener of reconnectListeners) listener();
    },
    closed: (event) => {
      const code = (event as { code?: number }).code;
      if (code === WS_UNAUTHORIZED_CLOSE) redirectToLogin();
      // 1000 is the lazy socket closing itself once no page listens any more; anything else drops,
      // and after a fatal code the client does not try again.
      setStatus(code === NORMAL_CLOSE ? 'idle' : willReconnect(code) ? 'reconnecting' : 'disconnected');
    },
  },
});

/** The socket's state; re-renders when it changes. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => status,
  );
}

/** Calls `listener` each time the live connection comes back after a drop. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}
