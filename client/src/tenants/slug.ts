/**
 * The tenant slug rules, as the API applies them (server/domain/tenants/slug.ts): a DNS label of
 * 3–40 lowercase letters, digits and hyphens, no two hyphens in a row, and not a reserved name.
 * Checking them here lets the form answer as the operator types; the API still decides, and when
 * the two disagree the API's words are what the form shows.
 */

export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

/** Names that route, database or cluster objects already use. */
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

/** What is wrong with `slug`, in the API's words, or null when the API would accept it. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN) return `must be at least ${SLUG_MIN} characters`;
  if (slug.length > SLUG_MAX) return `must be at most ${SLUG_MAX} characters`;
  if (!LABEL.test(slug)) {
    return 'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit';
  }
  if (slug.includes('--')) return 'must not contain two hyphens in a row';
  if (RESERVED_SLUGS.has(slug) || slug.startsWith('kube-')) return `"${slug}" is reserved`;
  return null;
}

/**
 * A slug suggested from a tenant's name ("Acme Corp." → "acme-corp"): accents dropped, anything
 * else turned into single hyphens, cut to the maximum length. It may still be reserved or too
 * short; the form checks it like a typed one.
 */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}
