import { type Exchange, makeOperation, mapExchange, type Operation } from 'urql';

/**
 * Re-reads every query on screen from the API, bypassing the cache, each time `subscribe`'s
 * listener fires: the live connection came back after a drop, and the events sent meanwhile are
 * lost. One place instead of each page: a tenant deleted while the socket was down leaves the
 * list and the dashboard counts, one created meanwhile appears. First in the exchange chain, so the
 * answers go through the normalized cache and every view of them updates.
 */
export function refetchOnReconnectExchange(subscribe: (listener: () => void) => unknown): Exchange {
  return (input) => {
    const active = new Map<number, Operation>();
    subscribe(() => {
      for (const operation of active.values())
        input.client.reexecuteOperation(
          makeOperation(operation.kind, operation, { ...operation.context, requestPolicy: 'network-only' }),
        );
    });
    return mapExchange({
      onOperation(operation) {
        if (operation.kind === 'query') active.set(operation.key, operation);
        else if (operation.kind === 'teardown') active.delete(operation.key);
      },
    })(input);
  };
}
