/**
 * What the largest document the limits allow costs everyone else: the latency of a cheap query
 * alone, and while that document runs again and again beside it, in one run on one server.
 *
 *   node --import tsx test/bench/graphql-limits.bench.ts [--tenants 2000] [--iterations 300]
 *
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway control plane
 * database, dropped at the end.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import pg from 'pg';
import { COMPLEXITY_LIMITS } from '../../schema/complexity.ts';
import { schema } from '../../schema/index.ts';
import { DOCUMENT_LIMITS } from '../../server/http/graphql.ts';
import { startBenchControlPlane } from './lib/control-plane.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import { formatCount, formatMs, formatRatio, summarize } from './lib/stats.ts';
import { seedTenantRows } from './lib/tenant-list.ts';

const WARMUP = 20;
const CHEAP = '{ __typename }';

const { values } = parseArgs({
  options: { tenants: { type: 'string', default: '2000' }, iterations: { type: 'string', default: '300' } },
  strict: true,
});
const tenants = Number(values.tenants);
const iterations = Number(values.iterations);

// The largest pages of tenants, as many aliases of them as the complexity limit allows.
const page = 'tenants(first: 500) { edges { node { slug name state overview { status users } } } }';
const documentOf = (aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: ${page}`).join(' ')} }`;
let aliases = DOCUMENT_LIMITS.aliases;
while (complexityFromQuery(documentOf(aliases), { schema }).complexity > COMPLEXITY_LIMITS.complexity)
  aliases--;
const LARGEST = documentOf(aliases);

const serverUrl = benchServerUrl();
const database = await createBenchDatabase(serverUrl, 'bench_limits');
const { cp, authorization } = await startBenchControlPlane(database.url);
const client = new pg.Client({ connectionString: database.url });
try {
  await client.connect();
  await seedTenantRows(client, tenants, '42');
  const run = async (query: string) => {
    const res = await fetch(`${cp.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${res.status}: ${text.slice(0, 300)}`);
    return text.length;
  };
  const largestBytes = await run(LARGEST);

  const cheapTimes = async () => {
    const ms: number[] = [];
    for (let i = 0; i < WARMUP + iterations; i++) {
      const t0 = performance.now();
      await run(CHEAP);
      if (i >= WARMUP) ms.push(performance.now() - t0);
    }
    return ms;
  };
  const alone = await cheapTimes();
  let loaded = true;
  let largestRuns = 0;
  const largestMs: number[] = [];
  const background = (async () => {
    while (loaded) {
      const t0 = performance.now();
      await run(LARGEST);
      largestMs.push(performance.now() - t0);
      largestRuns++;
    }
  })();
  const beside = await cheapTimes();
  loaded = false;
  await background;

  const a = summarize(alone);
  const b = summarize(beside);
  const big = summarize(largestMs);
  printFacts('Machine', machineFacts());
  printFacts('Parameters', {
    tenants: `${formatCount(tenants)} rows`,
    'largest document': `${aliases} aliases × tenants(first: 500) (complexity ${formatCount(complexityFromQuery(LARGEST, { schema }).complexity)} of ${formatCount(COMPLEXITY_LIMITS.complexity)} allowed), ${(largestBytes / 1024 / 1024).toFixed(1)} MiB answer`,
    iterations: `${iterations} cheap queries timed per phase (+${WARMUP} warm-up); the largest ran ${largestRuns} times meanwhile`,
  });
  printTable(
    'A cheap query ({ __typename }) alone and while the largest allowed document runs',
    [
      { header: 'measure' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
    ],
    [
      ['cheap query, alone', formatMs(a.p50), formatMs(a.p99), formatMs(a.max)],
      ['cheap query, beside the largest', formatMs(b.p50), formatMs(b.p99), formatMs(b.max)],
      ['ratio beside / alone', formatRatio(b.p50, a.p50), formatRatio(b.p99, a.p99), ''],
      ['the largest document itself', formatMs(big.p50), formatMs(big.p99), formatMs(big.max)],
    ],
  );
} finally {
  await client.end().catch(() => {});
  await cp.stop();
  await database.drop();
}
