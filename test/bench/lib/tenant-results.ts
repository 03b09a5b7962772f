import type { FanoutResult } from './tenant-fanout.ts';
import type { ListTimings, Seeded } from './tenant-list.ts';
import type { Batch, StepDurations } from './tenant-provisioning.ts';
import type { ServerLoad } from './tenant-server-watch.ts';

/** The command line of `tenants.bench.ts`. */
export type Options = {
  tenants: number;
  listSize: number;
  clients: number;
  perSocket: number;
  concurrency: number;
  iterations: number;
  rounds: number;
  /** End the tenant simulator's idle connections to a tenant once it is active (see the report). */
  release: boolean;
  /** The parts to run (`--only`); all three unless asked otherwise. */
  parts: ReadonlySet<BenchPart>;
};

export const BENCH_PARTS = ['provisioning', 'list', 'fanout'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export type Observed = Batch & ServerLoad;

/** One mode (sequential, or n at a time): the floor's creates and drops, then the tenants'. */
export type ModeResults = {
  concurrency: number;
  floorCreate: Observed;
  floorDrop: Observed;
  create: Observed;
  delete: Observed;
  /** Per tenant, the control plane's own time: request recorded → finished, less the handoff. */
  createOwn: number[];
  createSteps: StepDurations;
  deleteSteps: StepDurations;
};

export type ProvisioningResults = {
  sequential: ModeResults;
  concurrent: ModeResults;
  maxConnections: number;
  /** Idle tenant-simulator connections ended after tenants became active; undefined when not asked to. */
  released: number | undefined;
};

export type ListResults = { seeded: Seeded; deepPage: number; timings: ListTimings[] };

export type FanoutResults = {
  single: FanoutResult;
  many: FanoutResult;
  /** The same subscribers on a bare graphql-ws server (graphql-js, graphql-ws, ws only). */
  floor: FanoutResult;
  /** The IPC hop from the subscriber process to the trigger, included in every latency. */
  ipcHopMs: number;
  slug: string;
};
