import { useEffect, useState } from 'react';
import { stringifyDocument } from 'urql';
import type { InfrastructurePage_ChangedSubscription } from '../gql/graphql.ts';
import { wsClient } from '../graphql/live.ts';
import { InfrastructurePage_Changed } from './documents.ts';
import { applyChange, type FeedState } from './feed.ts';

export type InfrastructureFeed = {
  state: FeedState | null;
  /** Why the feed stopped, in words; null while it runs. */
  error: string | null;
};

function describeErrors(errors: unknown): string {
  if (Array.isArray(errors)) {
    const messages = errors.map((e) =>
      e && typeof e === 'object' && 'message' in e ? String(e.message) : '',
    );
    return messages.filter(Boolean).join('; ') || 'the live feed failed';
  }
  if (errors instanceof Error) return errors.message;
  return 'the live feed was interrupted';
}

/**
 * The infrastructure as infrastructureChanged streams it: the snapshot, then each delta applied.
 * Subscribes on the app's socket directly rather than through the cache: the state is built from
 * deltas, and when the socket drops, graphql-ws sends the same payload again on the new socket, so
 * keeping the last cursor in `variables.after` makes the server send only what changed meanwhile
 * (or a snapshot when the cursor is too old).
 */
export function useInfrastructureFeed(): InfrastructureFeed {
  const [feed, setFeed] = useState<InfrastructureFeed>({ state: null, error: null });

  useEffect(() => {
    const variables: { after: string | null } = { after: null };
    const payload = { query: stringifyDocument(InfrastructurePage_Changed), variables };
    const unsubscribe = wsClient.subscribe<InfrastructurePage_ChangedSubscription>(payload, {
      next(message) {
        if (message.errors?.length) {
          setFeed((current) => ({ ...current, error: describeErrors(message.errors) }));
          return;
        }
        const change = message.data?.infrastructureChanged;
        if (!change) return;
        variables.after = change.cursor;
        const at = new Date().toISOString();
        setFeed((current) => {
          try {
            return { state: applyChange(current.state, change, at), error: null };
          } catch (error) {
            return { ...current, error: describeErrors(error) };
          }
        });
      },
      error(error) {
        setFeed((current) => ({ ...current, error: describeErrors(error) }));
      },
      complete() {},
    });
    return unsubscribe;
  }, []);

  return feed;
}
