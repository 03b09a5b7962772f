/**
 * Throughput of the tenants list through the control plane's two HTTP doors, under autocannon
 * (run in a child process, so load generator and server do not share a thread): `GET /tenants`
 * (REST) against the same GraphQL document POSTed to `/graphql`, and both beside the SQL they run
 * (the tenant page and the latest operations of its tenants), issued bare through pg at the same
 * concurrency on a pool as large as the server's. The three take turns, `--rounds` times each.
 *
 *   node --import tsx test/bench/http-throughput.bench.ts [--tenants 100] [--page 50]
 *        [--connections 50] [--seconds 10] [--rounds 3]
 *
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway database,
 * dropped at the end.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { restRoutes } from '../../server/http/rest/routes.ts';
import { startBenchControlPlane } from './lib/control-plane.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import type { LoadRequest, LoadResult } from './lib/load-runner.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import { formatBytes, formatMs, formatRatio, median } from './lib/stats.ts';
import { seedTenantRows } from './lib/tenant-list.ts';

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenants: { type: 'string', default: '100' },
      page: { type: 'string', default: '50' },
      connections: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`--${name} must be a whole number between ${min} and ${max} (got "${values[name]}")`);
    }
    return n;
  };
  return {
    tenants: int('tenants', 1, 100_000),
    page: int('page', 1, 500),
    connections: int('connections', 1, 1000),
    seconds: int('seconds', 1, 600),
    rounds: int('rounds', 1, 100),
  };
}

const progress = (message: string) => process.stderr.write(`[http-throughput.bench] ${message}\n`);

/** The autocannon child: one load at a time. */
class LoadProcess {
  private readonly child = fork(fileURLToPath(new URL('./lib/load-runner.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  run(request: LoadRequest): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load process exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: { ok: true; result: LoadResult } | { ok: false; message: string }) => {
        this.child.off('exit', onExit);
        if (m.ok) resolve(m.result);
        else reject(new Error(`autocannon: ${m.message}`));
      });
      this.child.send(request);
    });
  }

  stop() {
    if (this.child.connected) this.child.disconnect();
  }
}

