/**
 * The dashboard over many tenants: `dashboard` over GraphQL (HTTP) beside the SQL it runs, sent
 * bare through one pg.Client in the same process, interleaved so machine drift hits both alike.
 *
 *   node --import tsx test/bench/dashboard.bench.ts [--tenants 10000] [--iterations 300]
 *
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway control plane
 * database, dropped at the end.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DASHBOARD_SQL } from '../../server/domain/dashboard/summary.ts';
import { startBenchControlPlane } from './lib/control-plane.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import { formatCount, formatMs, formatRatio, summarize } from './lib/stats.ts';
import { seedTenantRows } from './lib/tenant-list.ts';

const WARMUP = 30;
const ALERTS = 20;
const QUERY = `{ dashboard {
  tenants { total provisioning active deleting }
  users { total active reportingTenants }
  health { ok degraded unreachable notYetChecked }
  failedOperations retryingOperations alertCount
  alerts(first: ${ALERTS}) { kind severity slug operationKind attempts detail }
} }`;

const { values } = parseArgs({
  options: { tenants: { type: 'string', default: '10000' }, iterations: { type: 'string', default: '300' } },
  strict: true,
});
const tenants = Number(values.tenants);
const iterations = Number(values.iterations);
if (!Number.isInteger(tenants) || tenants < 1 || !Number.isInteger(iterations) || iterations < 10) {
  throw new Error('--tenants must be ≥ 1 and --iterations ≥ 10');
}

const serverUrl = benchServerUrl();
const database = await createBenchDatabase(serverUrl, 'bench_dash');
const { cp, authorization } = await startBenchControlPlane(database.url);
const client = new pg.Client({ connectionString: database.url, application_name: 'dashboard-bench-sql' });
try {
  await client.connect();
  const seeded = await seedTenantRows(client, tenants, '42');
  // Some operations failing or retrying, as the dashboard reports them.
  await client.query(
    `update tenant_operations set state = case when n % 2 = 0 then 'failed' else 'running' end,
            attempts = 3, last_error = 'backend refused', next_attempt_at = now() + interval '1 day'
       from (select id, row_number() over (order by id) as n from tenant_operations) pick
      where pick.id = tenant_operations.id and pick.n % 250 = 0`,
  );
  await client.query('analyze tenant_operations');

  const statements = [
    DASHBOARD_SQL.counts.compile(cp.services.db),
    DASHBOARD_SQL.alertCounts.compile(cp.services.db),
    DASHBOARD_SQL.alerts(100).compile(cp.services.db),
  ];
  const viaGraphql = async () => {
    const res = await fetch(`${cp.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await res.json()) as {
      data?: { dashboard: { tenants: { total: number } } };
      errors?: unknown;
    };
    if (!body.data) throw new Error(`dashboard answered ${res.status}: ${JSON.stringify(body.errors)}`);
    return body.data.dashboard;
  };
  // The resolver runs the counts and the alert counts together, then the alerts: the same here.
  const viaSql = async () => {
    await Promise.all(statements.slice(0, 2).map((s) => client.query(s.sql, [...s.parameters])));
    await client.query(statements[2]!.sql, [...statements[2]!.parameters]);
  };
  const probe = await viaGraphql();
  if (probe.tenants.total !== tenants) throw new Error(`dashboard counted ${probe.tenants.total} tenants`);

  const graphqlMs: number[] = [];
  const sqlMs: number[] = [];
  for (let i = 0; i < WARMUP + iterations; i++) {
    const t0 = performance.now();
    await viaGraphql();
    const t1 = performance.now();
    await viaSql();
    const t2 = performance.now();
    if (i < WARMUP) continue;
    graphqlMs.push(t1 - t0);
    sqlMs.push(t2 - t1);
  }
  const gql = summarize(graphqlMs);
  const sqlSummary = summarize(sqlMs);
  printFacts('Machine', machineFacts());
  printFacts('Parameters', {
    tenants: `${formatCount(tenants)} active rows (seeded in ${formatMs(seeded.ms)}), ${formatCount(Math.floor(tenants / 250))} failing or retrying operations`,
    iterations: `${iterations} timed + ${WARMUP} warm-up, interleaved`,
    postgres: new URL(serverUrl).host,
  });
  printTable(
    `Dashboard over ${formatCount(tenants)} tenants: POST /graphql vs the SQL it runs (pg.Client)`,
    [
      { header: 'measure' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
    ],
    [
      ['dashboard over GraphQL', formatMs(gql.p50), formatMs(gql.p99), formatMs(gql.max)],
      [
        'its SQL, bare (counts ‖ alert counts, then alerts)',
        formatMs(sqlSummary.p50),
        formatMs(sqlSummary.p99),
        formatMs(sqlSummary.max),
      ],
      ['ratio GraphQL / SQL', formatRatio(gql.p50, sqlSummary.p50), formatRatio(gql.p99, sqlSummary.p99), ''],
    ],
  );
} finally {
  await client.end().catch(() => {});
  await cp.stop();
  await database.drop();
}
