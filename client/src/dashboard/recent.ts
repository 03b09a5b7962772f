const DAY_MS = 24 * 60 * 60 * 1000;

/** The start of the dashboard's window: 24 hours before `now`, as the API's DateTime string. */
export function dayBefore(now: Date): string {
  return new Date(now.getTime() - DAY_MS).toISOString();
}

/** "No audit entries", "1 audit entry", "37 audit entries", or "100+ audit entries" when there are more. */
export function countEntries(count: number, hasMore: boolean): string {
  if (count === 0) return 'No audit entries';
  const figure = hasMore ? `${count}+` : String(count);
  return `${figure} audit ${count === 1 && !hasMore ? 'entry' : 'entries'}`;
}
