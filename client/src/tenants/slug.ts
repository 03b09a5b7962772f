import { SLUG_MAX } from '../../../server/domain/tenants/slug-rules.ts';

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
