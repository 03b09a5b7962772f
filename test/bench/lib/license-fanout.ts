import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import pg from 'pg';
import type { ClusterClient } from '../../../server/cluster/client.ts';
import { tenantSecretName } from '../../../server/cluster/labels.ts';
import { TENANT_SECRET_KEYS, tenantSecret } from '../../../server/cluster/resources.ts';
import type { ResolveTenant, TenantResolution } from '../../../server/dev/tenant-sim/resolver.ts';
import { mapConcurrent } from '../../../server/domain/concurrency.ts';
import { createCpTokenCache } from '../../../server/domain/tenants/cp-tokens.ts';
import { forEachLimit } from './tenant-provisioning.ts';

/**
 * Tenants for the license fan-out benchmark without a database each: every slug resolves (in the
 * tenant simulator) to one of `shards` schemas of ONE database, all with the same CP token. Each
 * shard is its own connection pool in the simulator (its URL differs by `search_path`), so tenant
 * writes are spread over `shards` × 2 connections and `shards` license rows, as many tenant
 * databases would spread them, without creating a thousand databases. Their commits do not wait
 * for the disk (`synchronous_commit=off`): a thousand tenants would fsync on a thousand disks at
 * once, not queue behind one another's on one row of one server. The fan-out and its floor go
 * through the same resolver, so the comparison stays fair.
 */
export type TenantShards = {
  cpToken: string;
  /** One connection string per shard (its schema first in `search_path`). */
  urls: string[];
  resolve: ResolveTenant;
  shardOf(slug: string): string;
};

/** FNV-1a: a stable, cheap spread of slugs over shards. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export async function createTenantShards(databaseUrl: string, shards: number): Promise<TenantShards> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let i = 0; i < shards; i++) await client.query(`create schema if not exists sim_${i}`);
  } finally {
    await client.end();
  }
  const urls = Array.from({ length: shards }, (_, i) => {
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=sim_${i} -c synchronous_commit=off`);
    return url.toString();
  });
  const cpToken = `cp_${randomBytes(24).toString('base64url')}`;
  const shardOf = (slug: string) => urls[hash(slug) % shards]!;
  const resolutions = new Map<string, TenantResolution>(urls.map((u) => [u, { databaseUrl: u, cpToken }]));
  return { cpToken, urls, shardOf, resolve: async (slug) => resolutions.get(shardOf(slug)) ?? null };
}

/** Marks the Secrets of one set of seeded tenants, so they can be listed together. */
const BENCH_SET_LABEL = 'justiam.io/bench-set';
const setLabel = (prefix: string) => prefix.replace(/[^A-Za-z0-9]+$/, '');

export type SeededTenants = {
  /** Slugs in `tenant_id` order: the order the fan-out claims them in (all equally due). */
  slugs: string[];
  ms: number;
};

/**
 * `count` active tenants named `<prefix><n>`, inserted straight into `tenants` (nothing is
 * provisioned), each with a Secret `tenant-<slug>` in the cluster (simulator) holding the usual
 * keys: the CP token the simulator expects, its shard's DATABASE_URL and random other values, so
 * reading one costs what reading a real tenant's Secret does.
 */
export async function seedFanoutTenants(
  client: pg.Client,
  cluster: ClusterClient,
  shards: TenantShards,
  prefix: string,
  count: number,
): Promise<SeededTenants> {
  const started = performance.now();
  const { rows } = await client.query<{ slug: string }>(
    `with made as (
       insert into tenants (slug, name, admin_email, state, created_by, status, backend_version, users)
       select $1 || i, 'License bench ' || i, null, 'active', 'bench seed', 'ok', '1.4.0', 10
         from generate_series(1, $2::int) as i
       returning id, slug)
     select slug from made order by id`,
    [prefix, count],
  );
  const slugs = rows.map((r) => r.slug);
  await forEachLimit(slugs, 16, async (slug) => {
    const values: Record<string, string> = {};
    for (const key of TENANT_SECRET_KEYS) values[key] = randomBytes(32).toString('base64url');
    values.DATABASE_URL = shards.shardOf(slug);
    values.CP_TOKEN = shards.cpToken;
    const secret = tenantSecret(cluster.namespace, slug, values);
    secret.metadata!.labels = { ...secret.metadata!.labels, [BENCH_SET_LABEL]: setLabel(prefix) };
    await cluster.ensure(secret);
  });
  await client.query('analyze tenants');
  return { slugs, ms: performance.now() - started };
}

