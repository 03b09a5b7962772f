/**
 * The tenant slug rules, in one place for the API and the UI: a DNS-1123 label (it names
 * Kubernetes objects and a database) of 3–40 lowercase letters, digits and hyphens, no two hyphens
 * in a row, and not a reserved name. Plain TypeScript with no dependencies, so the browser bundle
 * can take it as it is.
 */

export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

/** Slugs no tenant may take: they name system things in URLs, databases or the cluster. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'administrator',
  'api',
  'auth',
  'cp',
  'control-plane',
  'default',
  'graphql',
  'internal',
  'justiam',
  'login',
  'metrics',
  'postgres',
  'public',
  'registry',
  'root',
  'shared',
  'static',
  'system',
  'template0',
  'template1',
  'tenant',
  'tenants',
  'ui',
  'www',
]);

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why the API refuses `slug`: its form (`invalid`), or a name kept for the system (`reserved`). */
export type SlugIssue = { kind: 'invalid' | 'reserved'; message: string };

/** What is wrong with `slug` and of which kind, or null when its form is one the API accepts. */
export function slugIssue(slug: string): SlugIssue | null {
  const invalid = (message: string): SlugIssue => ({ kind: 'invalid', message });
  if (slug.length < SLUG_MIN) return invalid(`must be at least ${SLUG_MIN} characters`);
  if (slug.length > SLUG_MAX) return invalid(`must be at most ${SLUG_MAX} characters`);
  if (!LABEL.test(slug)) {
    return invalid(
      'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    );
  }
  if (slug.includes('--')) return invalid('must not contain two hyphens in a row');
  if (RESERVED_SLUGS.has(slug) || slug.startsWith('kube-'))
    return { kind: 'reserved', message: `"${slug}" is reserved` };
  return null;
}

/** What is wrong with `slug`, in the API's words, or null when the API would accept it. */
export function slugProblem(slug: string): string | null {
  return slugIssue(slug)?.message ?? null;
}
