import { printTable } from './report.ts';
import { formatBytes, formatCount, formatMs, formatRatio, median, type Summary, summarize } from './stats.ts';
import type { Batch, StepDurations } from './tenant-provisioning.ts';
import type {
  FanoutResults,
  ListResults,
  ModeResults,
  Observed,
  Options,
  ProvisioningResults,
} from './tenant-results.ts';

const TIME_COLUMNS = [
  { header: 'measure' },
  { header: 'n' },
  { header: 'median' },
  { header: 'p99' },
  { header: 'max' },
];

const timeRow = (label: string, s: Summary, ...extra: string[]) => [
  label,
  String(s.n),
  formatMs(s.p50),
  formatMs(s.p99),
  formatMs(s.max),
  ...extra,
];

// Maxima are single outliers on either side; their ratio would say nothing.
const ratioRow = (label: string, a: Summary, b: Summary, ...extra: string[]) => [
  label,
  '',
  formatRatio(a.p50, b.p50),
  formatRatio(a.p99, b.p99),
  '',
  ...extra,
];

const rate = (batch: Batch) => `${((batch.ms.length / batch.wallMs) * 1000).toFixed(1)}/s`;

const BATCH_COLUMNS = [
  ...TIME_COLUMNS,
  { header: 'rate (wall)' },
  { header: 'checkpoints' },
  { header: 'peak conns' },
];

function batchRows(floorLabel: string, floor: Observed, label: string, measured: Observed): string[][] {
  const f = summarize(floor.ms);
  const m = summarize(measured.ms);
  const load = (o: Observed) => [String(o.checkpoints), String(o.peakConnections)];
  return [
    timeRow(floorLabel, f, rate(floor), ...load(floor)),
    timeRow(label, m, rate(measured), ...load(measured)),
    ratioRow('  ratio / floor (rate column: wall time)', m, f, formatRatio(measured.wallMs, floor.wallMs)),
  ];
}

const how = (mode: ModeResults) => (mode.concurrency === 1 ? 'sequential' : `${mode.concurrency} at a time`);

