import { describe, expect, it } from 'vitest';
import { checkAlertEmail, formFromSettings, inputFromForm } from '../../../client/src/settings/alert-form.ts';

describe('checkAlertEmail', () => {
  it('accepts an empty field, which clears the address', () => {
    expect(checkAlertEmail('')).toBeNull();
    expect(checkAlertEmail('   ')).toBeNull();
  });

  it('accepts ordinary addresses, with surrounding spaces', () => {
    expect(checkAlertEmail('ops@example.com')).toBeNull();
    expect(checkAlertEmail(' first.last+alerts@mail.example.co.uk ')).toBeNull();
  });

  it('rejects text that cannot be an address, saying what is expected', () => {
    for (const bad of ['ops', 'ops@', '@example.com', 'ops@example', 'ops @example.com', 'a@b@c.com']) {
      expect(checkAlertEmail(bad), bad).toMatch(/must be an email address/);
    }
  });

  it('rejects addresses longer than the API stores', () => {
    const long = `${'a'.repeat(250)}@example.com`;
    expect(checkAlertEmail(long)).toBe('must be at most 254 characters');
  });
});

describe('inputFromForm and formFromSettings', () => {
  it('send an empty address as null, which the API reads as "clear it"', () => {
    const form = { licenseExpiring: true, capacityWarnings: false, dailyReports: true, alertEmail: '  ' };
    expect(inputFromForm(form)).toEqual({
      licenseExpiring: true,
      capacityWarnings: false,
      dailyReports: true,
      alertEmail: null,
    });
  });

  it('send the address trimmed and show a missing one as an empty field', () => {
    expect(
      inputFromForm({
        licenseExpiring: false,
        capacityWarnings: true,
        dailyReports: false,
        alertEmail: ' ops@example.com ',
      }).alertEmail,
    ).toBe('ops@example.com');
    expect(
      formFromSettings({
        licenseExpiring: true,
        capacityWarnings: true,
        dailyReports: false,
        alertEmail: null,
      }).alertEmail,
    ).toBe('');
  });
});
