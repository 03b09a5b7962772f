/**
 * A tenant backup and its verification beside their floors, measured in one run, on a tenant
 * database of `--rows` rows (default 100,000):
 *
 * - backup: `createTenantBackup` until it has ended (the product path: row counts in an exported
 *   snapshot, `pg_dump -Fc --snapshot` streamed through SHA-256 into a `.partial` file, fsync,
 *   rename, the row recorded and audited);
 * - floor: a bare `pg_dump -Fc -f <file>` of the same database with the same pg_dump;
 * - verify: `verifyTenantBackup` until it has ended (re-hash the file, create a scratch database,
 *   `pg_restore --single-transaction` from a stream, count every table, drop the scratch database);
 * - floor: a bare `createdb` + `pg_restore -d` of the same file + `dropdb`.
 *
 * Product and floor alternate which goes first; dumps are measured first, then restores. Times are
 * wall-clock medians (p99 is the slowest of a few runs); sizes are the files'.
 *
 *   node --import tsx test/bench/backups.bench.ts [--rows 100000] [--reps 5] [--runner local|job]
 *
 * `--runner job` backs up and verifies through the job runner instead: Kubernetes Jobs in the
 * cluster simulator, which runs their pg_dump / pg_restore as processes (pods start after 10 ms;
 * the runner looks at a running Job once a second, as in production).
 *
 * Uses DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway control plane
 * database and one tenant database, both dropped at the end, and a temporary backup folder.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import pg from 'pg';
import { ClusterClient } from '../../server/cluster/client.ts';
import { tenantSecret } from '../../server/cluster/resources.ts';
import { createDb, migrateToLatest } from '../../server/db/database.ts';
import { type KubeSim, startKubeSim } from '../../server/dev/kube-sim/index.ts';
import { SYSTEM_ACTOR } from '../../server/domain/actor.ts';
import { createTenantBackup, verifyTenantBackup } from '../../server/domain/backups/backups.ts';
import { createJobRunner } from '../../server/domain/backups/job-runner.ts';
import { libpqEnv, urlForDatabase } from '../../server/domain/backups/pg-tools.ts';
import { getBackup } from '../../server/domain/backups/repository.ts';
import { type BackupServices, createBackupServices } from '../../server/domain/backups/services.ts';
import { createFileStorage } from '../../server/domain/backups/storage.ts';
import { createOperationLocks } from '../../server/domain/tenants/operations/locks.ts';
import { createEventBus } from '../../server/events/bus.ts';
import { createLogger } from '../../server/log.ts';
import { benchServerUrl, createBenchDatabase } from './lib/database.ts';
import { machineFacts, printFacts, printTable } from './lib/report.ts';
import { formatBytes, formatCount, formatMs, formatRatio, summarize } from './lib/stats.ts';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '5' },
    runner: { type: 'string', default: 'local' },
  },
  strict: true,
});
const rows = Number(values.rows);
const reps = Number(values.reps);
if (!Number.isInteger(rows) || rows < 1 || rows > 50_000_000) throw new Error('--rows must be 1–50000000');
if (!Number.isInteger(reps) || reps < 1 || reps > 100) throw new Error('--reps must be 1–100');
if (values.runner !== 'local' && values.runner !== 'job') throw new Error('--runner must be local or job');

const serverUrl = benchServerUrl();
const slug = `bench-${randomBytes(4).toString('hex')}`;
const tenantDb = `tenant_${slug}`;
const control = await createBenchDatabase(serverUrl, 'bench_backups');
const dir = await mkdtemp(join(tmpdir(), 'cp-bench-backups-'));
const logger = createLogger({ level: 'silent' });
const { db, pool } = createDb({ url: control.url, max: 4 });
let sim: KubeSim | undefined;
const bus = createEventBus({ pool, connect: () => new pg.Client({ connectionString: control.url }), logger });
const locks = createOperationLocks(() => new pg.Client({ connectionString: control.url }), logger);
const local = createBackupServices({
  db,
  bus,
  logger,
  locks,
  now: () => new Date(),
  storage: createFileStorage(dir),
  settings: {
    dir,
    runner: 'local',
    job: { image: 'unused', deadlineSeconds: 3600, volumeClaim: 'unused' },
    pgDump: undefined,
    searchPath: process.env.PATH,
    verifyAfterBackup: false,
    defaultSchedule: null,
    defaultKeep: 1000,
    deletedTenantRetentionDays: 30,
  },
  adminUrl: serverUrl,
});

async function onServer<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlForDatabase(serverUrl, database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const samples = {
  backup: [] as number[],
  dumpFloor: [] as number[],
  verify: [] as number[],
  restoreFloor: [] as number[],
};
let backupSize = 0;
let floorSize = 0;

try {
  await migrateToLatest(db);
  await bus.ready;
  await db
    .insertInto('tenants')
    .values({ slug, name: slug, admin_email: null, state: 'active', created_by: 'bench' })
    .execute();
  await onServer('postgres', (c) => c.query(`create database "${tenantDb}"`));
  await onServer(tenantDb, async (c) => {
    await c.query(`create table users (
      id bigint primary key, email text not null unique, name text not null,
      created_at timestamptz not null, attributes jsonb not null)`);
    await c.query(
      `insert into users select g, 'user' || g || '@example.test', 'User ' || g,
              now() - (g || ' minutes')::interval, jsonb_build_object('n', g, 'tag', md5(g::text))
         from generate_series(1, $1) g`,
      [rows],
    );
    await c.query('vacuum analyze users');
  });
  const tools = await local.tools();
  let services: BackupServices = local;
  if (values.runner === 'job') {
    sim = await startKubeSim({
      podStartDelayMs: 10,
      runJobs: { path: `${dirname(tools.pgDump)}:${process.env.PATH ?? ''}` },
    });
    await sim.writeKubeconfig(join(dir, 'kubeconfig'));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(join(dir, 'kubeconfig'));
    const cluster = new ClusterClient(kubeConfig, 'justiam-mt');
    // The Job connects with the tenant's DATABASE_URL from its Secret (here the bench's own role).
    await cluster.createIfMissing(
      tenantSecret('justiam-mt', slug, { DATABASE_URL: urlForDatabase(serverUrl, tenantDb) }),
    );
    services = {
      ...local,
      runner: createJobRunner({
        cluster,
        storage: local.storage,
        settings: { image: 'postgres:15', deadlineSeconds: 3600, volumeClaim: 'bench' },
        logger,
        admin: local.admin,
        adminUrl: serverUrl,
        databaseHost: undefined,
      }),
    };
  }
  const env = { ...libpqEnv(serverUrl, tenantDb), PATH: process.env.PATH ?? '' };
  const size = await onServer(tenantDb, (c) =>
    c.query<{ size: string }>(`select pg_database_size(current_database())::text as size`),
  );
  printFacts('Backups benchmark', {
    ...machineFacts(),
    'tenant rows': formatCount(rows),
    'tenant database': formatBytes(Number(size.rows[0]!.size)),
    pg_dump: `${tools.pgDump} (${tools.version})`,
    runner: values.runner === 'job' ? 'job (Jobs run by the cluster simulator)' : 'local',
    reps: String(reps),
  });

  const floorFile = join(dir, 'floor.dump');
  async function dumpFloor() {
    const t0 = performance.now();
    await run(tools.pgDump, ['--format=custom', '--no-password', '--file', floorFile], { env });
    samples.dumpFloor.push(performance.now() - t0);
    floorSize = (await stat(floorFile)).size;
  }
  async function backup(): Promise<string> {
    const t0 = performance.now();
    const row = await createTenantBackup(services, { actor: SYSTEM_ACTOR }, slug);
    await services.runs.idle();
    samples.backup.push(performance.now() - t0);
    const done = (await getBackup(db, row.id))!;
    if (done.state !== 'succeeded') throw new Error(`the backup failed: ${done.error}`);
    backupSize = Number(done.size_bytes);
    return row.id;
  }
  async function verify(id: string) {
    const t0 = performance.now();
    await verifyTenantBackup(services, { actor: SYSTEM_ACTOR }, slug, id);
    await services.runs.idle();
    samples.verify.push(performance.now() - t0);
    const done = (await getBackup(db, id))!;
    if (done.verify_state !== 'passed') throw new Error(`verification failed: ${done.verify_error}`);
  }
  async function restoreFloor() {
    const scratch = `bench_restore_${randomBytes(4).toString('hex')}`;
    const t0 = performance.now();
    await onServer('postgres', (c) => c.query(`create database "${scratch}"`));
    await run(
      tools.pgRestore,
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        '--dbname',
        scratch,
        floorFile,
      ],
      { env: { ...env, PGDATABASE: scratch } },
    );
    await onServer('postgres', (c) => c.query(`drop database "${scratch}" with (force)`));
    samples.restoreFloor.push(performance.now() - t0);
  }

  // One unmeasured round warms the server's caches and the page cache for both sides. Dumps and
  // restores are measured apart: dropping a database makes PostgreSQL checkpoint, which would slow
  // whatever dump came next.
  await dumpFloor();
  const warm = await backup();
  for (const list of Object.values(samples)) list.length = 0;
  let last = warm;
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      await dumpFloor();
      last = await backup();
    } else {
      last = await backup();
      await dumpFloor();
    }
  }
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      await restoreFloor();
      await verify(last);
    } else {
      await verify(last);
      await restoreFloor();
    }
  }

  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) as Record<
    keyof typeof samples,
    ReturnType<typeof summarize>
  >;
  printTable(
    `Backup and verify of ${formatCount(rows)} rows (${reps} runs each)`,
    [
      { header: 'what' },
      { header: 'median', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'size', align: 'right' },
      { header: 'vs floor (median)', align: 'right' },
    ],
    [
      [
        'backup (createTenantBackup)',
        formatMs(s.backup.p50),
        formatMs(s.backup.p99),
        formatBytes(backupSize),
        formatRatio(s.backup.p50, s.dumpFloor.p50),
      ],
      [
        'floor: bare pg_dump -Fc',
        formatMs(s.dumpFloor.p50),
        formatMs(s.dumpFloor.p99),
        formatBytes(floorSize),
        '1.00×',
      ],
      [
        'verify (verifyTenantBackup)',
        formatMs(s.verify.p50),
        formatMs(s.verify.p99),
        '',
        formatRatio(s.verify.p50, s.restoreFloor.p50),
      ],
      [
        'floor: createdb + pg_restore + dropdb',
        formatMs(s.restoreFloor.p50),
        formatMs(s.restoreFloor.p99),
        '',
        '1.00×',
      ],
      [
        'backup + verify',
        formatMs(s.backup.p50 + s.verify.p50),
        '',
        '',
        formatRatio(s.backup.p50 + s.verify.p50, s.dumpFloor.p50 + s.restoreFloor.p50),
      ],
      ['floor: bare dump + bare restore', formatMs(s.dumpFloor.p50 + s.restoreFloor.p50), '', '', '1.00×'],
    ],
  );
  console.log(`size ratio backup / bare pg_dump: ${formatRatio(backupSize, floorSize)}`);
} finally {
  await local.close();
  await sim?.stop();
  await locks.close();
  await bus.close();
  await db.destroy();
  await onServer('postgres', (c) => c.query(`drop database if exists "${tenantDb}" with (force)`)).catch(
    () => {},
  );
  await control.drop();
  await rm(dir, { recursive: true, force: true });
}
