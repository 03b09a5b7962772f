import type { z } from 'zod';
import { CP_TOKEN_SECRET, hashToken } from './auth.ts';
import {
  adminPasswordBody,
  describeIssues,
  licenseBody,
  ROTATABLE,
  secretsBody,
  smtpBody,
  workerConfigBody,
} from './bodies.ts';
import { hashPassword } from './passwords.ts';
import type { TenantResolution } from './resolver.ts';
import { applyPendingMigrations } from './schema.ts';
import {
  clearLicense,
  countTenantData,
  type MigrationState,
  migrationState,
  putLicense,
  putSmtpConfig,
  putWorkerConfig,
  rotateSecrets,
  type SecretRotationRow,
  setAdminPasswordHash,
} from './store.ts';
import type { TenantDb } from './tables.ts';

/** What a handler gets: the tenant's database, its resolution, the clock and the parsed JSON body. */
export type HandlerContext = {
  db: TenantDb;
  tenant: TenantResolution;
  now: Date;
  version: string;
  body: unknown;
};

export type Reply = { status: number; body?: unknown };

export type Handler = (ctx: HandlerContext) => Promise<Reply>;

const DEFAULT_GRACE_SECONDS = 3600;
const noContent: Reply = { status: 204 };

/** A 400 naming the fields, or the parsed body. */
function parse<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; reply: Reply } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    reply: {
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: describeIssues(result.error) } },
    },
  };
}

function migrationsJson(state: MigrationState) {
  return {
    applied: state.applied.map((m) => ({ id: m.id, applied_at: m.appliedAt.toISOString() })),
    pending: state.pending,
  };
}

const status: Handler = async ({ db, now, version }) => {
  const c = await countTenantData(db, now);
  return {
    status: 200,
    body: {
      version,
      status: 'ok',
      stats: { users: c.users, groups: c.groups, apps: c.apps, active_users: c.activeUsers },
    },
  };
};

const migrations: Handler = async ({ db }) => ({
  status: 200,
  body: migrationsJson(await migrationState(db)),
});

const applyMigrations: Handler = async ({ db, now }) => {
  await applyPendingMigrations(db, now);
  return { status: 200, body: migrationsJson(await migrationState(db)) };
};

const license: Handler = async ({ db, now, body }) => {
  const p = parse(licenseBody, body);
  if (!p.ok) return p.reply;
  await putLicense(db, p.value.license, p.value.user_cap, now);
  return noContent;
};

const deleteLicense: Handler = async ({ db }) => {
  await clearLicense(db);
  return noContent;
};

const workerConfig: Handler = async ({ db, now, body }) => {
  const p = parse(workerConfigBody, body);
  if (!p.ok) return p.reply;
  await putWorkerConfig(db, p.value, now);
  return noContent;
};

const adminPassword: Handler = async ({ db, now, body }) => {
  const p = parse(adminPasswordBody, body);
  if (!p.ok) return p.reply;
  await setAdminPasswordHash(db, await hashPassword(p.value.password), now);
  return noContent;
};

const secrets: Handler = async ({ db, tenant, now, body }) => {
  const p = parse(secretsBody, body);
  if (!p.ok) return p.reply;
  const rows: SecretRotationRow[] = [];
  for (const name of ROTATABLE) {
    const value = p.value[name];
    if (value === undefined) continue;
    rows.push({
      name,
      hash: hashToken(value),
      // The CP token in force until now is known (the resolver's): keep it valid through the grace period.
      ...(name === CP_TOKEN_SECRET ? { initialPreviousHash: hashToken(tenant.cpToken) } : {}),
    });
  }
  await rotateSecrets(db, rows, p.value.grace_seconds ?? DEFAULT_GRACE_SECONDS, now);
  return noContent;
};

const smtp: Handler = async ({ db, now, body }) => {
  const p = parse(smtpBody, body);
  if (!p.ok) return p.reply;
  const { password, ...config } = p.value;
  await putSmtpConfig(db, { config, passwordHash: password === null ? null : hashToken(password) }, now);
  return noContent;
};

const deleteSmtp: Handler = async ({ db, now }) => {
  await putSmtpConfig(db, null, now);
  return noContent;
};

/** The tenant API routes: path below `/t/{slug}`, then method. */
export const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  '/cp/v1/status': { GET: status },
  '/cp/v1/migrations': { GET: migrations },
  '/cp/v1/migrations/apply': { POST: applyMigrations },
  '/cp/v1/license': { PUT: license, DELETE: deleteLicense },
  '/cp/v1/worker-config': { PUT: workerConfig },
  '/cp/v1/admin-password': { PUT: adminPassword },
  '/cp/v1/secrets': { PUT: secrets },
  '/cp/v1/smtp': { PUT: smtp, DELETE: deleteSmtp },
};
