import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { graphqlWsUrl, retryDelayMs } from './transport.ts';

// The UI stays open for days; it should ride out API restarts and deploys, never give up. (A socket
// that cannot connect closes with 1006, which graphql-ws retries; its fatal close codes still end it.)
const wsClient = createWsClient({
  url: () => graphqlWsUrl(window.location),
  lazy: true,
  retryAttempts: Number.POSITIVE_INFINITY,
  retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
});

/** The one GraphQL client of the app: queries and mutations over HTTP, subscriptions over graphql-ws. */
export const client = new Client({
  url: '/graphql',
  // urql 6 sends short queries as GET; POST keeps one request shape and query text out of URLs and logs.
  preferGetMethod: false,
  fetchOptions: { credentials: 'same-origin' },
  exchanges: [
    cacheExchange,
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
