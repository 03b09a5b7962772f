import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, loadConfig } from '../config.ts';
import { createDb, migrateToLatest } from '../db/database.ts';
import { startEmbeddedPostgres } from '../db/embedded/postgres.ts';
import { upsertOperator } from '../domain/auth/operators.ts';
import { createApiToken } from '../domain/auth/tokens.ts';
import { DomainError } from '../domain/errors.ts';
import { verifyLicense } from '../domain/license/token.ts';
import { createEventBus } from '../events/bus.ts';
import { createLogger } from '../log.ts';

const USAGE = `usage:
  justiam-cp token create --email <operator email> --name <token name> [--role admin|viewer] [--expires-in-days N]
  justiam-cp license issue --licensee <name> --max-users N --days D [--renewal-url URL] [--lid ID] [--features a,b]

token create: creates the operator if needed and prints a new API token (shown once), so
automation works without a browser. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR
(the running server's, or started for the moment).

license issue: prints a development license signed with the embedded stack's key in DATA_DIR
(made on first use), which a control plane with that DATA_DIR and no LICENSE_PUBLIC_KEYS trusts.
Production trusts the issuer's configured public keys only.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** The configuration from the environment, or exit 2 saying what is wrong with it. */
function configOrFail(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
}

const [command, sub, ...rest] = process.argv.slice(2);
if (command === 'license' && sub === 'issue') {
  await issueLicense(rest);
  process.exit(0);
}
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

const config = configOrFail();
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

/** `license issue`: a development license signed with the key in DATA_DIR. */
async function issueLicense(args: string[]): Promise<void> {
  let options: Record<string, string | undefined>;
  try {
    options = parseArgs({
      args,
      options: {
        licensee: { type: 'string' },
        'max-users': { type: 'string' },
        days: { type: 'string' },
        'renewal-url': { type: 'string' },
        lid: { type: 'string' },
        features: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const maxUsers = Number(options['max-users']);
  const days = Number(options.days);
  if (!options.licensee?.trim()) fail('--licensee is required');
  if (!Number.isInteger(maxUsers) || maxUsers < 1) fail('--max-users must be a whole number ≥ 1');
  if (!Number.isFinite(days) || days <= 0 || days > 3650)
    fail('--days must be a number of days between 0 and 3650');
  const renewalUrl = options['renewal-url'];
  if (
    renewalUrl !== undefined &&
    !(URL.canParse(renewalUrl) && /^https?:$/.test(new URL(renewalUrl).protocol))
  ) {
    fail('--renewal-url must be an http(s) URL');
  }
  const config = configOrFail();
  if (config.license.keys.kind !== 'dev') {
    fail(
      'license issue signs development licenses only: it needs no LICENSE_PUBLIC_KEYS and NODE_ENV other than production',
    );
  }
  const licensee = options.licensee!.trim();
  const { devLicenseSigner, signLicense } = await import('../dev/license-key.ts');
  const signer = await devLicenseSigner(config.dataDir);
  const now = Math.floor(Date.now() / 1000);
  const token = await signLicense(signer, {
    lid: options.lid ?? `dev-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`,
    licensee,
    maxUsers,
    features: (options.features ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    notBefore: now,
    expiresAt: now + Math.round(days * 86_400),
    ...(renewalUrl ? { renewalUrl } : {}),
  });
  // Checked as a control plane checks it, so a license no control plane would take is never printed.
  try {
    await verifyLicense(token, [signer], new Date(now * 1000));
  } catch (error) {
    fail(`this license would be refused: ${(error as Error).message.replace(/^invalid license: /, '')}`);
  }
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `license for ${licensee} (${maxUsers} users, ${days} days) signed with key ${signer.kid}\n`,
  );
}
