/**
 * The agent pool naming rules, in one place for the API and the UI: a pool's name and each of its
 * labels is a DNS-1123 label (agents carry the name as a Kubernetes label value), at most 20
 * distinct labels. Plain TypeScript with no dependencies, so the browser bundle can take it as it is.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const MAX_POOL_LABELS = 20;

/** What is wrong with a pool name, or null when it is one. */
export function poolNameProblem(name: string): string | null {
  if (DNS_LABEL.test(name)) return null;
  return 'must be a DNS-1123 label: 1–63 lower-case letters, digits and "-", starting and ending with a letter or digit';
}

/** What is wrong with a pool's labels, or null when they are fine. */
export function poolLabelsProblem(labels: readonly string[]): string | null {
  const bad = labels.find((label) => !DNS_LABEL.test(label));
  if (bad !== undefined)
    return `"${bad.slice(0, 80)}": each label must be 1–63 lower-case letters, digits and "-"`;
  if (labels.length > MAX_POOL_LABELS) return `at most ${MAX_POOL_LABELS} labels`;
  if (new Set(labels).size !== labels.length) return 'labels must not repeat';
  return null;
}
