import type { Executor } from '../../db/database.ts';
import { findLiveTenant } from './repository.ts';
import { slugIssue } from './slug-rules.ts';

export type SlugAvailabilityStatus = 'available' | 'taken' | 'reserved' | 'invalid';

/** Whether a new tenant could take `slug` now, and if not, why, in words an operator can act on. */
export type SlugAvailability = { slug: string; status: SlugAvailabilityStatus; reason: string | null };

/**
 * What `createTenant` would say about `slug` at this moment, without creating anything: its form
 * and the reserved names (the same rules the create checks, from slug-rules.ts), then whether a
 * tenant that is not deleted holds it. Only advice: another create may take the slug a moment
 * later, and then the create answers TENANT_EXISTS.
 */
export async function slugAvailability(db: Executor, slug: string): Promise<SlugAvailability> {
  const issue = slugIssue(slug);
  if (issue) return { slug, status: issue.kind, reason: issue.message };
  const holder = await findLiveTenant(db, slug);
  if (!holder) return { slug, status: 'available', reason: null };
  const reason =
    holder.state === 'deleting'
      ? `is held by "${holder.name}", which is being deleted; it is free again once the deletion ends`
      : `is taken by "${holder.name}" (${holder.state})`;
  return { slug, status: 'taken', reason };
}