export function reportProvisioning(r: ProvisioningResults, options: Options): void {
  const modes = [r.sequential, r.concurrent];
  printTable(
    `Provisioning: createTenant() → state active, per tenant (${options.tenants} per mode)`,
    BATCH_COLUMNS,
    modes.flatMap((mode) =>
      batchRows(
        `floor: bare CREATE DATABASE + REVOKE ‖ ROLE, OWNER, ${how(mode)}`,
        mode.floorCreate,
        `createTenant → active, ${how(mode)}`,
        mode.create,
      ),
    ),
  );
  const ownRows = modes.flatMap((mode) => {
    const f = summarize(mode.floorCreate.ms);
    const own = summarize(mode.createOwn);
    const goal = mode.concurrency === 1 ? '1.5×' : '2×';
    return [
      timeRow(`floor: bare CREATE DATABASE + REVOKE ‖ ROLE, OWNER, ${how(mode)}`, f),
      timeRow(`control plane's own steps (all but the handoff), ${how(mode)}`, own),
      ratioRow(`  ratio / floor (goal ≤ ${goal})`, own, f),
    ];
  });
  printTable(
    "Provisioning, the control plane's own work: request recorded → operation finished, less the backend's handoff (runner timestamps, ms resolution)",
    TIME_COLUMNS,
    ownRows,
  );
  printTable(
    `Deletion: deleteTenant() → state deleted, per tenant (${options.tenants} per mode)`,
    BATCH_COLUMNS,
    modes.flatMap((mode) =>
      batchRows(
        `floor: bare DROP DATABASE … WITH (FORCE) + DROP ROLE, ${how(mode)}`,
        mode.floorDrop,
        `deleteTenant → deleted, ${how(mode)}`,
        mode.delete,
      ),
    ),
  );
  const stepRows = (kind: string, pick: (m: ModeResults) => StepDurations) =>
    pick(r.sequential).map(([step]) => [
      `${kind}: ${step}`,
      ...modes.flatMap((m) => {
        const s = summarize(pick(m).find(([name]) => name === step)?.[1] ?? []);
        return [formatMs(s.p50), formatMs(s.p99)];
      }),
    ]);
  printTable(
    'Where the server spends an operation (runner step timestamps, ms resolution)',
    [
      { header: 'step' },
      ...modes.flatMap((m) => [{ header: `${how(m)} median` }, { header: `${how(m)} p99` }]),
    ],
    [...stepRows('create', (m) => m.createSteps), ...stepRows('delete', (m) => m.deleteSteps)],
  );
  const retried = (pick: (m: ModeResults) => Batch) => modes.map((m) => pick(m).retried).join(' + ');
  console.log(
    [
      '',
      'Notes:',
      '- provisioning = record + Secret (cluster simulator) + role and database + registry entry + handoff to the',
      '  tenant simulator (which creates its schema in the new database and hashes the admin password), then the',
      '  license and SMTP lines. The database step runs beside the Secret (its role waits for the Secret), the',
      '  registry entry beside the database step and the SMTP line beside the license (steps with `alongside`), so',
      '  their rows below overlap those steps rather than add to them.',
      '  The floor is the SQL of the database step run bare and arranged as the step arranges it (CREATE DATABASE and',
      '  REVOKE ALL … FROM PUBLIC on one connection while CREATE ROLE with a SCRAM verifier runs on another, then',
      '  ALTER DATABASE … OWNER TO; dropping: DROP DATABASE … WITH (FORCE), DROP ROLE): no Secret, no backend.',
      `- operations whose first attempt did not finish (retried with backoff, 1 s, 2 s, …): creates ${retried((m) => m.create)}, deletes ${retried((m) => m.delete)}.`,
      '- per mode: floor creates and tenant creates take turns, one batch of the concurrency each (sequentially: one',
      '  floor create, one tenant, …), then floor drops and tenant deletes likewise, so both sides work on a server in',
      '  the state the other left it in. "checkpoints" and "peak conns" cover both sides\' turns together. "checkpoints": PostgreSQL',
      '  checkpoints completed during the batch (DROP DATABASE requests one each time, and waits for it, so drop',
      '  outliers on both sides are checkpoint stalls); "peak conns": most client connections the server had at',
      `  once (max_connections ${r.maxConnections}).`,
      ...(r.released === undefined
        ? [
            "- the tenant simulator's connections were left alone (--keep-backend-connections): it keeps an idle",
            '  pool per tenant for 10 s, so concurrent provisioning can run the server out of connection slots.',
          ]
        : [
            "- once a tenant was active (outside its timed span) the tenant simulator's idle connections to its",
            `  database were ended (${r.released} in all): it keeps a pool per tenant for 10 s, and with max_connections`,
            `  ${r.maxConnections} the concurrent batch otherwise runs out of slots and handoffs retry with backoff`,
            '  (run with --keep-backend-connections to see that).',
          ]),
    ].join('\n'),
  );
}

export function reportList(r: ListResults, options: Options): void {
  const rows: string[][] = [];
  for (const t of r.timings) {
    const gql = summarize(t.graphql);
    const sql = summarize(t.sql);
    const both = summarize(t.sqlWithOperations);
    rows.push(
      timeRow(`${t.label}: GraphQL over HTTP`, gql),
      timeRow(`${t.label}: SQL tenant page (pg)`, sql),
      timeRow(`${t.label}: SQL page + latest operations`, both),
      ratioRow(`${t.label}: ratio GraphQL / SQL page`, gql, sql),
      ratioRow(`${t.label}: ratio GraphQL / SQL page + ops`, gql, both),
    );
  }
  printTable(
    `Tenant list: tenants(first: 100) over ${formatCount(r.seeded.rows)} rows, POST /graphql vs the same SQL`,
    TIME_COLUMNS,
    rows,
  );
  const first = r.timings[0];
  console.log(
    [
      '',
      'Notes:',
      `- the ${formatCount(r.seeded.rows)} tenants were INSERTed straight into the control plane's tables (active,`,
      '  status columns filled as the poller would, one succeeded create operation each) in',
      `  ${formatMs(r.seeded.ms)}; they were not provisioned (no databases, Secrets or backends), which the list never reads.`,
      `- page ${r.deepPage} was reached by following endCursor from page 1 and is timed with that cursor;`,
      `  search "42" matches ${formatCount(r.seeded.matchingSearch)} rows (ILIKE on slug and name).`,
      `- SQL baseline: select * … where state in (…) [and …] order by slug, id limit 101 through one pg.Client;`,
      '  "+ latest operations" adds the DISTINCT ON query the list runs for the latest operation of each tenant of the page.',
      "  The baseline reads rows with pg's default type parsers; the server's pool reads timestamptz with its own",
      '  (server/db/timestamps.ts, same Dates), ~0.25 ms less per page of some 800 timestamps.',
      `- each GraphQL response is ~${formatBytes(first?.bytes ?? Number.NaN)} for ${first?.rows ?? 0} tenants; client and server share this process (node:http over one kept-alive connection).`,
      `- ${options.iterations} timed iterations per query after warm-up, the three forms interleaved.`,
    ].join('\n'),
  );
}

