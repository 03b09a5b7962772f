/** The shape of the run; every figure in the report depends on these. */
export const NAMESPACE = 'justiam-mt';
/** Writes per sequential series (one client, one write at a time). */
export const SEQUENTIAL_WRITES = 2000;
/** Clients writing at once in the concurrent series, each one write at a time. */
export const CLIENTS = 16;
/** Writes per concurrent series, spread over the clients. */
export const CONCURRENT_WRITES = 4000;
/** Writes made and thrown away before each series, so JIT and connection set-up are not in it. */
export const WARMUP_WRITES = 200;
/** Each mode runs this many times, alternating with the others; samples are pooled. */
export const REPETITIONS = 3;
/** The simulator's default compaction threshold (KubeSimOptions.journalCompactBytes). */
export const DEFAULT_COMPACT_BYTES = 4 * 1024 * 1024;
/** Keys each client's ConfigMap cycles through, so it stays the same size as the run goes on. */
export const REGISTRY_KEYS = 20;
