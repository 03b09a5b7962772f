export type Page<T> = { entries: readonly T[]; endCursor: string | null; hasNextPage: boolean };

export type FetchAllOptions = {
  /** Stop after this many entries; the result says whether it stopped early. */
  limit: number;
  onProgress?: (count: number) => void;
  signal?: AbortSignal;
};

/**
 * Follows a connection's cursors from the first page to the last (or `limit`), keeping each entry
 * once even if pages overlap. Used to export exactly the filtered view the API would list.
 */
export async function fetchAllPages<T extends { id: string }>(
  fetchPage: (after: string | null) => Promise<Page<T>>,
  { limit, onProgress, signal }: FetchAllOptions,
): Promise<{ entries: T[]; truncated: boolean }> {
  const seen = new Set<string>();
  const entries: T[] = [];
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const page: Page<T> = await fetchPage(after);
    for (const entry of page.entries) {
      if (seen.has(entry.id)) continue;
      if (entries.length >= limit) return { entries, truncated: true };
      seen.add(entry.id);
      entries.push(entry);
    }
    onProgress?.(entries.length);
    if (!page.hasNextPage || !page.endCursor || page.endCursor === after)
      return { entries, truncated: false };
    after = page.endCursor;
  }
}