/** The SQL behind one page, bare: the tenant page (one more row than asked) and its operations. */
async function sqlLoad(
  pool: pg.Pool,
  page: number,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let bytes = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const tenants = await pool.query<{ id: string }>(
        `select * from tenants where state in ('provisioning', 'active', 'deleting') order by slug, id limit $1`,
        [page + 1],
      );
      const ids = tenants.rows.slice(0, page).map((r) => r.id);
      const ops = await pool.query(
        `select distinct on (tenant_id) * from tenant_operations where tenant_id = any($1::uuid[])
          order by tenant_id, created_at desc`,
        [ids],
      );
      latencies.push(performance.now() - t0);
      bytes += JSON.stringify(tenants.rows).length + JSON.stringify(ops.rows).length;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: at(50),
    p99: at(99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    max: latencies[latencies.length - 1]!,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    bytes,
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const database = await createBenchDatabase(benchServerUrl(), 'bench_http');
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => database.drop()];
  try {
    const { cp, authorization } = await startBenchControlPlane(database.url);
    cleanups.unshift(() => cp.stop());
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.unshift(() => client.end());
    progress(`seeding ${options.tenants} tenants`);
    await seedTenantRows(client, options.tenants, '42');
    const pool = new pg.Pool({ connectionString: database.url, max: cp.services.config.dbPoolMax });
    cleanups.unshift(() => pool.end());
    const loads = new LoadProcess();
    cleanups.unshift(() => loads.stop());

    const route = restRoutes.find((r) => r.method === 'GET' && r.path === '/tenants');
    if (!route) throw new Error('no GET /tenants route');
    const variables = route.variables({ params: {}, query: { first: options.page }, body: undefined });
    const rest: LoadRequest = {
      url: `${cp.url}/tenants?first=${options.page}`,
      method: 'GET',
      headers: { authorization, accept: 'application/json' },
      connections: options.connections,
      durationSeconds: options.seconds,
    };
    const graphql: LoadRequest = {
      url: `${cp.url}/graphql`,
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: route.document, variables }),
      connections: options.connections,
      durationSeconds: options.seconds,
    };
    // Both doors answer the same tenants, or the comparison means nothing.
    const restBody = (await (await fetch(rest.url, { headers: rest.headers })).json()) as {
      tenants: { slug: string }[];
    };
    const gqlBody = (await (
      await fetch(graphql.url, { method: 'POST', headers: graphql.headers, body: graphql.body })
    ).json()) as { data: { tenants: { edges: { node: { slug: string } }[] } } };
    const restSlugs = restBody.tenants.map((t) => t.slug).join();
    if (!restSlugs || restSlugs !== gqlBody.data.tenants.edges.map((e) => e.node.slug).join()) {
      throw new Error('GET /tenants and the GraphQL query answer different tenants');
    }

    progress('warm-up: 2 s of each door');
    await loads.run({ ...rest, durationSeconds: 2 });
    await loads.run({ ...graphql, durationSeconds: 2 });
    const results = { rest: [] as LoadResult[], graphql: [] as LoadResult[], sql: [] as LoadResult[] };
    for (let round = 1; round <= options.rounds; round++) {
      progress(`round ${round}/${options.rounds}: REST, GraphQL, bare SQL, ${options.seconds} s each`);
      results.rest.push(await loads.run(rest));
      results.graphql.push(await loads.run(graphql));
      results.sql.push(await sqlLoad(pool, options.page, options.connections, options.seconds));
    }
    for (const [door, runs] of Object.entries(results)) {
      const bad = runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
      if (bad > 0) throw new Error(`${door}: ${bad} requests failed (non-2xx, errors or timeouts)`);
    }

    printFacts('Machine', machineFacts());
    printFacts('Parameters', {
      command: `node ${process.execArgv.join(' ')} ${process.argv.slice(1).join(' ')}`.replace(/\s+/g, ' '),
      load: `autocannon in a child process, ${options.connections} connections, ${options.seconds} s per run, ${options.rounds} rounds (REST, GraphQL, SQL in turn), after 2 s of warm-up per door`,
      data: `${options.tenants} tenants seeded, pages of ${options.page} (GET /tenants?first=${options.page}; the route's own GraphQL document and variables over POST /graphql)`,
      'bare SQL': `the tenant page + latest operations queries through pg, ${options.connections} concurrent loops on a pool of ${cp.services.config.dbPoolMax} (DB_POOL_MAX)`,
    });
    const med = (runs: LoadResult[], pick: (r: LoadResult) => number) => median(runs.map(pick));
    const row = (label: string, runs: LoadResult[]) => [
      label,
      `${med(runs, (r) => r.rps).toFixed(0)}/s`,
      formatMs(med(runs, (r) => r.p50)),
      formatMs(med(runs, (r) => r.p99)),
      formatBytes(med(runs, (r) => r.bytes / Math.max(1, r.requests))),
      runs.map((r) => r.rps.toFixed(0)).join(' / '),
    ];
    const rps = (runs: LoadResult[]) => med(runs, (r) => r.rps);
    printTable(
      `Tenants list at ${options.connections} concurrent clients (median of ${options.rounds} runs)`,
      [
        { header: 'door' },
        { header: 'throughput' },
        { header: 'p50' },
        { header: 'p99' },
        { header: 'bytes/answer' },
        { header: 'each run (req/s)' },
      ],
      [
        row(`GET /tenants?first=${options.page} (REST)`, results.rest),
        row('POST /graphql, the same document', results.graphql),
        row('bare SQL (page + operations)', results.sql),
        [
          'REST / GraphQL (goal: throughput ≥ 0.8×, p99 ≤ 1.2×)',
          formatRatio(rps(results.rest), rps(results.graphql)),
          formatRatio(
            med(results.rest, (r) => r.p50),
            med(results.graphql, (r) => r.p50),
          ),
          formatRatio(
            med(results.rest, (r) => r.p99),
            med(results.graphql, (r) => r.p99),
          ),
          '',
          '',
        ],
        [
          'GraphQL / bare SQL',
          formatRatio(rps(results.graphql), rps(results.sql)),
          formatRatio(
            med(results.graphql, (r) => r.p50),
            med(results.sql, (r) => r.p50),
          ),
          formatRatio(
            med(results.graphql, (r) => r.p99),
            med(results.sql, (r) => r.p99),
          ),
          '',
          '',
        ],
      ],
    );
    console.log(
      [
        '',
        'Notes:',
        '- bytes/answer for SQL is the JSON size of the rows as pg returns them, for comparison only.',
        '- latencies are per request as the client saw them (autocannon, HDR histogram; SQL: performance.now).',
      ].join('\n'),
    );
    return 0;
  } finally {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
