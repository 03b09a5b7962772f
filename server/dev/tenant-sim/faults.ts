/** A way for a tenant to misbehave, for tests of the control plane's error handling. */
export type FaultSpec = {
  /** Answer with this HTTP status instead of serving the request. */
  status?: number;
  /** Wait this long first (then fail as configured, or serve normally). */
  delayMs?: number;
  /** Destroy the connection without answering: the client sees a network error. */
  down?: boolean;
  /** Affect this many requests, then heal. Default: until cleared. */
  times?: number;
  /** Only these endpoints, e.g. `['PUT /cp/v1/secrets']`. Default: all. */
  endpoints?: string[];
};

/** Per-tenant faults of a running simulator. */
export class Faults {
  readonly #bySlug = new Map<string, FaultSpec>();

  /** Makes `slug` misbehave as `spec` says, replacing any fault it had. */
  set(slug: string, spec: FaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined && !spec.down)
      throw new TypeError('a fault needs status, delayMs or down');
    if (
      spec.status !== undefined &&
      (!Number.isInteger(spec.status) || spec.status < 200 || spec.status > 599)
    )
      throw new TypeError(`fault status ${spec.status} is not an HTTP status`);
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1))
      throw new TypeError('fault times must be a whole number ≥ 1');
    this.#bySlug.set(slug, { ...spec, endpoints: spec.endpoints && [...spec.endpoints] });
  }

  /** Heals one tenant, or all of them. */
  clear(slug?: string): void {
    if (slug === undefined) this.#bySlug.clear();
    else this.#bySlug.delete(slug);
  }

  /** The fault in force for `slug`; `times` is what is left of it. */
  get(slug: string): Readonly<FaultSpec> | undefined {
    const spec = this.#bySlug.get(slug);
    return spec && { ...spec };
  }

  /** The fault that applies to this request, if any; counts it against `times`. */
  take(slug: string, endpoint: string): FaultSpec | undefined {
    const spec = this.#bySlug.get(slug);
    if (!spec || (spec.endpoints && !spec.endpoints.includes(endpoint))) return undefined;
    if (spec.times !== undefined) {
      spec.times--;
      if (spec.times === 0) this.#bySlug.delete(slug);
    }
    return spec;
  }
}
