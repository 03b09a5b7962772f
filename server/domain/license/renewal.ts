import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError, DependencyError, DomainError } from '../errors.ts';
import { installLicense } from './license.ts';
import type { LicenseServices } from './services.ts';
import { currentLicense, getLicenseStatus, type LicenseStatus } from './status.ts';
import { verifyLicense } from './token.ts';

/** The largest renewal answer read; a license is a few hundred bytes. */
export const MAX_RENEWAL_ANSWER_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;

/** Wait before the next automatic attempt after the n-th failure: 1 min doubling to 6 h. */
export function renewalRetryDelayMs(failures: number): number {
  return Math.min(6 * 3_600_000, 60_000 * 2 ** Math.max(0, failures - 1));
}

/** Why a renewal failed, for the operator; the current license stays in force. */
class RenewalFailure extends Error {}

async function readLimited(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    throw new RenewalFailure(`the renewal server's answer is ${declared} bytes; at most ${limit} are read`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new RenewalFailure(`the renewal server's answer is over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The license in an answer: `{"license": "<jws>"}` as JSON, or the bare token as text. */
function tokenIn(body: string, contentType: string | null): string {
  if (contentType?.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new RenewalFailure('the renewal server answered JSON that does not parse');
    }
    const license = (parsed as { license?: unknown } | null)?.license;
    if (typeof license !== 'string')
      throw new RenewalFailure('the renewal server’s JSON answer has no "license" string');
    return license;
  }
  return body.trim();
}

async function fetchRenewal(services: LicenseServices, url: string, token: string): Promise<string> {
  const { renewalAllowHttp, renewalTimeoutMs } = services.licensing;
  const target = new URL(url);
  if (target.protocol !== 'https:' && !renewalAllowHttp) {
    throw new RenewalFailure(
      `the renewal URL is ${target.protocol.replace(':', '')}, not https; set LICENSE_RENEWAL_ALLOW_HTTP=true to allow it`,
    );
  }
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json, application/jwt, text/plain' },
      // Not followed: a redirect could lead anywhere, plain http included. Said as such below.
      redirect: 'manual',
      signal: AbortSignal.timeout(renewalTimeoutMs),
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError')
      throw new RenewalFailure(`the renewal server did not answer within ${renewalTimeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new RenewalFailure(
      `the renewal server could not be reached (${cause?.code ?? cause?.message ?? 'network error'})`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    // The status code only: a reason phrase is the server's text and could echo the bearer token.
    const answered = `the renewal server answered HTTP ${res.status}`;
    throw new RenewalFailure(
      res.status >= 300 && res.status < 400
        ? `${answered}: redirects are not followed; the issuer must answer at the license's renewal_url`
        : answered,
    );
  }
  let body: string;
  try {
    body = await readLimited(res, MAX_RENEWAL_ANSWER_BYTES);
  } catch (error) {
    if (error instanceof RenewalFailure) throw error;
    if ((error as { name?: string }).name === 'TimeoutError') {
      throw new RenewalFailure(`the renewal server did not finish answering within ${renewalTimeoutMs} ms`);
    }
    throw new RenewalFailure('the renewal server’s answer broke off');
  }
  return tokenIn(body, res.headers.get('content-type'));
}

/**
 * Renews the license from its `renewal_url`: POSTs there with the current token as bearer, verifies
 * the answer exactly as an activation, refuses one for another licensee or not newer than the
 * current one, and activates it. A failure is recorded (attempts, error, next automatic attempt),
 * audited and published for the alerts, and the current license stays in force. A license put in
 * force while the issuer answered is kept: the answer is dropped (ConflictError LICENSE_CHANGED).
 */
export async function renewLicense(
  services: LicenseServices,
  call: Call,
  trigger: 'manual' | 'automatic' = 'manual',
): Promise<LicenseStatus> {
  const { license } = await currentLicense(services.db);
  if (!license) throw new ConflictError('no license is active: there is nothing to renew', 'NO_LICENSE');
  if (!license.renewal_url) {
    throw new ConflictError(
      `license ${license.lid} has no renewal_url: ask the issuer for a new license and activate it`,
      'NO_RENEWAL_URL',
    );
  }
  try {
    const answer = await fetchRenewal(services, license.renewal_url, license.token);
    let verified: Awaited<ReturnType<typeof verifyLicense>>;
    try {
      verified = await verifyLicense(answer, services.licensing.keys, services.now());
    } catch (error) {
      throw new RenewalFailure(
        `the renewed license is refused: ${(error as Error).message.replace(/^invalid license: /, '')}`,
      );
    }
    if (verified.licensee !== license.licensee) {
      throw new RenewalFailure(
        `the renewed license is for licensee "${verified.licensee.slice(0, 80)}", not "${license.licensee}"`,
      );
    }
    if (verified.expiresAt.getTime() <= license.expires_at.getTime()) {
      throw new RenewalFailure(
        `the renewed license is not newer: it expires at ${verified.expiresAt.toISOString()}, the current one at ${license.expires_at.toISOString()}`,
      );
    }
    const status = await services.db.transaction().execute(async (trx) => {
      // The answer renews the license read before asking; if another was put in force meanwhile
      // (an activation, or a renewal that finished first), this one must not replace it.
      const state = await trx
        .selectFrom('license_state')
        .select('license_id')
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (state.license_id !== license.id) throw replaced(license.lid);
      await installLicense(services, trx, call, answer.trim(), verified, 'renew');
      return getLicenseStatus(trx, {
        freeTierMaxUsers: services.licensing.freeTierMaxUsers,
        now: services.now(),
      });
    });
    services.licensing.kick();
    services.logger.info({ lid: verified.lid, expiresAt: verified.expiresAt, trigger }, 'license renewed');
    return status;
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'LICENSE_CHANGED') throw error;
    const reason =
      error instanceof RenewalFailure || error instanceof DomainError
        ? error.message
        : 'the renewal failed unexpectedly';
    if (!(error instanceof RenewalFailure || error instanceof DomainError)) {
      services.logger.error({ err: error }, 'license renewal failed unexpectedly');
    }
    await recordFailure(services, call, license, trigger, reason);
    throw new DependencyError(
      `license renewal failed: ${reason}; the current license stays in force`,
      'LICENSE_RENEWAL_FAILED',
    );
  }
}

function replaced(lid: string): ConflictError {
  return new ConflictError(
    `license ${lid} was replaced while it was being renewed; the renewed copy was not activated and the license now in force stays`,
    'LICENSE_CHANGED',
  );
}

/**
 * Records a failed renewal of `license`: counted (with the next automatic attempt) only while it is
 * still the license in force, since a license put there meanwhile starts its own renewal history;
 * audited either way.
 */
async function recordFailure(
  services: LicenseServices,
  call: Call,
  license: { id: string; lid: string },
  trigger: 'manual' | 'automatic',
  reason: string,
) {
  const { lid } = license;
  const now = services.now();
  await services.db.transaction().execute(async (trx) => {
    const state = await trx.selectFrom('license_state').selectAll().forUpdate().executeTakeFirstOrThrow();
    if (state.license_id === license.id) {
      const attempts = state.renewal_attempts + 1;
      await trx
        .updateTable('license_state')
        .set({
          renewal_attempts: attempts,
          renewal_error: reason,
          renewal_failed_at: now,
          renewal_next_at: new Date(now.getTime() + renewalRetryDelayMs(attempts)),
        })
        .execute();
    }
    await record(
      trx,
      services.bus,
      call,
      'license.renewal_failed',
      { kind: 'license', id: lid },
      { lid, trigger, reason },
    );
    await services.bus.publishIn(trx, 'license.changed', { change: 'renewal' });
  });
  services.logger.warn(
    { lid, trigger, reason },
    'license renewal failed; the current license stays in force',
  );
}

/**
 * The leader's renewal: inside the renewal window (`renewDays` before expiry) a license with a
 * renewal URL is renewed, failures retried with backoff (1 min doubling to 6 h).
 */
export function createLicenseRenewal(
  services: LicenseServices,
  options: { intervalMs: number },
): LeaderTask & { runOnce(): Promise<'renewed' | 'failed' | 'not-due'> } {
  async function runOnce(): Promise<'renewed' | 'failed' | 'not-due'> {
    const { renewDays } = services.licensing;
    if (renewDays <= 0) return 'not-due';
    const { state, license } = await currentLicense(services.db);
    const now = services.now();
    if (!license?.renewal_url) return 'not-due';
    if (license.expires_at.getTime() - now.getTime() > renewDays * DAY_MS) return 'not-due';
    if (state.renewal_next_at && state.renewal_next_at > now) return 'not-due';
    try {
      await renewLicense(services, { actor: SYSTEM_ACTOR }, 'automatic');
      return 'renewed';
    } catch {
      return 'failed';
    }
  }
  const task = periodicJob('license-renewal', options.intervalMs, runOnce, services.logger);
  return { ...task, runOnce };
}
