/**
 * What the worker and pool forms check as they are typed, in the API's words: the same rules as
 * `server/domain/workers/` (pool names and labels, limits, the login worker's URL), so a value the
 * form lets through is one the API takes. The API still has the last word, and its message shows.
 */

export {
  MAX_POOL_LABELS,
  poolLabelsProblem,
  poolNameProblem,
} from '../../../server/domain/workers/pool-rules.ts';

/** Tasks, or login scripts, a tenant runs at once. */
export const CONCURRENCY_RANGE = { min: 1, max: 1000 } as const;
/** Agents the shared agent pool may be scaled to. */
export const REPLICAS_RANGE = { min: 0, max: 100 } as const;

export type WholeNumber = { value: number; problem: null } | { value: null; problem: string };

/**
 * The number in a number field (Mantine gives a number, or a string while it is empty or being
 * typed) if it is a whole number within `range`; else why not, as the API says it.
 */
export function parseWholeNumber(
  input: string | number,
  range: { readonly min: number; readonly max: number },
): WholeNumber {
  const text = String(input).trim();
  const n = text === '' ? Number.NaN : Number(text);
  if (!Number.isInteger(n)) return { value: null, problem: 'must be a whole number' };
  if (n < range.min || n > range.max)
    return { value: null, problem: `must be between ${range.min} and ${range.max}` };
  return { value: n, problem: null };
}

/** What is wrong with a shared login worker's URL, or null when the API would take it. */
export function loginUrlProblem(url: string): string | null {
  if (url.length > 2048) return 'must be at most 2048 characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not hold credentials';
  return null;
}

export type LoginWorkerModeName = 'INLINE' | 'SHARED' | 'DEDICATED';

/** The login worker form as typed. */
export type LoginWorkerDraft = {
  mode: LoginWorkerModeName;
  /** Shared mode only; empty means the shared login-worker service the deployment names. */
  url: string;
  maxConcurrent: string | number;
};

export type LoginWorkerField = 'url' | 'maxConcurrent';
export const LOGIN_WORKER_FIELDS: readonly LoginWorkerField[] = ['url', 'maxConcurrent'];

/** `setTenantLoginWorker`'s input. */
export type LoginWorkerInput = { mode: LoginWorkerModeName; url: string | null; maxConcurrent: number };

/** The form's starting point: the login worker as it is (its URL only when it is a shared one). */
export function loginWorkerDraft(current: {
  mode: LoginWorkerModeName;
  url?: string | null;
  maxConcurrent: number;
}): LoginWorkerDraft {
  return {
    mode: current.mode,
    url: current.mode === 'SHARED' ? (current.url ?? '') : '',
    maxConcurrent: current.maxConcurrent,
  };
}

/**
 * The input to send for a draft, or the problems of its fields. The URL goes only with shared
 * mode (the API refuses one otherwise), and an empty one leaves the choice to the deployment.
 */
export function loginWorkerInput(
  draft: LoginWorkerDraft,
):
  | { input: LoginWorkerInput; errors: null }
  | { input: null; errors: Partial<Record<LoginWorkerField, string>> } {
  const errors: Partial<Record<LoginWorkerField, string>> = {};
  const url = draft.mode === 'SHARED' ? draft.url.trim() : '';
  const urlProblem = url === '' ? null : loginUrlProblem(url);
  if (urlProblem) errors.url = urlProblem;
  const max = parseWholeNumber(draft.maxConcurrent, CONCURRENCY_RANGE);
  if (max.problem !== null) errors.maxConcurrent = max.problem;
  if (max.value === null || urlProblem) return { input: null, errors };
  return {
    input: { mode: draft.mode, url: url === '' ? null : url, maxConcurrent: max.value },
    errors: null,
  };
}

/** Whether two drafts ask for the same login worker (a URL typed for another mode does not count). */
export function sameLoginWorker(a: LoginWorkerDraft, b: LoginWorkerDraft): boolean {
  return (
    a.mode === b.mode &&
    String(a.maxConcurrent).trim() === String(b.maxConcurrent).trim() &&
    (a.mode !== 'SHARED' || a.url.trim() === b.url.trim())
  );
}

/** The pool select's value for "no pool": not a DNS label, so no pool can be called that. */
export const NO_POOL = '(none)';

/** Pools a list shows at once; the pool select offers the same ones. */
export const POOLS_SHOWN = 100;

/**
 * The pool select's options: none first, then the pools by name with their labels. The assigned
 * pool is offered even when it is not among those listed, so the select never shows a blank.
 */
export function poolOptions(
  pools: readonly { name: string; labels: readonly string[] }[],
  assigned: string | null,
): { value: string; label: string }[] {
  const options = pools.map((pool) => ({
    value: pool.name,
    label: pool.labels.length > 0 ? `${pool.name} (${pool.labels.join(', ')})` : pool.name,
  }));
  if (assigned && !pools.some((pool) => pool.name === assigned))
    options.push({ value: assigned, label: assigned });
  return [{ value: NO_POOL, label: 'None' }, ...options];
}

/** `setTenantPool`'s `pool` for the select's value. */
export function poolArgument(value: string): string | null {
  return value === NO_POOL ? null : value;
}

/**
 * Where a tenant in `mode` runs its tasks, for the line under the mode. `sharedPool` says whether
 * the shared agent pool exists, when known: agent mode without any pool is refused.
 */
export function taskModeHint(mode: 'INLINE' | 'AGENT', pool: string | null, sharedPool?: boolean): string {
  if (mode === 'INLINE') return 'Tasks run in the tenant’s backend process.';
  if (pool) return `Tasks run on the agents of pool ${pool}.`;
  if (sharedPool === false)
    return 'Agent mode needs a pool: assign one, or initialize the shared agent pool on the Pools page.';
  return 'Tasks run on the shared agent pool.';
}

/** Ready agents of all, for a pool's list line and its card: "2 of 3 ready", "none". */
export function agentsSummary(agents: readonly { ready: boolean }[]): {
  ready: number;
  total: number;
  text: string;
} {
  const ready = agents.filter((agent) => agent.ready).length;
  const total = agents.length;
  return { ready, total, text: total === 0 ? 'none' : `${ready} of ${total} ready` };
}
