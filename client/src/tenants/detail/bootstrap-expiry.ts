/** How far ahead a bootstrap token may expire, as the API allows. */
export const MAX_BOOTSTRAP_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

export type BootstrapExpiry =
  | { expiresAt: string | null; problem: null }
  | { expiresAt: null; problem: string };

/**
 * The `expiresAt` for a date picked in the form (`YYYY-MM-DD`, as a date input gives it): the end
 * of that day in the operator's zone. An empty field means no expiry. The API's rule, checked as
 * it is typed: in the future and at most 366 days away.
 */
export function bootstrapExpiry(date: string, now: number): BootstrapExpiry {
  const text = date.trim();
  if (text === '') return { expiresAt: null, problem: null };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return { expiresAt: null, problem: 'Must be a date' };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const end = new Date(year, month - 1, day, 23, 59, 59);
  if (end.getFullYear() !== year || end.getMonth() !== month - 1 || end.getDate() !== day)
    return { expiresAt: null, problem: 'Must be a date' };
  const ms = end.getTime() - now;
  if (ms <= 0) return { expiresAt: null, problem: 'Must be in the future' };
  if (ms > MAX_BOOTSTRAP_DAYS * DAY_MS)
    return { expiresAt: null, problem: `Must be at most ${MAX_BOOTSTRAP_DAYS} days away` };
  return { expiresAt: end.toISOString(), problem: null };
}
