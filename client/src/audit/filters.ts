import { ACTION_LABELS, describeAction } from './format.ts';

/**
 * The audit page's filters as the operator types them (and as the page URL keeps them), and the
 * API filter they stand for. Times are `datetime-local` values, read in the viewer's zone.
 */
export type AuditFilterForm = {
  action: string;
  tenant: string;
  actor: string;
  from: string;
  to: string;
};

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { action: '', tenant: '', actor: '', from: '', to: '' };

/** The API's `AuditFilter` input. */
export type AuditFilterInput = {
  action?: string;
  targetKind?: string;
  targetId?: string;
  actorId?: string;
  from?: string;
  to?: string;
};

/**
 * Known actions, offered as suggestions: a prefix for each group of actions, then every action the
 * API records. The field takes any action or prefix.
 */
export const KNOWN_ACTIONS: readonly string[] = (() => {
  const actions = Object.keys(ACTION_LABELS).sort();
  const prefixes = new Set<string>();
  for (const action of actions) {
    const parts = action.split('.');
    for (let n = 1; n < parts.length; n++) prefixes.add(`${parts.slice(0, n).join('.')}.*`);
  }
  // A prefix that stands for one action only suggests nothing the action itself does not.
  const useful = [...prefixes].filter(
    (prefix) => actions.filter((a) => a.startsWith(prefix.slice(0, -1))).length > 1,
  );
  return [...useful.sort(), ...actions];
})();

/** Whether an action suggestion fits what is typed: by its name or its label in words. */
export function actionSuggested(action: string, typed: string): boolean {
  const query = typed.trim().toLowerCase();
  if (query === '') return true;
  const label = action.endsWith('*') ? '' : describeAction(action).toLowerCase();
  return action.toLowerCase().includes(query) || label.includes(query);
}

function localToIso(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Problems with the filter as typed, by field; empty when it can be applied. */
export function auditFilterProblems(form: AuditFilterForm): Partial<Record<keyof AuditFilterForm, string>> {
  const problems: Partial<Record<keyof AuditFilterForm, string>> = {};
  const action = form.action.trim();
  if (action.includes('*') && !(action.endsWith('*') && action.indexOf('*') === action.length - 1)) {
    problems.action = 'use * only at the end, as a prefix (tenant.*)';
  }
  const from = localToIso(form.from);
  const to = localToIso(form.to);
  if (form.from !== '' && from === null) problems.from = 'is not a date and time';
  if (form.to !== '' && to === null) problems.to = 'is not a date and time';
  if (from && to && from > to) problems.to = 'must be after "from"';
  return problems;
}

/** The API filter for the form; empty fields are left out. Assumes `auditFilterProblems` found none. */
export function auditFilterInput(form: AuditFilterForm): AuditFilterInput {
  const input: AuditFilterInput = {};
  const action = form.action.trim();
  const tenant = form.tenant.trim();
  const actor = form.actor.trim();
  if (action) input.action = action;
  if (tenant) {
    input.targetKind = 'tenant';
    input.targetId = tenant;
  }
  if (actor) input.actorId = actor;
  const from = localToIso(form.from);
  const to = localToIso(form.to);
  if (from) input.from = from;
  if (to) input.to = to;
  return input;
}

type EntryLike = {
  at: string;
  action: string;
  actor: { id?: string | null };
  target?: { kind: string; id: string } | null;
};

/**
 * Whether a live entry belongs in the filtered view, as the API would decide: the subscription
 * filters by action only, so the rest is checked here.
 */
export function matchesAuditFilter(entry: EntryLike, input: AuditFilterInput): boolean {
  if (input.action) {
    const prefix = input.action.endsWith('*') ? input.action.slice(0, -1) : null;
    if (prefix !== null ? !entry.action.startsWith(prefix) : entry.action !== input.action) return false;
  }
  if (input.targetKind && entry.target?.kind !== input.targetKind) return false;
  if (input.targetId && entry.target?.id !== input.targetId) return false;
  if (input.actorId && entry.actor.id !== input.actorId) return false;
  const at = new Date(entry.at).getTime();
  if (input.from && at < new Date(input.from).getTime()) return false;
  if (input.to && at > new Date(input.to).getTime()) return false;
  return true;
}

/** The filter in a page URL (`/audit?action=tenant.*&tenant=acme`). */
export function auditFilterFromQuery(search: string): AuditFilterForm {
  const params = new URLSearchParams(search);
  return {
    action: params.get('action') ?? '',
    tenant: params.get('tenant') ?? '',
    actor: params.get('actor') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** Whether any filter is set. */
export function isFiltered(form: AuditFilterForm): boolean {
  return Object.values(form).some((value) => value.trim() !== '');
}
