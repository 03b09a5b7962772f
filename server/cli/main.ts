import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, loadConfig } from '../config.ts';
import { createDb, migrateToLatest } from '../db/database.ts';
import { startEmbeddedPostgres } from '../db/embedded/postgres.ts';
import { upsertOperator } from '../domain/auth/operators.ts';
import { createApiToken } from '../domain/auth/tokens.ts';
import { DomainError } from '../domain/errors.ts';
import { createEventBus } from '../events/bus.ts';
import { createLogger } from '../log.ts';

const USAGE = `usage: justiam-cp token create --email <operator email> --name <token name> [--role admin|viewer] [--expires-in-days N]

Creates the operator if needed and prints a new API token (shown once), so automation works
without a browser. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (the running
server's, or started for the moment).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const [command, sub, ...rest] = process.argv.slice(2);
if (command !== 'token' || sub !== 'create') fail(USAGE);
let flags: { email?: string; name?: string; role?: string; 'expires-in-days'?: string };
try {
  flags = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      'expires-in-days': { type: 'string', default: '90' },
    },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`);
}
if (!flags.email || !/^[^@\s]+@[^@\s]+$/.test(flags.email)) fail('--email must be an email address');
if (!flags.name) fail('--name is required');
if (flags.role !== 'admin' && flags.role !== 'viewer') fail('--role must be admin or viewer');
const days = Number(flags['expires-in-days']);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
  throw error;
}
const logger = createLogger({ level: 'warn' });

/** The database URL, and how to let go of it afterwards. */
async function database(): Promise<{ url: string; release(): Promise<void> }> {
  if (config.database.kind === 'external') return { url: config.database.url, release: async () => {} };
  // The running server's embedded PostgreSQL (same DATA_DIR), or one started for the moment.
  const { dataDir, port, systemDir } = config.database;
  const embedded = await startEmbeddedPostgres({ dataDir, port, systemDir, logger, mode: 'share' });
  return { url: embedded.url, release: () => embedded.stop() };
}

const target = await database().catch((error: unknown) =>
  fail(`embedded PostgreSQL failed to start: ${(error as Error).message}`),
);
const { db, pool } = createDb({ url: target.url, max: 2 });
const bus = createEventBus({ pool, connect: () => new pg.Client({ connectionString: target.url }), logger });
try {
  await migrateToLatest(db);
  const now = new Date();
  const operator = await upsertOperator(
    db,
    {
      issuer: 'local',
      subject: flags.email,
      email: flags.email,
      name: flags.email.split('@')[0]!,
      role: flags.role,
    },
    now,
  );
  const { token, row } = await createApiToken(
    { db, bus, now: () => now },
    { actor: { kind: 'system', id: 'cli', label: `justiam-cp CLI for ${flags.email}` } },
    operator.id,
    { name: flags.name, expiresInDays: days },
  );
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `token "${row.name}" for ${flags.email} (${flags.role}) expires ${row.expires_at.toISOString()}\n`,
  );
} catch (error) {
  if (error instanceof DomainError) fail(error.message);
  throw error;
} finally {
  await bus.close();
  await db.destroy();
  await target.release();
}
process.exit(0);
