/** One parsed term of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

/** One parsed term of a field selector. */
export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** Thrown for selector syntax the API server would reject with 400. */
export class SelectorError extends Error {
  override name = 'SelectorError';
}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// Commas inside `in (a,b)` belong to the term, so split only at depth zero.
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}"`);
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw new SelectorError(`unable to parse requirement: invalid label value: "${value}"`);
  }
  return value;
}

function parseTerm(term: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const values = set[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0)
      .map(checkValue);
    return { key: checkKey(set[1]!), op: set[2] as 'in' | 'notin', values };
  }
  if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim()), op: 'notexists' };
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (eq) {
    const op = eq[2] === '!=' ? 'neq' : 'eq';
    return { key: checkKey(eq[1]!), op, value: checkValue(eq[3]!.trim()) };
  }
  if (/[\s()=!]/.test(term)) throw new SelectorError(`unable to parse requirement: "${term}"`);
  return { key: checkKey(term), op: 'exists' };
}

/**
 * Parses a Kubernetes label selector string (equality and set-based syntax).
 * @throws SelectorError on syntax the API server rejects.
 */
export function parseLabelSelector(selector: string | null | undefined): LabelRequirement[] {
  if (!selector) return [];
  return splitTerms(selector).map(parseTerm);
}

/** Whether a label map satisfies every requirement (an empty selector matches everything). */
export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'eq':
        return has && v === r.value;
      case 'neq':
        return !has || v !== r.value;
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}

/**
 * Parses a field selector (`a=b`, `a==b`, `a!=b`, comma-separated).
 * @param supported the field paths the resource allows; others are rejected like the API server does.
 */
export function parseFieldSelector(
  selector: string | null | undefined,
  supported: readonly string[],
): FieldRequirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${term}'; can't understand '${term}'`);
    const field = m[1]!;
    if (!supported.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]!.trim() };
  });
}

function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/** Whether an object's fields satisfy every field requirement. */
export function matchesFields(requirements: readonly FieldRequirement[], obj: unknown): boolean {
  return requirements.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === 'eq'));
}

/** A label selector in `metav1.LabelSelector` form, as Deployments and Jobs carry it. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Turns a structured selector into requirements (operators In, NotIn, Exists, DoesNotExist). */
export function requirementsOf(spec: LabelSelectorSpec | undefined): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(spec?.matchLabels ?? {}).map(([key, value]) => ({
    key,
    op: 'eq' as const,
    value,
  }));
  for (const e of spec?.matchExpressions ?? []) {
    if (e.operator === 'In') reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (e.operator === 'NotIn') reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (e.operator === 'Exists') reqs.push({ key: e.key, op: 'exists' });
    else if (e.operator === 'DoesNotExist') reqs.push({ key: e.key, op: 'notexists' });
  }
  return reqs;
}

/** Renders a structured selector as the string form `Scale.status.selector` carries. */
export function formatSelector(spec: LabelSelectorSpec | undefined): string {
  return requirementsOf(spec)
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.value}`;
        case 'neq':
          return `${r.key}!=${r.value}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}
