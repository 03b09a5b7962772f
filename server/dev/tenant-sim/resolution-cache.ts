import type { ResolveTenant, TenantResolution } from './resolver.ts';

type Entry = { at: number; settled: boolean; result: Promise<TenantResolution | null> };

/**
 * Remembers each slug's resolution for `ttlMs`, so a burst of requests costs one lookup while a
 * freshly created or rotated Secret is still seen within about a second. Concurrent lookups of a
 * slug share one call; failures are not remembered.
 */
export class ResolutionCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly resolve: ResolveTenant,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached resolution if fresh, else a new one. */
  get(slug: string): Promise<TenantResolution | null> {
    const entry = this.#entries.get(slug);
    if (entry && (!entry.settled || this.clock() - entry.at < this.ttlMs)) return entry.result;
    return this.#start(slug);
  }

  /** A resolution made after this call (or one already under way): used before refusing a token. */
  refresh(slug: string): Promise<TenantResolution | null> {
    const entry = this.#entries.get(slug);
    if (entry && !entry.settled) return entry.result;
    return this.#start(slug);
  }

  /** Forgets expired entries so thousands of slugs seen once do not pile up. */
  prune(): void {
    const now = this.clock();
    for (const [slug, entry] of this.#entries)
      if (entry.settled && now - entry.at >= this.ttlMs) this.#entries.delete(slug);
  }

  get size(): number {
    return this.#entries.size;
  }

  #start(slug: string): Promise<TenantResolution | null> {
    const entry: Entry = { at: this.clock(), settled: false, result: Promise.resolve(null) };
    entry.result = this.resolve(slug).then(
      (value) => {
        entry.settled = true;
        entry.at = this.clock();
        return value;
      },
      (error: unknown) => {
        if (this.#entries.get(slug) === entry) this.#entries.delete(slug);
        throw error;
      },
    );
    this.#entries.set(slug, entry);
    return entry.result;
  }
}
