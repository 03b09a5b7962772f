import { slugProblem } from '../../../server/domain/tenants/slug-rules.ts';

/** The "New tenant" form as typed. */
export type NewTenantForm = { name: string; slug: string; adminEmail: string };
export type NewTenantField = keyof NewTenantForm;
export type NewTenantErrors = Partial<Record<NewTenantField, string>>;

export const NEW_TENANT_FIELDS: readonly NewTenantField[] = ['name', 'slug', 'adminEmail'];

const NAME_MAX = 100;
const EMAIL_MAX = 254;

/** Problems with the form, field by field, in the API's words; an empty object means it may be sent. */
export function validateNewTenant(form: NewTenantForm): NewTenantErrors {
  const errors: NewTenantErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'must not be empty';
  else if (name.length > NAME_MAX) errors.name = `must be at most ${NAME_MAX} characters`;
  const slug = slugProblem(form.slug);
  if (slug) errors.slug = slug;
  const email = form.adminEmail.trim();
  if (email !== '') {
    if (email.length > EMAIL_MAX) errors.adminEmail = `must be at most ${EMAIL_MAX} characters`;
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.adminEmail = 'must be an email address';
  }
  return errors;
}

/**
 * The errors to show while typing: a field's problem appears once the operator has typed in it or
 * left it (or tried to submit), not on an untouched empty form.
 */
export function visibleErrors(
  errors: NewTenantErrors,
  touched: ReadonlySet<NewTenantField>,
  submitted: boolean,
): NewTenantErrors {
  if (submitted) return errors;
  const shown: NewTenantErrors = {};
  for (const field of NEW_TENANT_FIELDS)
    if (touched.has(field) && errors[field]) shown[field] = errors[field];
  return shown;
}

/** The `createTenant` input: the name trimmed, no admin email sent as null. */
export function createTenantInput(form: NewTenantForm): {
  slug: string;
  name: string;
  adminEmail: string | null;
} {
  const email = form.adminEmail.trim();
  return { slug: form.slug, name: form.name.trim(), adminEmail: email === '' ? null : email };
}