export function reportFanout(r: FanoutResults, options: Options): void {
  const single = summarize(r.single.rounds.flat());
  const every = summarize(r.many.rounds.flat());
  const firsts = summarize(r.many.rounds.map((round) => Math.min(...round)));
  const lasts = summarize(r.many.rounds.map((round) => Math.max(...round)));
  const floorLasts = summarize(r.floor.rounds.map((round) => Math.max(...round)));
  const floorEvery = summarize(r.floor.rounds.flat());
  const n = r.many.subscriptions;
  printTable(
    `Fan-out: status change → tenantUpdated received, ${formatCount(n)} subscribers vs 1 (tenant ${r.slug})`,
    TIME_COLUMNS,
    [
      timeRow('baseline: 1 subscriber', single),
      timeRow(`${formatCount(n)} subscribers: every receipt`, every),
      timeRow(`${formatCount(n)} subscribers: first receipt per change`, firsts),
      timeRow(`${formatCount(n)} subscribers: last receipt per change`, lasts),
      ratioRow('ratio every receipt / baseline', every, single),
      ratioRow('ratio last receipt / baseline', lasts, single),
      timeRow(`floor, bare graphql-ws: ${formatCount(n)} subscribers, every receipt`, floorEvery),
      timeRow(`floor, bare graphql-ws: ${formatCount(n)} subscribers, last receipt`, floorLasts),
      ratioRow('ratio last receipt / floor (goal ≤ 1.3×)', lasts, floorLasts),
      ratioRow('ratio every receipt / floor', every, floorEvery),
    ],
  );
  const memory = r.many.memory;
  if (memory) {
    const grown = {
      heap: memory.subscribed.heapUsed - memory.before.heapUsed,
      rss: memory.subscribed.rss - memory.before.rss,
      external: memory.subscribed.external - memory.before.external,
    };
    printTable(
      `Server memory for ${formatCount(n)} subscriptions on ${formatCount(r.many.sockets)} sockets (server process only, after a full GC)`,
      [{ header: 'measure' }, { header: 'heap used' }, { header: 'external' }, { header: 'RSS' }],
      [
        [
          'growth while subscribed',
          formatBytes(grown.heap),
          formatBytes(grown.external),
          formatBytes(grown.rss),
        ],
        [
          'per subscriber',
          formatBytes(grown.heap / n),
          formatBytes(grown.external / n),
          formatBytes(grown.rss / n),
        ],
        [
          'still held after all closed',
          formatBytes(memory.closed.heapUsed - memory.before.heapUsed),
          formatBytes(memory.closed.external - memory.before.external),
          formatBytes(memory.closed.rss - memory.before.rss),
        ],
      ],
    );
  }
  const extraPerSubscriber =
    (median(r.many.rounds.map((round) => Math.max(...round))) - single.p50) / (n - 1 || 1);
  console.log(
    [
      '',
      'Notes:',
      `- subscribers run in a child process (graphql-ws createClient + ws, retryAttempts 0, lazy false),`,
      `  ${options.perSocket === 1 ? 'one socket per subscription' : `${options.perSocket} subscriptions multiplexed per socket`}; opening and registering all took ${formatMs(r.many.registerMs)}.`,
      "- a change = UPDATE of the row's status, then bus.publish(tenant.updated, change: status) as the poller does;",
      '  the clock starts in the subscriber process just before it asks for the trigger over IPC',
      `  (~${formatMs(r.ipcHopMs)} one way, included in every figure) and stops when the new status arrives.`,
      '- each change is read once (getTenantsById) and shared by every subscriber of this server (schema/event-load.ts).',
      `- cost of each extra subscriber on the last receipt: ~${formatMs(extraPerSubscriber)} (median last receipt − baseline median) / ${formatCount(n - 1)}.`,
      `- ${r.many.rounds.length} counted changes with ${formatCount(n)} subscribers, ${r.single.rounds.length} with one; RSS rarely shrinks after close.`,
    ].join('\n'),
  );
}
