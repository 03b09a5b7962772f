/** The "New API token" form as typed. */
export type TokenForm = { name: string; days: string };
export type TokenFormField = 'name' | 'expiresInDays';
export type TokenFormErrors = Partial<Record<TokenFormField, string>>;

export const TOKEN_FORM_FIELDS: readonly TokenFormField[] = ['name', 'expiresInDays'];
export const TOKEN_NAME_MAX = 100;
export const TOKEN_DAYS_MAX = 365;
export const TOKEN_DAYS_DEFAULT = '90';

/** Problems with the form, field by field, in the API's words; an empty object means it may be sent. */
export function validateTokenForm(form: TokenForm): TokenFormErrors {
  const errors: TokenFormErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'must not be empty';
  else if (name.length > TOKEN_NAME_MAX) errors.name = `must be at most ${TOKEN_NAME_MAX} characters`;
  const days = form.days.trim();
  if (!/^\d+$/.test(days)) errors.expiresInDays = 'must be a whole number of days';
  else if (Number(days) < 1 || Number(days) > TOKEN_DAYS_MAX)
    errors.expiresInDays = `must be between 1 and ${TOKEN_DAYS_MAX}`;
  return errors;
}

/** The `createApiToken` input of a valid form. */
export function tokenInput(form: TokenForm): { name: string; expiresInDays: number } {
  return { name: form.name.trim(), expiresInDays: Number(form.days.trim()) };
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** Whether a token still works: revoked wins over expired, since it was ended on purpose. */
export function tokenStatus(
  token: { expiresAt: string; revokedAt?: string | null },
  now: number,
): TokenStatus {
  if (token.revokedAt) return 'revoked';
  return new Date(token.expiresAt).getTime() <= now ? 'expired' : 'active';
}
