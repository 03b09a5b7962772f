import { useEffect, useState } from 'react';
import { wsClient } from '../graphql/live.ts';
import { applyChange, type FeedState } from './feed.ts';
import { followInfrastructure } from './follow.ts';

export type InfrastructureFeed = {
  state: FeedState | null;
  /** Why the feed stopped or a message could not be applied, in words; null while it runs. */
  error: string | null;
};

/**
 * The infrastructure as infrastructureChanged streams it: the snapshot, then each delta applied.
 * It subscribes on the app's socket directly rather than through the cache, as the state is built
 * from deltas and resumed from the last cursor after a reconnection (followInfrastructure).
 */
export function useInfrastructureFeed(): InfrastructureFeed {
  const [feed, setFeed] = useState<InfrastructureFeed>({ state: null, error: null });

  useEffect(
    () =>
      followInfrastructure(
        wsClient,
        (change) => {
          const at = new Date().toISOString();
          setFeed((current) => {
            try {
              return { state: applyChange(current.state, change, at), error: null };
            } catch (error) {
              return { ...current, error: error instanceof Error ? error.message : String(error) };
            }
          });
        },
        (message) => setFeed((current) => ({ ...current, error: message })),
      ),
    [],
  );

  return feed;
}
