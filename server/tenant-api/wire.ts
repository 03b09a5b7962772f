import { z } from 'zod';
import type { SecretRotation, SmtpRelay, TenantMigrations, TenantStatus, WorkerConfig } from './types.ts';

/**
 * The snake_case JSON of the tenant API and its conversion to and from the camelCase types. Replies
 * are checked here, so a backend that breaks the contract fails with a message naming the field.
 */

const count = z.number().int().nonnegative();

export const statusReply = z.object({
  version: z.string().min(1),
  status: z.string().min(1),
  stats: z.object({ users: count, groups: count, apps: count, active_users: count }),
});

export const migrationsReply = z.object({
  applied: z.array(z.object({ id: z.string().min(1), applied_at: z.iso.datetime({ offset: true }) })),
  pending: z.array(z.string().min(1)),
});

/** The error body backends send with a 4xx or 5xx: `{error:{code, message}}`. */
export const errorReply = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a reply body with `schema`; the failure reason names fields, never the values sent. */
export function parseReply<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: text.trim() === '' ? 'empty body' : 'body is not JSON' };
  }
  const result = schema.safeParse(json);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: describeIssues(result.error) };
}

/** `stats.users: Invalid input: expected number, received string; version: …` (first three issues). */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}

export function toStatus(w: z.infer<typeof statusReply>): TenantStatus {
  const { users, groups, apps, active_users } = w.stats;
  return { version: w.version, status: w.status, stats: { users, groups, apps, activeUsers: active_users } };
}

export function toMigrations(w: z.infer<typeof migrationsReply>): TenantMigrations {
  return {
    applied: w.applied.map((m) => ({ id: m.id, appliedAt: new Date(m.applied_at) })),
    pending: w.pending,
  };
}

export function licenseBody(license: string, userCap: number | null) {
  return { license, user_cap: userCap };
}

export function smtpBody(r: SmtpRelay) {
  return { host: r.host, port: r.port, username: r.username, password: r.password, from: r.from, tls: r.tls };
}

export function workerConfigBody(c: WorkerConfig) {
  return {
    task_worker: { mode: c.taskWorker.mode, concurrency: c.taskWorker.concurrency },
    login_worker: {
      mode: c.loginWorker.mode,
      url: c.loginWorker.url,
      max_concurrent: c.loginWorker.maxConcurrent,
    },
    pool: c.pool,
  };
}

/** The rotation body with only the given fields (an absent field leaves that secret alone). */
export function secretsBody(s: SecretRotation): Record<string, string | number> {
  const wire: Record<string, string | number | undefined> = {
    jwt_secret: s.jwtSecret,
    login_worker_token: s.loginWorkerToken,
    proxy_token: s.proxyToken,
    cp_token: s.cpToken,
    grace_seconds: s.graceSeconds,
  };
  return Object.fromEntries(Object.entries(wire).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | number
  >;
}

/**
 * Replaces each of `secrets` in `text` with `[redacted]`, in case a backend echoes a value in its
 * error message. Values under 4 characters are left alone: hiding them would garble the message
 * and showing them reveals nothing.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
