import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { TenantApiError, type TenantApiErrorKind } from './errors.ts';
import { backoffDelay, isRetryable, parseRetryAfter } from './retry.ts';
import type { SecretRotation, SmtpRelay, TenantMigrations, TenantStatus, WorkerConfig } from './types.ts';
import { checkBaseUrlTemplate, tenantBaseUrl } from './url.ts';
import {
  errorReply,
  licenseBody,
  migrationsReply,
  parseReply,
  scrub,
  secretsBody,
  smtpBody,
  statusReply,
  toMigrations,
  toStatus,
  workerConfigBody,
} from './wire.ts';

export type TenantApiClientOptions = {
  /** Base URL of a tenant with `{slug}` where the slug goes, e.g. `http://justiam-backend:8080/t/{slug}`. */
  baseUrlTemplate: string;
  /** Per attempt, covering the whole reply. Default 3000. */
  timeoutMs?: number;
  /** Extra attempts after the first for retryable failures. Default 2. */
  retries?: number;
  /** First backoff; doubles per retry, with jitter. Default 100. */
  backoffMs?: number;
  /** Upper bound of one backoff, including one asked for by `Retry-After`. Default 5000. */
  maxBackoffMs?: number;
  fetch?: typeof fetch;
};

/** The calls the control plane makes to one tenant's backend. */
export interface TenantApi {
  readonly slug: string;
  status(): Promise<TenantStatus>;
  migrations(): Promise<TenantMigrations>;
  /** Applies every pending migration; returns the state afterwards. Safe to repeat. */
  applyMigrations(): Promise<TenantMigrations>;
  /** Installs a license with this tenant's user cap (`null`: the license's own limit applies). */
  putLicense(license: string, userCap: number | null): Promise<void>;
  /** Removes the license: the tenant returns to the free tier. */
  clearLicense(): Promise<void>;
  putWorkerConfig(config: WorkerConfig): Promise<void>;
  setAdminPassword(password: string): Promise<void>;
  /** Rotates the given secrets; the backend accepts each previous value for the grace period. */
  putSecrets(rotation: SecretRotation): Promise<void>;
  /** Sets the SMTP relay the tenant sends password-reset and notification e-mails through. */
  putSmtp(relay: SmtpRelay): Promise<void>;
  /** Removes the relay: the tenant sends no e-mail. */
  clearSmtp(): Promise<void>;
}

export interface TenantApiClient {
  /** The API of one tenant, authenticated with its CP token. */
  forTenant(slug: string, cpToken: string): TenantApi;
}

type Call<T> = {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Values that must not reach an error message even if the backend echoes them. */
  sensitive?: string[];
  /** How to read a 2xx reply; absent when the body does not matter. */
  reply?: { schema: z.ZodType; convert: (wire: never) => T };
};

type Failure = {
  kind: TenantApiErrorKind;
  detail: string;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  cause?: unknown;
};

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** Longest detail an error keeps of what a backend said (after secrets are scrubbed out). */
const MAX_DETAIL = 400;

/** Header-safe token: visible ASCII only, so it can never break (or leak through) a header error. */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Creates the client the control plane uses to talk to tenant backends (DESIGN.md, "Tenant API").
 * Every call has a timeout per attempt and bounded retries with exponential backoff and jitter for
 * network errors, timeouts, 429 and 5xx; every call in the contract is idempotent, so all may be
 * retried. Failures are `TenantApiError`s naming tenant and endpoint.
 */
