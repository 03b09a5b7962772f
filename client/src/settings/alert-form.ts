/** What the alert settings form edits: the three switches and the address, as typed. */
export type AlertForm = {
  licenseExpiring: boolean;
  capacityWarnings: boolean;
  dailyReports: boolean;
  alertEmail: string;
};

export type AlertFormField = keyof AlertForm;

export const ALERT_FORM_FIELDS: readonly AlertFormField[] = [
  'licenseExpiring',
  'capacityWarnings',
  'dailyReports',
  'alertEmail',
];

/** The input the `updateAlertSettings` mutation takes; `alertEmail: null` clears the address. */
export type AlertSettingsInput = {
  licenseExpiring: boolean;
  capacityWarnings: boolean;
  dailyReports: boolean;
  alertEmail: string | null;
};

const MAX_EMAIL_LENGTH = 254;

/**
 * A quick check of the alert address before it is sent, or null when it may go to the API. It is
 * deliberately looser than the API's rule, so it never refuses an address the API would accept;
 * the API has the last word and its message is shown as it says it.
 */
export function checkAlertEmail(value: string): string | null {
  const email = value.trim();
  if (email === '') return null;
  if (email.length > MAX_EMAIL_LENGTH) return `must be at most ${MAX_EMAIL_LENGTH} characters`;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return 'must be an email address, like ops@example.com';
  return null;
}

/** The form from the settings the API returned; no address reads as an empty field. */
export function formFromSettings(settings: AlertSettingsInput): AlertForm {
  return {
    licenseExpiring: settings.licenseExpiring,
    capacityWarnings: settings.capacityWarnings,
    dailyReports: settings.dailyReports,
    alertEmail: settings.alertEmail ?? '',
  };
}

/** The mutation input for the form: the address trimmed, and an empty address sent as null to clear it. */
export function inputFromForm(form: AlertForm): AlertSettingsInput {
  const email = form.alertEmail.trim();
  return {
    licenseExpiring: form.licenseExpiring,
    capacityWarnings: form.capacityWarnings,
    dailyReports: form.dailyReports,
    alertEmail: email === '' ? null : email,
  };
}
