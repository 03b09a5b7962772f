/** The shape of the run; every figure in the report depends on these. */
export const POD_COUNT = 10_000;
export const TENANTS = 1000;
export const NAMESPACE = 'justiam-mt';
/** The path the pods informer of server/cluster/workloads.ts lists and watches. */
export const POD_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;
/** Fresh informers (and baseline lists) timed, after one warm-up pair. */
export const SYNC_RUNS = 10;
/** Pod changes per latency series; enough that p99 rests on 30 samples, not one or two. */
export const CHANGES = 3000;
/** Changes made and thrown away before each latency series, so JIT and connection set-up are not in it. */
export const WARMUP_CHANGES = 50;
/** The label each change sets, so that every change is a real update with its own resourceVersion. */
export const CHANGE_LABEL = 'bench.justiam.io/change';