export function createTenantApiClient(options: TenantApiClientOptions): TenantApiClient {
  checkBaseUrlTemplate(options.baseUrlTemplate);
  const timeoutMs = options.timeoutMs ?? 3000;
  const retries = options.retries ?? 2;
  const baseMs = options.backoffMs ?? 100;
  const maxMs = options.maxBackoffMs ?? 5000;
  const doFetch = options.fetch ?? globalThis.fetch;
  if (!(timeoutMs > 0)) throw new TypeError('timeoutMs must be more than 0');
  if (!Number.isInteger(retries) || retries < 0) throw new TypeError('retries must be a whole number ≥ 0');
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new TypeError('backoffMs and maxBackoffMs must be ≥ 0');

  async function attempt<T>(url: string, token: string, call: Call<T>): Promise<Outcome<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    let payload: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(call.body);
    }
    try {
      const res = await doFetch(url, {
        method: call.method,
        headers,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return { ok: false, failure: httpFailure(res, text) };
      if (!call.reply) return { ok: true, value: undefined as T };
      const parsed = parseReply(call.reply.schema, text);
      if (!parsed.ok)
        return {
          ok: false,
          failure: { kind: 'invalid-response', detail: `sent an invalid response: ${parsed.reason}` },
        };
      return { ok: true, value: call.reply.convert(parsed.value as never) };
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'TimeoutError')
        return { ok: false, failure: { kind: 'timeout', detail: `timed out after ${timeoutMs} ms` } };
      return {
        ok: false,
        failure: { kind: 'network', detail: `failed: ${networkReason(error)}`, cause: error },
      };
    }
  }

  async function run<T>(slug: string, token: string, call: Call<T>): Promise<T> {
    const url = `${tenantBaseUrl(options.baseUrlTemplate, slug)}${call.path}`;
    const endpoint = `${call.method} ${call.path}`;
    const secrets = [token, ...(call.sensitive ?? [])];
    for (let attempts = 1; ; attempts++) {
      const outcome = await attempt(url, token, call);
      if (outcome.ok) return outcome.value;
      const f = outcome.failure;
      if (attempts > retries || !isRetryable(f)) {
        throw new TenantApiError({
          slug,
          endpoint,
          kind: f.kind,
          detail: scrub(f.detail, secrets).slice(0, MAX_DETAIL),
          status: f.status,
          code: f.code,
          attempts,
          cause: f.cause,
        });
      }
      await sleep(backoffDelay(attempts - 1, { baseMs, maxMs, retryAfterMs: f.retryAfterMs }));
    }
  }

  return {
    forTenant(slug: string, cpToken: string): TenantApi {
      tenantBaseUrl(options.baseUrlTemplate, slug);
      if (!TOKEN_PATTERN.test(cpToken))
        throw new TypeError(
          `the CP token of tenant ${slug} is empty or has characters not allowed in a header`,
        );
      const go = <T>(call: Call<T>) => run(slug, cpToken, call);
      return {
        slug,
        status: () =>
          go({ method: 'GET', path: '/cp/v1/status', reply: { schema: statusReply, convert: toStatus } }),
        migrations: () =>
          go({
            method: 'GET',
            path: '/cp/v1/migrations',
            reply: { schema: migrationsReply, convert: toMigrations },
          }),
        applyMigrations: () =>
          go({
            method: 'POST',
            path: '/cp/v1/migrations/apply',
            reply: { schema: migrationsReply, convert: toMigrations },
          }),
        putLicense: (license, userCap) =>
          go({
            method: 'PUT',
            path: '/cp/v1/license',
            body: licenseBody(license, userCap),
            sensitive: [license],
          }),
        clearLicense: () => go({ method: 'DELETE', path: '/cp/v1/license' }),
        putWorkerConfig: (config) =>
          go({ method: 'PUT', path: '/cp/v1/worker-config', body: workerConfigBody(config) }),
        setAdminPassword: (password) =>
          go({ method: 'PUT', path: '/cp/v1/admin-password', body: { password }, sensitive: [password] }),
        putSecrets: (rotation) => {
          const body = secretsBody(rotation);
          const sensitive = Object.values(body).filter((v): v is string => typeof v === 'string');
          return go({ method: 'PUT', path: '/cp/v1/secrets', body, sensitive });
        },
        putSmtp: (relay) =>
          go({
            method: 'PUT',
            path: '/cp/v1/smtp',
            body: smtpBody(relay),
            sensitive: relay.password ? [relay.password] : [],
          }),
        clearSmtp: () => go({ method: 'DELETE', path: '/cp/v1/smtp' }),
      };
    },
  };
}

function httpFailure(res: Response, text: string): Failure {
  const parsed = parseReply(errorReply, text);
  // Cut to length only after secrets are scrubbed (run()): a cut copy of a secret would not match.
  const said = parsed.ok ? ` ${parsed.value.error.code}: ${parsed.value.error.message}` : '';
  const reason = !parsed.ok && res.statusText ? ` ${res.statusText}` : '';
  return {
    kind: 'http',
    status: res.status,
    code: parsed.ok ? parsed.value.error.code : undefined,
    detail: `answered HTTP ${res.status}${reason}${said}`,
    retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
  };
}

/** undici wraps the socket error in `TypeError('fetch failed')`; the cause says what happened. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const message =
    typeof cause?.message === 'string'
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error);
  const code = typeof cause?.code === 'string' && !message.includes(cause.code) ? ` (${cause.code})` : '';
  return `${message}${code}`;
}
