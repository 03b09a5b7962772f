import type { Client } from 'graphql-ws';
import { stringifyDocument } from 'urql';
import type { InfrastructurePage_ChangedSubscription } from '../gql/graphql.ts';
import { InfrastructurePage_Changed } from './documents.ts';
import type { Change } from './feed.ts';

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
 * Follows infrastructureChanged on a graphql-ws client: `onChange` gets the snapshot, then each
 * delta. When the socket drops, graphql-ws subscribes again on the new socket with the same payload
 * object; the last cursor is kept in its `variables.after`, so the server sends only what changed
 * meanwhile (or one snapshot when the cursor is too old). Returns the unsubscribe.
 */
export function followInfrastructure(
  client: Pick<Client, 'subscribe'>,
  onChange: (change: Change) => void,
  onError: (message: string) => void,
): () => void {
  const variables: { after: string | null } = { after: null };
  const payload = { query: stringifyDocument(InfrastructurePage_Changed), variables };
  return client.subscribe<InfrastructurePage_ChangedSubscription>(payload, {
    next(message) {
      if (message.errors?.length) {
        onError(describeErrors(message.errors));
        return;
      }
      const change = message.data?.infrastructureChanged;
      if (!change) return;
      variables.after = change.cursor;
      onChange(change);
    },
    error(error) {
      onError(describeErrors(error));
    },
    complete() {},
  });
}
