/**
 * A fan-out line (a tenant's `tenant_licenses` or `tenant_smtp` row) recorded as holding
 * `generation` as of `at`: what a successful push, or a new tenant with nothing to be told, writes.
 */
export function syncedLine(generation: number, at: Date) {
  return {
    state: 'synced' as const,
    synced_generation: generation,
    synced_at: at,
    attempts: 0,
    last_error: null,
    updated_at: at,
  };
}
