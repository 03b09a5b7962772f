import { type FormEvent, useId, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  compactJson,
  formatActor,
  formatTarget,
  formatTime,
  prependUnique,
  withoutIds,
} from '../audit/format.ts';
import type { AuditPage_EntryFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';

graphql(`
  fragment AuditPage_Entry on AuditEntry {
    id
    at
    action
    actor {
      kind
      id
      label
    }
    target {
      kind
      id
    }
    details
    requestId
  }
`);

const AuditPage_List = graphql(`
  query AuditPage_List($first: Int!, $after: String, $filter: AuditFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          ...AuditPage_Entry
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AuditPage_Events = graphql(`
  subscription AuditPage_Events($action: String) {
    auditEvents(action: $action) {
      ...AuditPage_Entry
    }
  }
`);

const PAGE_SIZE = 50;
const COLUMNS = 5;

/** The audit log: newest first, filterable by action, with new entries arriving live on top. */
export function AuditPage() {
  const inputId = useId();
  const hintId = useId();
  const [draft, setDraft] = useState('');
  const [action, setAction] = useState('');

  function applyFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAction(draft.trim());
  }

  return (
    <>
      <h1>Audit</h1>
      <search>
        <form className="toolbar" onSubmit={applyFilter}>
          <label htmlFor={inputId}>Action</label>
          <input
            id={inputId}
            type="search"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder="tenant.*"
            aria-describedby={hintId}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit">Filter</button>
          <span id={hintId} className="hint">
            An exact action, or a prefix ending in * (tenant.*). Leave empty for all.
          </span>
        </form>
      </search>
      {/* A new filter is a new log: its pages and live entries start over. */}
      <AuditLog key={action} action={action} />
    </>
  );
}

function AuditLog({ action }: { action: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [live] = useSubscription(
    { query: AuditPage_Events, variables: { action: action || null } },
    (previous: readonly AuditPage_EntryFragment[] = [], data) => prependUnique(previous, data.auditEvents),
  );
  const liveEntries = live.data ?? [];
  const liveIds = useMemo(() => new Set(liveEntries.map((e) => e.id)), [liveEntries]);

  return (
    <>
      <p className="hint" role="status">
        {live.error
          ? `Live updates paused: ${describeError(live.error)}`
          : liveEntries.length > 0
            ? `${liveEntries.length} new since you opened this page.`
            : 'New entries appear here as they are recorded.'}
      </p>
      <div className="table-wrap">
        <table className="audit-table">
          <caption className="visually-hidden">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody className="live-rows">
            {liveEntries.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </tbody>
          {cursors.map((after, index) => (
            <AuditRows
              key={after ?? 'first'}
              action={action}
              after={after}
              hideIds={liveIds}
              isLast={index === cursors.length - 1}
              onLoadMore={(cursor) => setCursors((current) => [...current, cursor])}
            />
          ))}
        </table>
      </div>
    </>
  );
}

type AuditRowsProps = {
  action: string;
  after: string | null;
  hideIds: ReadonlySet<string>;
  isLast: boolean;
  onLoadMore: (cursor: string) => void;
};

/** One page of the log; the last page also offers the next one. */
function AuditRows({ action, after, hideIds, isLast, onLoadMore }: AuditRowsProps) {
  const [result] = useQuery({
    query: AuditPage_List,
    variables: { first: PAGE_SIZE, after, filter: action ? { action } : null },
    // The first page must be current each time the page opens; older pages do not change.
    requestPolicy: after === null ? 'cache-and-network' : 'cache-first',
  });
  const connection = result.data?.auditLog;
  const entries = connection
    ? withoutIds(
        connection.edges.map((edge) => edge.node),
        hideIds,
      )
    : [];

  let footer: string | null = null;
  if (result.error) footer = describeError(result.error);
  else if (result.fetching && !connection) footer = 'Loading…';
  else if (connection && after === null && connection.edges.length === 0) {
    footer = action ? `No entries match ${action}.` : 'Nothing has been recorded yet.';
  }
  const endCursor = connection?.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;

  return (
    <>
      <tbody>
        {entries.map((entry) => (
          <AuditRow key={entry.id} entry={entry} />
        ))}
      </tbody>
      {isLast && (footer || endCursor) && (
        <tfoot>
          <tr>
            <td colSpan={COLUMNS}>
              {footer && <p role={result.error ? 'alert' : 'status'}>{footer}</p>}
              {endCursor && (
                <button type="button" onClick={() => onLoadMore(endCursor)}>
                  Load more
                </button>
              )}
            </td>
          </tr>
        </tfoot>
      )}
    </>
  );
}

function AuditRow({ entry }: { entry: AuditPage_EntryFragment }) {
  const details = compactJson(entry.details);
  return (
    <tr>
      <td>
        <time dateTime={entry.at}>{formatTime(entry.at)}</time>
      </td>
      <td>{formatActor(entry.actor)}</td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>{formatTarget(entry.target)}</td>
      <td className="details">
        {details && <code title={entry.requestId ? `request ${entry.requestId}` : undefined}>{details}</code>}
      </td>
    </tr>
  );
}
