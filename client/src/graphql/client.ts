import { cacheExchange } from '@urql/exchange-graphcache';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { authExchange } from '../auth/exchange.ts';
import { cacheConfig } from './cache.ts';
import { onReconnect, wsClient } from './live.ts';
import { refetchOnReconnectExchange } from './refetch-exchange.ts';

const API = '/graphql';
const http = {
  url: API,
  // urql 6 sends short queries as GET; POST keeps one request shape and query text out of URLs and logs.
  preferGetMethod: false,
  fetchOptions: {
    credentials: 'same-origin',
    // Proves the request comes from our own pages (yoga's CSRF check for cookie sessions).
    headers: { 'x-graphql-yoga-csrf': '1' },
  },
} as const;

/**
 * The one GraphQL client of the app. Exchanges in order: re-reading what is on screen after the
 * live connection dropped, the normalized cache, auth (redirect to login when the session is
 * gone), queries and mutations over HTTP, subscriptions over graphql-ws.
 */
export const client = new Client({
  ...http,
  exchanges: [
    refetchOnReconnectExchange(onReconnect),
    cacheExchange(cacheConfig),
    authExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const payload = { ...request, query: request.query ?? '' };
        return {
          subscribe(sink) {
            const unsubscribe = wsClient.subscribe(payload, sink);
            return { unsubscribe };
          },
        };
      },
    }),
  ],
});

/**
 * For bulk reads such as exports: straight to the API, without the normalized cache, so tens of
 * thousands of rows are not kept in memory after the file is written.
 */
export const bulkClient = new Client({
  ...http,
  requestPolicy: 'network-only',
  exchanges: [authExchange, fetchExchange],
});

/**
 * For answers that carry secret values (reveals, a new API token): no cache at all, so the value
 * reaches only the component that asked and is gone with it.
 */
export const uncachedClient = new Client({
  ...http,
  requestPolicy: 'network-only',
  exchanges: [authExchange, fetchExchange],
});