/** Time and CPU of this process for one piece of work. */
export type Cost = { ms: number; cpuMs: number };

export async function measure<T>(work: () => Promise<T>): Promise<Cost & { value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/**
 * What a round reads when no token is cached: every tenant's CP token through a fresh token cache
 * (one GET of its Secret each), `concurrency` at a time.
 */
export async function readTokens(cluster: ClusterClient, slugs: readonly string[], concurrency: number) {
  const tokens = createCpTokenCache(cluster);
  return measure(() => forEachLimit(slugs, concurrency, (slug) => tokens.of(slug).then(() => {})));
}

/** The same Secrets in one LIST (by a label), decoded: what one bulk read per round would cost. */
export async function listTokens(cluster: ClusterClient, prefix: string, expected: number) {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const r = await measure(async () => {
    const list = await core.listNamespacedSecret({
      namespace: cluster.namespace,
      labelSelector: `${BENCH_SET_LABEL}=${setLabel(prefix)}`,
    });
    return list.items.map((s) => Buffer.from(s.data?.CP_TOKEN ?? '', 'base64').toString('utf8'));
  });
  if (r.value.length !== expected) throw new Error(`listed ${r.value.length} Secrets, expected ${expected}`);
  return r;
}

/** Deletes the seeded tenants' Secrets, as deleting a tenant does: the namespace holds live tenants' only. */
export async function removeFanoutSecrets(cluster: ClusterClient, slugs: readonly string[]): Promise<void> {
  await mapConcurrent(slugs, 32, (slug) => cluster.delete('Secret', 'v1', tenantSecretName(slug)));
}

/** Removes the rows of tenants named `<prefix>…` (their license rows go with them). */
export async function removeFanoutTenants(client: pg.Client, prefix: string): Promise<void> {
  await client.query(`delete from tenants where slug like $1`, [`${prefix}%`]);
}

export type BarePuts = {
  /** ms from the start until each successful PUT had its answer, in completion order. */
  okAt: number[];
  failed: number;
  /** ms from the start until every PUT had settled (answered, failed or timed out). */
  totalMs: number;
};

/**
 * The floor: `PUT /cp/v1/license {license, user_cap}` to every slug, `concurrency` at a time, in
 * the given order, one attempt each with `timeoutMs`, as the fan-out's client sends it (bearer
 * CP token, JSON body), with nothing around it: no claim, no token read, no bookkeeping.
 */
export async function barePuts(
  baseUrlTemplate: string,
  slugs: readonly string[],
  cpToken: string,
  license: string,
  userCap: number,
  concurrency: number,
  timeoutMs: number,
): Promise<BarePuts> {
  const okAt: number[] = [];
  let failed = 0;
  const started = performance.now();
  await forEachLimit(slugs, concurrency, async (slug) => {
    try {
      const res = await fetch(
        `${baseUrlTemplate.replace('{slug}', encodeURIComponent(slug))}/cp/v1/license`,
        {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${cpToken}`,
            accept: 'application/json',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ license, user_cap: userCap }),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      await res.text();
      if (res.ok) okAt.push(performance.now() - started);
      else failed += 1;
    } catch {
      failed += 1;
    }
  });
  return { okAt, failed, totalMs: performance.now() - started };
}

/**
 * A log destination that drops lines (the control plane logs at `info`, as in production, without
 * the cost of a terminal) but passes errors and worse through to stderr, so a broken run shows.
 */
export function quietLogSink(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString('utf8');
      if (/"level":(5|6)\d/.test(line)) process.stderr.write(line);
      done();
    },
  });
}

/**
 * The cluster simulator in a process of its own, as the Kubernetes API server is to a control
 * plane: what it spends serving Secrets is then not charged to the control plane's thread.
 * Returns the kubeconfig for `KUBE_MODE=kubeconfig`.
 */
export async function startKubeSimProcess(): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'license-bench-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/dev/kube-sim/cli.ts', '--port', '0', '--kubeconfig', kubeconfig],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes('kubeconfig:')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the cluster simulator exited (${code}) before it listened`)),
    );
  });
  return {
    kubeconfig,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
