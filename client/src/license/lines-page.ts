/** Tenant lines per page of the allocation table. */
export const LINES_PER_PAGE = 100;

/**
 * The page of tenant lines on screen, as the variables of every license operation on the page:
 * the query, `licenseChanged` and each mutation select this same page, so all of them write the
 * same cached list and the table stays current whichever answered last.
 */
export type LinesPage = { first: number; after: string | null };

/**
 * Where the table is in the list: the cursor each page starts after, the first page's being null.
 * Keyset cursors only lead forwards, so going back pops the one the current page started after.
 */
export type PageTrail = readonly (string | null)[];

export const FIRST_PAGE: PageTrail = [null];

/** The variables of the page the trail ends on. */
export function pageOf(trail: PageTrail): LinesPage {
  return { first: LINES_PER_PAGE, after: trail.at(-1) ?? null };
}

/** The trail after "Next page": the next page starts after the current one's last line. */
export function nextPage(trail: PageTrail, endCursor: string | null | undefined): PageTrail {
  return endCursor ? [...trail, endCursor] : trail;
}

/** The trail after "Previous page"; the first page stays where it is. */
export function previousPage(trail: PageTrail): PageTrail {
  return trail.length > 1 ? trail.slice(0, -1) : trail;
}
