import { describe, expect, it } from 'vitest';
import {
  checkLicenseFile,
  LICENSE_FILE_LIMIT_BYTES,
  normalizeLicenseToken,
  parseAllocation,
} from '../../../client/src/license/inputs.ts';
import {
  FIRST_PAGE,
  LINES_PER_PAGE,
  nextPage,
  pageOf,
  previousPage,
} from '../../../client/src/license/lines-page.ts';
import {
  expiryCountdown,
  type LicenseCardFigures,
  licenseCardSummary,
  usage,
} from '../../../client/src/license/look.ts';

describe('expiryCountdown', () => {
  it('counts whole days left, in the singular for one', () => {
    expect(expiryCountdown(42)).toBe('42 days left');
    expect(expiryCountdown(1)).toBe('1 day left');
  });

  it('reads the API rounding down: 0 is under a day left, -1 under a day since it expired', () => {
    expect(expiryCountdown(0)).toBe('less than a day left');
    expect(expiryCountdown(-1)).toBe('expired less than a day ago');
    expect(expiryCountdown(-2)).toBe('expired 1 day ago');
    expect(expiryCountdown(-11)).toBe('expired 10 days ago');
  });

  it('says nothing when there is no expiry (the free tier)', () => {
    expect(expiryCountdown(null)).toBeNull();
    expect(expiryCountdown(undefined)).toBeNull();
  });
});

describe('usage', () => {
  it('gives the share for a progress bar and the figures in words', () => {
    expect(usage(12, 100)).toEqual({ percent: 12, color: 'teal', text: '12 of 100' });
  });

  it('warns from 80 %, more from 90 %, and turns red past the maximum, with the bar capped at full', () => {
    expect(usage(79, 100).color).toBe('teal');
    expect(usage(80, 100).color).toBe('yellow');
    expect(usage(90, 100).color).toBe('orange');
    expect(usage(100, 100)).toMatchObject({ percent: 100, color: 'orange' });
    expect(usage(150, 100)).toMatchObject({ percent: 100, color: 'red', text: '150 of 100' });
  });

  it('treats any use of a zero maximum as over it, and none as empty', () => {
    expect(usage(3, 0)).toMatchObject({ percent: 100, color: 'red' });
    expect(usage(0, 0)).toMatchObject({ percent: 0, color: 'teal' });
  });
});

describe('licenseCardSummary', () => {
  const active: LicenseCardFigures = {
    state: 'ACTIVE',
    licensee: 'Acme Corp',
    daysLeft: 200,
    usersInUse: 12,
    maxUsers: 100,
    freeTierMaxUsers: 25,
    sync: { failed: 0 },
  };

  it('shows an active license by state, licensee, days left and users against the maximum', () => {
    expect(licenseCardSummary(active)).toEqual({
      figure: 'Active',
      color: undefined,
      detail: 'Acme Corp · 200 days left',
      users: '12 of 100 users',
      problem: null,
    });
  });

  it('colours a license that needs attention and counts tenants that failed to sync', () => {
    expect(licenseCardSummary({ ...active, state: 'EXPIRING', daysLeft: 9 })).toMatchObject({
      figure: 'Expiring',
      color: 'yellow',
      detail: 'Acme Corp · 9 days left',
    });
    expect(licenseCardSummary({ ...active, state: 'EXPIRED', daysLeft: -3 })).toMatchObject({
      figure: 'Expired',
      color: 'red',
      detail: 'Acme Corp · expired 2 days ago',
    });
    expect(licenseCardSummary({ ...active, sync: { failed: 1 } }).problem).toBe('1 tenant failed to sync');
    expect(licenseCardSummary({ ...active, sync: { failed: 3 } }).problem).toBe('3 tenants failed to sync');
  });

  it('shows the free tier with its per-tenant limit, not a maximum it does not have', () => {
    expect(
      licenseCardSummary({
        state: 'FREE',
        licensee: null,
        daysLeft: null,
        usersInUse: 7,
        maxUsers: null,
        freeTierMaxUsers: 25,
        sync: { failed: 0 },
      }),
    ).toEqual({
      figure: 'Free tier',
      color: undefined,
      detail: 'No license: up to 25 users per tenant',
      users: '7 users in use',
      problem: null,
    });
  });
});

describe('parseAllocation', () => {
  it('reads a whole number of at least 1 as the allocation, from a number or from text', () => {
    expect(parseAllocation(10)).toEqual({ userCap: 10, problem: null });
    expect(parseAllocation(' 250 ')).toEqual({ userCap: 250, problem: null });
    expect(parseAllocation(1)).toEqual({ userCap: 1, problem: null });
  });

  it('reads an empty field as removing the allocation', () => {
    expect(parseAllocation('')).toEqual({ userCap: null, problem: null });
    expect(parseAllocation('  ')).toEqual({ userCap: null, problem: null });
  });

  it('refuses what the API would: zero, negatives, fractions and text', () => {
    expect(parseAllocation(0).problem).toMatch(/^Must be at least 1/);
    expect(parseAllocation(-5).problem).toMatch(/^Must be at least 1/);
    expect(parseAllocation(2.5).problem).toBe('Must be a whole number');
    expect(parseAllocation('ten').problem).toBe('Must be a whole number');
    expect(parseAllocation('ten').userCap).toBeNull();
  });
});

describe('license tokens and files', () => {
  it('drops every whitespace a token picks up in files and mail, and nothing else', () => {
    expect(normalizeLicenseToken('  eyJh.eyJz\n  .c2ln\r\n')).toBe('eyJh.eyJz.c2ln');
    expect(normalizeLicenseToken('eyJh.eyJz.c2ln')).toBe('eyJh.eyJz.c2ln');
  });

  it('refuses empty files and files far larger than any license before reading them', () => {
    expect(checkLicenseFile({ name: 'acme.jwt', size: 900 })).toBeNull();
    expect(checkLicenseFile({ name: 'acme.jwt', size: LICENSE_FILE_LIMIT_BYTES })).toBeNull();
    expect(checkLicenseFile({ name: 'empty.jwt', size: 0 })).toBe('empty.jwt is empty');
    expect(checkLicenseFile({ name: 'photo.png', size: 900 * 1024 })).toBe(
      'photo.png is 900 KiB, too large to be a license',
    );
  });
});

describe('pages of tenant lines', () => {
  it('starts on the first page and moves forwards by the end cursor, back by the one before', () => {
    expect(pageOf(FIRST_PAGE)).toEqual({ first: LINES_PER_PAGE, after: null });
    const second = nextPage(FIRST_PAGE, 'c100');
    const third = nextPage(second, 'c200');
    expect(pageOf(third)).toEqual({ first: LINES_PER_PAGE, after: 'c200' });
    expect(pageOf(previousPage(third))).toEqual({ first: LINES_PER_PAGE, after: 'c100' });
    expect(pageOf(previousPage(previousPage(third)))).toEqual({ first: LINES_PER_PAGE, after: null });
  });

  it('stays put at either end', () => {
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(nextPage(FIRST_PAGE, null)).toBe(FIRST_PAGE);
  });
});
