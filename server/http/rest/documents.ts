const ERROR = `... on Error { __typename code message }`;
/** The error selection every REST mutation document ends with. */
export const ERROR_FIELDS = `${ERROR} ... on ValidationError { issues { path message } }`;

/** Pothos names each success type after its field: `resetTenantAdminPassword` → `MutationResetTenantAdminPasswordSuccess`. */
const successOf = (field: string) => `Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`;

/** A mutation document answering with `data { … }` on success and the typed errors otherwise. */
export function mutation(
  name: string,
  field: string,
  selection: string,
  params = '$slug: String!',
  args = 'slug: $slug',
  /** Whether the mutation can answer a ValidationError (its input is more than a slug's lookup). */
  validates = true,
): string {
  const signature = params ? `(${params})` : '';
  const call = args ? `(${args})` : '';
  return `mutation ${name}${signature} {
    ${field}${call} {
      __typename
      ... on ${successOf(field)} { data { ${selection} } }
      ${validates ? ERROR_FIELDS : ERROR}
    }
  }`;
}
