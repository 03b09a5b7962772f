import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenantApiError } from '../../../server/tenant-api/errors.ts';
import { backoffDelay, isRetryable, parseRetryAfter } from '../../../server/tenant-api/retry.ts';

describe('isRetryable', () => {
  it.each([
    [{ kind: 'network' as const }, true],
    [{ kind: 'timeout' as const }, true],
    [{ kind: 'http' as const, status: 429 }, true],
    [{ kind: 'http' as const, status: 500 }, true],
    [{ kind: 'http' as const, status: 502 }, true],
    [{ kind: 'http' as const, status: 503 }, true],
    [{ kind: 'http' as const, status: 599 }, true],
    [{ kind: 'http' as const, status: 501 }, false],
    [{ kind: 'http' as const, status: 400 }, false],
    [{ kind: 'http' as const, status: 401 }, false],
    [{ kind: 'http' as const, status: 404 }, false],
    [{ kind: 'http' as const, status: 409 }, false],
    [{ kind: 'http' as const, status: 302 }, false],
    [{ kind: 'invalid-response' as const }, false],
  ])('%j → %s', (failure, expected) => {
    expect(isRetryable(failure)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('doubles per retry, between half and all of the exponential step', () => {
    const at = (retry: number, r: number) =>
      backoffDelay(retry, { baseMs: 100, maxMs: 10_000, random: () => r });
    expect([at(0, 0), at(0, 1), at(1, 0), at(1, 1), at(3, 0.5)]).toEqual([50, 100, 100, 200, 600]);
  });

  it('stays within [step/2, min(step, max)] for any retry and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (retry, baseMs, r) => {
          const maxMs = 5000;
          const step = Math.min(maxMs, baseMs * 2 ** retry);
          const d = backoffDelay(retry, { baseMs, maxMs, random: () => r });
          return d >= Math.floor(step / 2) && d <= Math.ceil(step);
        },
      ),
    );
  });

  it('honours Retry-After but never beyond the cap', () => {
    expect(backoffDelay(0, { baseMs: 10, maxMs: 5000, retryAfterMs: 2000, random: () => 0 })).toBe(2000);
    expect(backoffDelay(0, { baseMs: 10, maxMs: 5000, retryAfterMs: 60_000, random: () => 0 })).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2031-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2031 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2030 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('TenantApiError', () => {
  it('names the tenant and the endpoint, and the attempts when there were several', () => {
    const one = new TenantApiError({
      slug: 'acme',
      endpoint: 'GET /cp/v1/status',
      kind: 'timeout',
      detail: 'timed out after 3000 ms',
      attempts: 1,
    });
    expect(one.message).toBe('tenant acme: GET /cp/v1/status timed out after 3000 ms');
    expect(one.name).toBe('TenantApiError');
    const three = new TenantApiError({
      ...one,
      detail: 'answered HTTP 503',
      kind: 'http',
      status: 503,
      attempts: 3,
    });
    expect(three.message).toBe('tenant acme: GET /cp/v1/status answered HTTP 503 (3 attempts)');
  });
});
