type Actor = { kind: string; label: string };
type Target = { kind: string; id: string } | null | undefined;

/** "alice@example.com (operator)"; the kind tells an operator from a token or the system. */
export function formatActor(actor: Actor): string {
  return actor.label === actor.kind ? actor.label : `${actor.label} (${actor.kind})`;
}

/** "tenant acme", or an em dash when the action had no single target. */
export function formatTarget(target: Target): string {
  return target ? `${target.kind} ${target.id}` : '—';
}

/** Details on one line, as JSON; empty objects show as nothing rather than `{}`. */
export function compactJson(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '';
  return JSON.stringify(value);
}

/** A timestamp for a table cell: date and time with seconds, in the viewer's zone unless given one. */
export function formatTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(date);
}

/**
 * Puts a live entry on top of those already received. An entry seen twice (a reconnect can replay)
 * stays once; the list keeps at most `limit` entries so a busy log cannot grow the page without end.
 */
export function prependUnique<T extends { id: string }>(
  entries: readonly T[],
  entry: T,
  limit = 500,
): readonly T[] {
  if (entries.some((e) => e.id === entry.id)) return entries;
  return [entry, ...entries].slice(0, limit);
}

/** The entries whose ids are not in `seen`: a refetched page must not repeat a row shown live. */
export function withoutIds<T extends { id: string }>(entries: readonly T[], seen: ReadonlySet<string>): T[] {
  return entries.filter((e) => !seen.has(e.id));
}
