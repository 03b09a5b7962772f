/** The placeholder a base URL template carries where the tenant's slug goes. */
export const SLUG_PLACEHOLDER = '{slug}';

/**
 * Checks a base URL template (e.g. `http://justiam-backend:8080/t/{slug}`) so a bad setting fails
 * at start-up rather than on the first tenant call.
 */
export function checkBaseUrlTemplate(template: string): void {
  if (!template.includes(SLUG_PLACEHOLDER))
    throw new TypeError(`tenant API base URL template must contain ${SLUG_PLACEHOLDER}: ${template}`);
  let probe: URL;
  try {
    probe = new URL(template.replaceAll(SLUG_PLACEHOLDER, 'slug'));
  } catch {
    throw new TypeError(`tenant API base URL template is not a URL: ${template}`);
  }
  if (probe.protocol !== 'http:' && probe.protocol !== 'https:')
    throw new TypeError(`tenant API base URL template must use http or https: ${template}`);
  if (probe.search || probe.hash)
    throw new TypeError(`tenant API base URL template must not have a query or fragment: ${template}`);
}

/**
 * The base URL of one tenant: the template with `{slug}` replaced by the URL-escaped slug and no
 * trailing slash. A slug can never climb out of its path segment: `/` is escaped, and the dot
 * segments `.` and `..` (which URL parsers would resolve) are refused.
 */
export function tenantBaseUrl(template: string, slug: string): string {
  if (slug === '' || slug === '.' || slug === '..') throw new TypeError(`"${slug}" is not a tenant slug`);
  return template.replaceAll(SLUG_PLACEHOLDER, encodeURIComponent(slug)).replace(/\/+$/, '');
}
